"""Every user-facing word, in Chinese first and English second.

``tr(code, lang, **args)`` formats a message; an argument that is an :class:`L` (a label) or a
tuple of labels and plain values is translated too, so that errors can be kept as data and
rendered in the reader's language at the boundary.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

ENV_LANG = "REFORMCTL_LANG"


class L(str):
    """A label code to be translated when the message is rendered."""

    __slots__ = ()


class Choices(tuple[str, ...]):
    """The values to choose from, in a message: worded with the language's list separator
    (``choices-separator``: 、 in Chinese, a comma in English), the one way every message
    lists choices."""

    __slots__ = ()


def pick_lang(option: str | None = None, ledger_lang: str | None = None) -> str:
    """``--lang``, then ``REFORMCTL_LANG``, then the ledger's setting, then ``LANG``; else zh."""
    for value in (option, os.environ.get(ENV_LANG), ledger_lang):
        if value in ("zh", "en"):
            return value
    env = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
    return "en" if env.lower().startswith("en") else "zh"


def _render(value: Any, lang: str) -> str:
    if isinstance(value, L):
        return label(value, lang)
    if isinstance(value, Choices):
        return tr("choices-separator", lang).join(value)
    if isinstance(value, tuple):
        return " ".join(_render(v, lang) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    line = getattr(value, "line", None)  # a Problem: its own message, in this language
    if callable(line):
        return str(line(lang))
    return str(value)


def text_of(value: Any, lang: str) -> str:
    """A message argument as it reads in ``lang`` (a label translated, a tuple joined)."""
    return _render(value, lang)


def tr(code: str, lang: str, **args: Any) -> str:
    pair = MESSAGES.get(code)
    if pair is None:
        return code + (" " + repr(args) if args else "")
    template = pair[1] if lang == "en" else pair[0]
    return template.format(**{k: _render(v, lang) for k, v in args.items()})


def date_text(day: dt.date, lang: str) -> str:
    """A date as a document writes it: 2026年11月28日 (no leading zeros); 28 November 2026."""
    if lang == "en":
        return f"{day.day} {day:%B} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def span_text(start: dt.date, end: dt.date, lang: str) -> str:
    """A period as a document writes it: 2026年7月1日至12月31日 (the year once)."""
    if lang == "en":
        return f"{date_text(start, lang)} to {date_text(end, lang)}"
    if start.year == end.year:
        return f"{date_text(start, lang)}至{end.month}月{end.day}日"
    return f"{date_text(start, lang)}至{date_text(end, lang)}"


CN_NUMERALS = "〇一二三四五六七八九十"


def ordinal_text(n: int, lang: str) -> str:
    """一 二 … 十 十一 … 九十九 (for 第三季度, 一、 二、 headings)."""
    if lang == "en" or not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_NUMERALS[ones]
    head = "" if tens == 1 else CN_NUMERALS[tens]
    return head + "十" + (CN_NUMERALS[ones] if ones else "")


def has_label(code: str) -> bool:
    return code in LABELS


def label(code: str, lang: str) -> str:
    pair = LABELS.get(code)
    if pair is None:
        return code
    return pair[1] if lang == "en" else pair[0]


LABELS: dict[str, tuple[str, str]] = {
    # kinds of things in the ledger
    "ledger-file": ("台账文件", "ledger file"),
    "ledger-table": ("[ledger] 表", "the [ledger] table"),
    "kind-ledger": ("台账", "ledger"),
    "topic-reserved": ("储备", "reserved"),
    "topic-scheduled": ("已排会", "scheduled"),
    "topic-discussed": ("已上会", "discussed"),
    "meeting-held": ("已召开", "held"),
    "meeting-scheduled": ("待召开", "scheduled"),
    "pilot-due_review": ("待评估", "due for review"),
    "pilot-active": ("在库", "active"),
    "pilot-promoted": ("已推广", "promoted"),
    "pilot-dropped": ("已退出", "dropped"),
    "outpost-county": ("县（市、区）", "county"),
    "outpost-enterprise": ("企业", "enterprise"),
    "h-id": ("编号", "ID"),
    "h-outlet": ("媒体（平台）", "Outlet"),
    "h-pub-title": ("标题", "Title"),
    "h-level": ("层级", "Level"),
    "h-pub-kind": ("形式", "Kind"),
    "h-about": ("关联工作要点或案例", "About"),
    "pub-level-national": ("中央媒体", "national"),
    "pub-level-provincial": ("省级媒体", "provincial"),
    "pub-level-local": ("市县媒体", "local"),
    "pub-level-own": ("自有平台", "own channel"),
    "pub-kind-release": ("新闻发布", "release"),
    "pub-kind-interview": ("专题访谈", "interview"),
    "pub-kind-column": ("专栏", "column"),
    "pub-kind-article": ("报道", "article"),
    "pub-kind-wechat": ("微信公众号", "WeChat post"),
    "h-topic": ("议题", "Topic"),
    "h-group": ("专项小组", "Group"),
    "h-unit": ("单位", "Unit"),
    "h-source": ("来源", "Source"),
    "h-state": ("状态", "Status"),
    "h-meeting": ("会议", "Meeting"),
    "h-on": ("日期", "On"),
    "h-theme": ("主题议题", "Theme"),
    "h-topic-title": ("议题名称", "Topic"),
    "h-pilot": ("项目", "Pilot"),
    "h-place": ("地方", "Place"),
    "h-kind": ("类型", "Kind"),
    "h-since": ("入库", "Since"),
    "h-last-rating": ("最近评估", "Last rating"),
    "h-next-review": ("下次评估", "Next review"),
    "h-case": ("案例", "Case"),
    "h-from": ("来源", "From"),
    "h-quarter": ("季度", "Quarter"),
    "h-selected": ("入选", "Selected as"),
    "h-promoted": ("推广", "Promoted"),
    "h-outpost": ("前哨站", "Outpost"),
    "h-feedback-count": ("反馈条数", "Feedback"),
    "h-point": ("工作要点", "Point"),
    "h-feedback": ("反馈", "Feedback"),
    "h-title": ("工作要点", "Title"),
    "h-lead": ("牵头单位", "Lead"),
    "h-milestones": ("节点", "Milestones"),
    "importing": ("导入", "importing"),
    "exporting": ("导出", "exporting"),
    "invalid-revision": ("台账无效", "invalid ledger"),
    "unknown-key": ("未知键", "unknown key"),
    "unparsed": ("无法解析", "does not parse"),
    "kind-units": ("单位", "unit"),
    "kind-reviews": ("评估", "review"),
    "kind-progress": ("月度进展", "monthly progress"),
    "kind-groups": ("专项小组", "group"),
    "kind-points": ("工作要点", "work point"),
    "kind-milestones": ("节点", "milestone"),
    "kind-extension": ("延期记录", "extension of"),
    "kind-topics": ("议题", "agenda topic"),
    "kind-meetings": ("会议", "meeting"),
    "kind-pilots": ("基层创新项目", "pilot"),
    "kind-cases": ("典型案例", "model case"),
    "kind-outposts": ("前哨站", "outpost"),
    "kind-feedback": ("反馈", "feedback"),
    "section-topics": ("[topics] 议题储备库", "[topics]"),
    "section-meetings": ("[meetings] 会议", "[meetings]"),
    "section-pilots": ("[pilots] 基层创新项目滚动库", "[pilots]"),
    "section-cases": ("[cases] 典型案例", "[cases]"),
    "section-outposts": ("[outposts] 前哨站", "[outposts]"),
    "section-feedback": ("[feedback] 前哨反馈", "[feedback]"),
    "kind-notices": ("督办通知", "notice"),
    "notice-red": ("红色督办", "red notice"),
    "notice-yellow": ("黄色督办", "yellow notice"),
    "notice-blue": ("蓝色提醒", "blue reminder"),
    "section-notices": ("[notices] 督办通知", "[notices]"),
    "kind-circulars": ("通报", "circular"),
    "section-circulars": ("[circulars] 通报", "[circulars]"),
    "kind-publicity": ("宣传报道", "publicity"),
    "section-publicity": ("[publicity] 改革宣传", "[publicity]"),
    "section-reviews": ("评估记录 reviews", "reviews"),
    "string-list": ("字符串数组", "an array of strings"),
    "table-list": ("表的数组", "an array of tables"),
    "section-ledger": ("[ledger] 台账设置", "[ledger]"),
    "section-units": ("[units] 单位表", "[units]"),
    "section-groups": ("[groups] 专项小组表", "[groups]"),
    "section-points": ("[points] 工作要点表", "[points]"),
    "section-milestones": ("节点表 milestones", "milestones"),
    "section-progress": ("月度进展表 progress", "progress"),
    # value types
    "string": ("字符串", "a string"),
    "date": ("日期", "a date"),
    "datetime": ("日期时间", "a date-time"),
    "bool": ("布尔值", "a boolean"),
    "true": ("true", "true"),
    "false": ("false", "false"),
    "integer": ("整数", "an integer"),
    "float": ("小数", "a float"),
    "array": ("数组", "an array"),
    "table": ("表", "a table"),
    "unit-list": ("单位代码的数组", "an array of unit keys"),
    "extension-list": ("延期记录数组", "an array of extension tables"),
    # statuses (list, show)
    "status-not_started": ("未开始", "not started"),
    "status-ahead": ("超进度", "ahead"),
    "status-on_track": ("达进度", "on track"),
    "status-behind": ("欠进度", "behind"),
    "status-overdue": ("逾期", "overdue"),
    "status-done": ("已完成", "done"),
    "status-closed": ("已销号", "closed"),
    # milestone states
    "ms-done": ("已完成", "done"),
    "ms-done_late": ("逾期完成", "done late"),
    "ms-overdue": ("逾期", "overdue"),
    "ms-due_today": ("今日到期", "due today"),
    "ms-due_soon": ("即将到期", "due soon"),
    "ms-open": ("进行中", "open"),
    # column headers
    "col-rank": ("排名", "#"),
    "col-id": ("编号", "ID"),
    "col-title": ("工作要点", "Work point"),
    "col-group": ("专项小组", "Group"),
    "col-lead": ("牵头单位", "Lead unit"),
    "col-units": ("配合单位", "Co-operating"),
    "col-status": ("状态", "Status"),
    "col-progress": ("完成进度", "Progress"),
    "col-expected": ("序时进度", "Due %"),  # share due to date; beside Done %
    "col-milestones": ("节点数", "Total"),  # short: a ranking fits 60 columns
    "col-due_to_date": ("应完成", "Due to date"),
    "col-done": ("已完成", "Done"),
    "col-done_late": ("逾期完成", "Done late"),
    "col-overdue": ("逾期", "Overdue"),
    "col-completion": ("完成率", "Done %"),
    "col-name": ("名称", "Name"),
    "col-key": ("代码", "Key"),
    "col-points-led": ("牵头要点", "Points led"),
    "col-milestones-led": ("牵头节点", "Milestones led"),
    "col-points-coop": ("配合要点", "Co-operating on"),
    "col-points": ("工作要点数", "Points"),
    "col-ms-count": ("节点数", "Milestones"),
    # a milestone's reference (R26-01/plan) or key (plan), and its name: 节点编号 and 节点 as in the
    # export's headers (docs/glossary.md)
    "col-milestone": ("节点编号", "Milestone"),
    "col-ms-key": ("节点编号", "Key"),
    "col-ms-name": ("节点", "Milestone"),
    "col-due": ("完成时限", "Due"),
    "col-baseline": ("原定时限", "Baseline"),
    "col-from": ("原时限", "From"),
    "col-to": ("延至", "To"),
    "col-reason": ("延期理由", "Reason"),
    "col-approved_by": ("批准单位", "Approved by"),
    "col-granted": ("批准日期", "Granted on"),
    "extensions": ("延期记录", "Extensions"),
    "col-done_on": ("完成日期", "Done on"),
    "col-evidence": ("佐证材料", "Evidence"),
    "col-when": ("时间", "When"),
    "col-state": ("情况", "State"),
    "col-month": ("月份", "Month"),
    "col-entry": ("进展情况", "Progress entry"),
    "col-bar": ("进度", "Bar"),
    "col-light": ("预警", "Light"),  # as in the Excel reports
    "light-red": ("红", "red"),
    "light-yellow": ("黄", "yellow"),
    "light-green": ("绿", "green"),
    "light-dim": ("灰", "dim"),
    # fields shown by `show`
    "f-title": ("工作要点", "Title"),
    "f-group": ("专项小组", "Group"),
    "f-lead": ("牵头单位", "Lead unit"),
    "f-units": ("配合单位", "Co-operating units"),
    "f-path": ("实施路径", "Implementation path"),
    "f-outcome": ("成果形式", "Outcome form"),
    "f-major": ("重大改革事项", "Major reform item"),
    "f-status": ("状态", "Status"),
    "f-progress": ("完成进度", "Progress"),
    "f-closed": ("销号", "Closed"),
    "f-carried_from": ("结转自", "Carried over from"),
    "f-schema": ("格式版本", "Schema"),
    "f-ledger-title": ("标题", "Title"),
    "f-topics-title": ("议题", "Title"),
    "f-cases-title": ("案例", "Title"),
    "f-year": ("年度", "Year"),
    "f-timezone": ("时区", "Time zone"),
    "f-soon_days": ("临近提醒天数", "Due-soon days"),
    "f-lang": ("语言", "Language"),
    "f-name": ("名称", "Name"),
    "f-due": ("完成时限", "Due"),
    "f-done": ("完成日期", "Done"),
    "f-evidence": ("佐证材料", "Evidence"),
    "f-extensions": ("延期", "Extension"),
    "f-closing_evidence": ("销号佐证", "Closing evidence"),
    "f-topic": ("议题", "Topic"),
    "f-unit": ("单位", "Unit"),
    "f-source": ("来源", "Source"),
    "f-on": ("日期", "Date"),
    "f-theme": ("主题", "Theme"),
    "f-place": ("地点", "Place"),
    "f-kind": ("类别", "Kind"),
    "f-since": ("入库日期", "Since"),
    "f-review_every": ("评估周期（月）", "Review every (months)"),
    "f-rating": ("评估结果", "Rating"),
    "f-note": ("说明", "Note"),
    "f-from": ("来源", "From"),
    "f-quarter": ("季度", "Quarter"),
    "f-selections": ("入选", "Selections"),
    "f-promotions": ("推广", "Promotion"),
    "f-outpost": ("前哨站", "Outpost"),
    "f-point": ("工作要点", "Work point"),
    "f-text": ("内容", "Text"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "none": ("无", "none"),
    "hint": ("提示", "hint"),
    # ranking
    "by-unit": ("牵头单位", "lead unit"),
    "by-group": ("专项小组", "group"),
    "by-point": ("工作要点", "work point"),
    "by-coop": ("配合单位", "co-operating unit"),
    # the names of options' fixed choices (reformctl.cli.choices), as a clerk types them
    "notice-kind-red": ("红色", "red"),
    "notice-kind-yellow": ("黄色", "yellow"),
    "notice-kind-blue": ("蓝色", "blue"),
    "notice-kind-all": ("全部", "all"),
    "scope-office": ("全省", "office"),
    "scope-unit": ("单位", "unit"),
    "scope-group": ("专项小组", "group"),
    "per-commit": ("每次提交", "commit"),
    "per-month": ("每月", "month"),
    "split-group": ("专项小组", "group"),
    "split-city": ("市县", "city"),
    "fail-on-overdue": ("逾期", "overdue"),
    "fail-on-due-soon": ("即将到期", "due-soon"),
    "fail-on-never": ("从不", "never"),
    "trust-author": ("作者", "author"),
    "trust-committer": ("提交者", "committer"),
    "trust-both": ("两者", "both"),
    # why a cache folder or key is not used
    "cache-owner": ("属于其他用户", "its owner is another user"),
    "cache-mode": ("权限", "mode"),
    "cache-not-a-key": ("不是 32 字节的普通文件", "not a regular file of 32 bytes"),
    "cache-cannot-open": ("无法打开", "cannot be opened"),
}


MESSAGES: dict[str, tuple[str, str]] = {
    "and-more": (
        "（另有 {n} 个问题，运行 reformctl check 查看全部）",
        " (and {n} more problems: run reformctl check to see all)",
    ),
    # files
    "ledger-not-found": (
        "找不到台账文件 ledger.toml 或工作区 reformctl.toml（已从 {start} 向上逐级查找）",
        "no ledger.toml or reformctl.toml found in {start} or any folder above it",
    ),
    "ledger-missing": ("{file}: 台账文件不存在", "{file}: no such ledger file"),
    # workspaces (reformctl.toml: several ledger files read as one)
    "workspace-table-missing": (
        "工作区配置缺少 [workspace] 表",
        "the workspace configuration has no [workspace] table",
    ),
    "workspace-unknown-key": (
        "工作区配置中有未知字段 {key}",
        "unknown key {key} in the workspace configuration",
    ),
    "workspace-shared-missing": (
        "[workspace] 须用 shared 写明共用文件（台账设置、单位、专项小组所在的文件）",
        "[workspace] needs shared: the file with the settings, units and groups",
    ),
    "workspace-ledgers-missing": (
        '[workspace] 须用 ledgers 列出台账文件（可用通配符，如 "groups/*.toml"）',
        '[workspace] needs ledgers: the ledger files (globs allowed, e.g. "groups/*.toml")',
    ),
    "workspace-outside": (
        "工作区的文件须在 reformctl.toml 所在目录之内（相对路径，不含 ..）",
        "workspace files must lie under the folder of reformctl.toml (relative, no ..)",
    ),
    "workspace-file-missing": ("工作区文件 {path} 不存在", "workspace file {path} does not exist"),
    "workspace-not-member": (
        '[ledgers."{path}"] 不是 ledgers 列出的台账文件',
        '[ledgers."{path}"] is not one of the ledger files ledgers lists',
    ),
    "workspace-group-twice": (
        '专项小组 {group} 已由 [ledgers."{other}"] 指定文件；每个专项小组只能对应一个文件',
        'group {group} already has a file, [ledgers."{other}"]; a group has one file',
    ),
    "hint-workspace": (
        "工作区的写法见 docs/workspace.md",
        "see docs/workspace.md for the workspace format",
    ),
    "workspace-duplicate": (
        "{section} 中的编号 {id} 已在 {other} 出现过；工作区内编号须唯一",
        "{section}: {id} is already at {other}; IDs are unique across the workspace",
    ),
    "workspace-clash": (
        "{key} 已在 {other} 定义，这里的定义与之冲突；工作区内每个键只能定义一处",
        "{key} is already defined at {other}; a key is defined in one place of a workspace",
    ),
    "hint-workspace-duplicate": (
        "保留一处，删去或改编号另一处",
        "keep one of them; remove or renumber the other",
    ),
    "workspace-shared-only": (
        "{section} 只能写在共用文件 {shared} 中",
        "{section} is declared once, in the shared file {shared}",
    ),
    "workspace-schema-differs": (
        "schema = {schema} 与共用文件 {shared} 的 schema = {expected} 不同",
        "schema = {schema} differs from the shared file {shared}'s schema = {expected}",
    ),
    "hint-workspace-schema": (
        "工作区各文件的格式版本须相同；删去这一行即沿用共用文件的版本",
        "a workspace's files share one format version; drop this line to keep the shared one",
    ),
    "hint-workspace-shared-only": (
        "把这些表移到 {shared}",
        "move these tables to {shared}",
    ),
    "scope-no-such-file": (
        "没有工作要点在 {file} 中（有工作要点的文件：{files}）",
        "no point is in {file} (files with points: {files})",
    ),
    "workspace-already": ("{file} 已是工作区", "{file} is already a workspace"),
    "workspace-none": (
        "{file} 不是工作区（没有 reformctl.toml）",
        "{file} is not a workspace (no reformctl.toml)",
    ),
    "workspace-split-done": (
        "已拆分为工作区：{files}（{n} 个台账文件）",
        "split into a workspace: {files} ({n} ledger files)",
    ),
    "workspace-split-removed": (
        "{file} 已删除（git 历史中仍可查到）；提交时请一并提交新文件",
        "{file} removed (git history keeps it); commit the new files with its removal",
    ),
    "workspace-join-done": (
        "已合并为 {file}；删除了工作区的 {n} 个文件",
        "joined into {file}; removed the workspace's {n} files",
    ),
    "split-not-same": (
        "{file}: 拆分后读出的事实与原台账不同，未写入任何文件",
        "{file}: the split would not read as the same facts; nothing written",
    ),
    "join-not-same": (
        "{file}: 合并后读出的事实与工作区不同，未写入任何文件",
        "{file}: the joined ledger would not read as the same facts; nothing written",
    ),
    "join-top-level": (
        "{file}: 表头之前有 schema 以外的键，无法合并",
        "{file}: keys other than schema before the first table; cannot join",
    ),
    "workspace-no-file-for-group": (
        "不知道专项小组 {group} 的新工作要点写入哪个文件",
        "no file is known for new points of group {group}",
    ),
    "hint-workspace-group-file": (
        '在 {config} 中写明，例如 [ledgers."groups/{group}.toml"] group = "{group}"',
        'name it in {config}, e.g. [ledgers."groups/{group}.toml"] group = "{group}"',
    ),
    "ledger-unreadable": ("{file}: 无法读取：{reason}", "{file}: cannot read: {reason}"),
    "ledger-exists": (
        "{file}: 台账文件已存在，init 不会覆盖它",
        "{file}: already exists; init will not overwrite it",
    ),
    "file-too-large": (
        "文件过大（{size} 字节，上限 {limit} 字节）",
        "file too large ({size} bytes, the limit is {limit})",
    ),
    "not-utf8": ("文件不是有效的 UTF-8 编码", "the file is not valid UTF-8"),
    "toml-syntax": ("TOML 语法错误：{detail}", "TOML syntax error: {detail}"),
    "too-deep": ("嵌套层数过深：{detail}", "nested too deeply: {detail}"),
    # structure
    "schema-missing": ("缺少 schema 版本号", "missing the schema version"),
    "schema-unknown": (
        "不支持的 schema 版本 {value}（本版本支持 {supported}）",
        "unsupported schema version {value} (this reformctl reads {supported})",
    ),
    "table-missing": ("缺少 [{table}] 表", "missing the [{table}] table"),
    "not-a-table": ("{what} 应为表，实为{got}", "{what} must be a table, not {got}"),
    "field-missing": (
        "{what} 缺少必填字段 {field}",
        "{what} is missing the required field {field}",
    ),
    "field-type": (
        "{what} 的字段 {field} 应为{expected}，实为{got}",
        "{what}: {field} must be {expected}, not {got}",
    ),
    "field-empty": ("{what} 的字段 {field} 不能为空", "{what}: {field} must not be empty"),
    "field-unknown": ("{what} 有未知字段 {field}", "{what} has an unknown field {field}"),
    "bad-id": ("{what} 的编号 {id} 不合法", "{what}: invalid ID {id}"),
    "bad-year": ("年度 {value} 不合理", "implausible year {value}"),
    "bad-timezone": ("未知时区 {value}", "unknown timezone {value}"),
    "bad-soon-days": (
        "soon_days 应在 0 到 366 之间，实为 {value}",
        "soon_days must be 0..366, not {value}",
    ),
    "bad-lang": (
        "lang 应为 {allowed} 之一，实为 {value}",
        "lang must be one of {allowed}, not {value}",
    ),
    "undeclared-unit": (
        "{what} 引用了未声明的单位 {key}",
        "{what} refers to an undeclared unit {key}",
    ),
    "undeclared-group": (
        "{what} 引用了未声明的专项小组 {key}",
        "{what} refers to an undeclared group {key}",
    ),
    "undeclared-topic": (
        "{what} 引用了未登记的议题 {key}",
        "{what} refers to an unknown agenda topic {key}",
    ),
    "declare-topic": (
        "先用 reformctl topic add {key} --title 标题 登记该议题",
        "add it first: reformctl topic add {key} --title TITLE",
    ),
    "undeclared-point": (
        "{what} 引用了未知的工作要点 {key}",
        "{what} refers to an unknown work point {key}",
    ),
    "undeclared-outpost": (
        "{what} 引用了未登记的前哨站 {key}",
        "{what} refers to an unknown outpost {key}",
    ),
    "undeclared-source": (
        "{what} 的来源 {key} 既不是基层创新项目也不是工作要点",
        "{what}: {key} is neither a pilot nor a work point",
    ),
    "undeclared-about": (
        "{what} 所关联的 {key} 既不是工作要点也不是典型案例",
        "{what}: {key} is neither a work point nor a model case",
    ),
    "n-title-red": (
        "关于对逾期改革任务进行红色督办的通知",
        "Red notice: reform milestones past their deadline",
    ),
    "n-title-yellow": (
        "关于对滞后序时进度改革任务进行黄色督办的通知",
        "Yellow notice: reform work behind schedule",
    ),
    "n-title-blue": (
        "关于对临近完成时限改革任务进行蓝色提醒的通知",
        "Blue reminder: reform milestones due soon",
    ),
    "n-again": ("（再次督办）", " (second notice)"),
    "n-to": ("{unit}：", "To {unit}:"),
    "n-body-red": (
        "根据《{ledger}》，截至{day}，你单位牵头的{n}个节点已超过完成时限，"
        "最长逾期{max}天。现予以红色督办。",
        "Under the {ledger}, as of {day}, {n} milestone(s) your unit leads are past their "
        "deadline, the longest by {max} days. This is a red notice.",
    ),
    "n-body-yellow": (
        "根据《{ledger}》，截至{day}，你单位牵头的{n}项工作要点完成进度滞后于序时进度。"
        "现予以黄色督办。",
        "Under the {ledger}, as of {day}, {n} work point(s) your unit leads are behind "
        "schedule. This is a yellow notice.",
    ),
    "n-body-blue": (
        "根据《{ledger}》，截至{day}，你单位牵头的{n}个节点将于{soon}日内到期。现予以蓝色提醒。",
        "Under the {ledger}, as of {day}, {n} milestone(s) your unit leads fall due within "
        "{soon} days. This is a blue reminder.",
    ),
    "n-body-again": (
        "其中{k}个节点此前已督办仍未完成，本次为再次督办，请主要负责同志亲自过问、限时办结。",
        "{k} of them were named in an earlier notice and are still open: this is the second "
        "notice; the head of the unit is asked to see to them in person.",
    ),
    "n-ask-red": (
        "请你单位于收到本通知后5个工作日内完成，并将完成情况和佐证材料书面报送{office}；"
        "确需调整完成时限的，按程序申请延期。",
        "Please complete them within 5 working days of this notice and send the evidence to "
        "the {office}; where a deadline must move, apply for an extension.",
    ),
    "n-ask-yellow": (
        "请你单位分析滞后原因，制定赶进度措施，于收到本通知后10个工作日内将推进情况书面报送{office}。",
        "Please find the causes, set out how to catch up and report to the {office} within 10 "
        "working days of this notice.",
    ),
    "n-ask-blue": (
        "请你单位对照完成时限抓紧推进，按时完成并及时报送佐证材料。",
        "Please press on to finish them on time and send the evidence when done.",
    ),
    "n-h-no": ("序号", "No."),
    "n-h-milestone": ("节点", "Milestone"),
    "n-h-point": ("工作要点", "Work point"),
    "n-h-due": ("完成时限", "Due"),
    "n-h-days": ("逾期/剩余天数", "Days over / left"),
    "n-h-ask": ("要求", "Requirement"),
    "n-days-over": ("逾期{n}天", "{n} days overdue"),
    "n-days-today": ("今日到期", "due today"),
    "n-days-left": ("剩余{n}天", "{n} days left"),
    "n-req-red": ("限期完成", "complete at once"),
    "n-req-yellow": ("加快推进", "catch up"),
    "n-req-blue": ("按时完成", "complete on time"),
    "n-req-again": ("再次督办（第{n}次）", "notice no. {n} on this item"),
    "n-written": (
        "已生成{n}份督办通知：{files}",
        "{n} notice(s) written: {files}",
    ),
    "n-recorded": (
        "已生成并记入台账{n}份督办通知（{first}至{last}）：{files}",
        "{n} notice(s) written and recorded ({first} to {last}): {files}",
    ),
    "n-none": ("今天没有需要督办的事项", "nothing to give notice of today"),
    "template-needs-unit": ("--template 需要用 --unit 指定填报单位", "--template needs --unit"),
    "template-title": ("{unit}{year}年改革工作要点月度填报表", "{unit}: monthly return, {year}"),
    "template-note": (
        "填报说明：导出于{day}。编号、节点编号已锁定；请填写完成日期、佐证材料和本月进展，"
        "新增节点填在表末空行。填好后由改革办执行 reformctl import 本文件 --update --unit {unit}。",
        "Exported {day}. IDs are locked; fill in done dates, evidence and this month's progress, "
        "new milestones in the empty rows. Import with: reformctl import FILE --update --unit {unit}",
    ),
    "import-outside": ("{file}:{at}: {why}", "{file}:{at}: {why}"),
    "import-update-refused": (
        "{file}: {n} 行无法识别，未写入任何内容",
        "{file}: {n} row(s) could not be read; nothing written",
    ),
    "import-outside-refused": (
        "{file}：{n}行不在本单位职责范围内，未写入任何内容",
        "{file}: {n} row(s) outside the unit's remit; nothing written",
    ),
    "import-nothing-changed": (
        "{file} 与台账一致，没有需要更新的内容",
        "{file} matches the ledger: nothing to update",
    ),
    "import-updated": (
        "已更新：{done}个节点完成、{evidence}条佐证材料、{progress}条月度进展、{edits}处修改，新增{milestones}个节点、{points}项工作要点",
        "updated: {done} milestone(s) done, {evidence} evidence, {progress} progress entries, {edits} edit(s); added {milestones} milestone(s), {points} point(s)",
    ),
    "n-recorded-ledger": ("已记入{n}份督办通知", "{n} notice(s) recorded"),
    "unknown-about": (
        "{file}: {key} 既不是工作要点也不是典型案例",
        "{file}: {key} is neither a work point nor a model case",
    ),
    "n-stale": (
        "台账在生成通知期间已被修改（编号 {number} 已被占用），请重新运行",
        "the ledger changed while the notices were made (number {number} is taken); run again",
    ),
    "n-bad-kind": (
        "--kind 应为 red、yellow、blue 或 all，而不是 {value}",
        "--kind must be red, yellow, blue or all, not {value}",
    ),
    "n-bad-format": (
        "--format 应为 docx、md 或 txt，而不是 {value}",
        "--format must be docx, md or txt, not {value}",
    ),
    "notice-number-twice": (
        "督办通知 {key} 的编号 {year} 年第 {number} 号已由 {first} 使用，文号不能重复",
        "notice {key}: number {number} of {year} is already used by {first}; numbers are never reused",
    ),
    "circular-number-twice": (
        "通报 {key} 的编号 {year} 年第 {number} 号已由 {first} 使用，文号不能重复",
        "circular {key}: number {number} of {year} is already used by {first}; numbers are never reused",
    ),
    "merge-register-twice": (
        "{file}：两边都记入了 {key}，两份文件不能共用一个文号；请保留一边的记录，另一份重新编号后再发",
        "{file}: both sides recorded {key}; two documents cannot share one number: keep one side's entry and number the other document again",
    ),
    "circular-key-not-number": (
        "通报 {key} 的编号是 {year} 年第 {number} 号，键应为 {expected}",
        "circular {key} is number {number} of {year}: its key must be {expected}",
    ),
    "circular-period-not-report": (
        "通报 {key} 的期别 {period} 与其类别（report = {report}）不符：半年（half）为 2026-H1，季度（quarter）为 2026-Q3，年度（year）为 2026",
        "circular {key}: period {period} does not fit its report ({report}): 2026-H1 for a half year, 2026-Q3 for a quarter, 2026 for the year",
    ),
    "bad-circular-period": (
        "{what} 的期别 {value} 应为 2026-H1、2026-Q3 或 2026 这样的形式",
        "{what}: period {value} must look like 2026-H1, 2026-Q3 or 2026",
    ),
    "r-stale": (
        "台账在生成通报期间已被修改（编号 {number} 已被占用），请重新运行",
        "the ledger changed while the circular was made (number {number} is taken); run again",
    ),
    "r-recorded-ledger": ("已记入通报 {number}", "circular {number} recorded"),
    "r-recorded": (
        "已生成 {file}，文号 {number} 已记入台账",
        "wrote {file}; number {number} recorded in the ledger",
    ),
    "r-record-needs-docx": (
        "--record 只用于生成 .docx 公文（--out 文件名.docx）：文号印在版头",
        "--record is for a .docx document (--out FILE.docx): the number is printed in its 版头",
    ),
    "bad-notice-number": (
        "{what} 的编号 {value} 应为正整数",
        "{what}: number {value} must be a positive integer",
    ),
    "topic-twice": (
        "议题 {topic} 已是会议 {first} 的主题，会议 {meeting} 不能再以它为主题",
        "topic {topic} is already the theme of meeting {first}; meeting {meeting} cannot take it too",
    ),
    "choices-separator": ("、", ", "),  # between the values of a Choices, in every message
    "bad-choice-values": (
        "应为 {allowed} 之一",
        "choose from {allowed}",
    ),  # an option's usage error
    "bad-choice": (
        "{what} 的 {field} 为“{value}”，应为：{allowed}",
        '{what}: {field} is "{value}"; choose from {allowed}',
    ),
    "bad-review-every": (
        "{what} 的 review_every 应为 1 到 60 个月，实为 {value}",
        "{what}: review_every must be 1..60 months, not {value}",
    ),
    "bad-review-date": (
        "{what} 的评估记录键 {key} 应为日期 YYYY-MM-DD",
        "{what}: review key {key} must be a date, YYYY-MM-DD",
    ),
    "review-before-since": (
        "{what} 的评估日期 {on} 早于入库日期 {since}",
        "{what}: reviewed on {on}, before it started on {since}",
    ),
    "bad-quarter": (
        "{what} 的季度 {value} 应为 YYYY-Qn 形式",
        "{what}: quarter {value} must be YYYY-Qn",
    ),
    "id-look-alike": (
        "{what} {key} 与 {first} 只差大小写或补零，应是同一个：请用 {first}",
        "{what} {key} differs from {first} only by case or zero-padding: use {first}",
    ),
    "duplicate-in-list": ("{what} 的 {field} 中有重复项", "{what}: {field} lists a unit twice"),
    "bad-month": (
        "{what} 的月度进展键 {key} 应为 YYYY-MM 形式",
        "{what}: progress key {key} must be YYYY-MM",
    ),
    "bad-progress-text": (
        "{what} 的 {key} 月度进展应为非空字符串",
        "{what}: the progress entry for {key} must be a non-empty string",
    ),
    "evidence-without-done": (
        "节点 {ref} 有佐证材料却没有完成日期 done",
        "milestone {ref} has evidence but no done date",
    ),
    "extension-not-later": (
        "{what} 延期后的时限 {to} 不晚于此前时限 {due}",
        "{what}: extended to {to}, which is not after {due}",
    ),
    "closed-without-evidence": (
        "工作要点 {id} 已销号，但缺少销号佐证 closing_evidence",
        "work point {id} is closed without closing_evidence",
    ),
    "evidence-without-closed": (
        "工作要点 {id} 有销号佐证，但没有销号日期 closed",
        "work point {id} has closing_evidence but no closed date",
    ),
    "closed-with-open": (
        "工作要点 {id} 已销号，但节点 {open}尚未完成",
        "work point {id} is closed while milestones {open} are open",
    ),
    "closed-before-done": (
        "工作要点 {id} 的销号日期 {closed} 早于节点完成日期 {done}",
        "work point {id} is closed on {closed}, before a milestone was done on {done}",
    ),
    "extension-approved-after": (
        "{what} 的延期批准日期 {date} 晚于所批准的时限 {to}",
        "{what}: an extension approved on {date}, after the due date it grants ({to})",
    ),
    "approved-in-future": (
        "节点 {ref} 的延期批准日期 {date} 晚于今天 {today}",
        "milestone {ref}: an extension approved on {date}, after today ({today})",
    ),
    "done-in-future": (
        "节点 {ref} 的完成日期 {date} 晚于今天 {today}",
        "milestone {ref} is done on {date}, after today ({today})",
    ),
    "closed-in-future": (
        "工作要点 {id} 的销号日期 {date} 晚于今天 {today}",
        "work point {id} is closed on {date}, after today ({today})",
    ),
    # hints
    "did-you-mean": ("是否应为 {suggestion}？", "did you mean {suggestion}?"),
    "did-you-mean-key": ("是否应为 {suggestion}？", "did you mean {suggestion}?"),
    "allowed-fields": ("可用字段：{allowed}", "allowed fields: {allowed}"),
    "declare-unit": (
        "先用 reformctl unit add {key} 名称 声明该单位",
        "declare it first: reformctl unit add {key} NAME",
    ),
    "declare-group": (
        "先用 reformctl group add {key} 名称 --lead 单位 声明该专项小组",
        "declare it first: reformctl group add {key} NAME --lead UNIT",
    ),
    "hint-schema": ("在文件开头写 schema = 1", "put schema = 1 at the top of the file"),
    "hint-ledger-table": (
        "添加 [ledger] 表，含 title、year、timezone",
        "add a [ledger] table with title, year, timezone",
    ),
    "hint-string": (
        '{field} 应为带引号的文字，例如 {field} = "…"',
        '{field} takes quoted text, e.g. {field} = "…"',
    ),
    "hint-date": ("日期写作 2026-06-30", "dates are written 2026-06-30"),
    "hint-date-quoted": (
        "日期不加引号：due = 2026-06-30",
        "dates take no quotes: due = 2026-06-30",
    ),
    "hint-bool": ("写作 true 或 false", "write true or false"),
    "hint-integer": ("写作整数，例如 2026", "write a whole number, e.g. 2026"),
    "hint-table": ("应为 [表名] 形式的表", "must be a [table]"),
    "hint-members": (
        '例如 members = ["张三 <zhangsan@example.gov.cn>", "lisi@example.gov.cn"]',
        'for example members = ["Zhang San <zhangsan@example.gov.cn>", "lisi@example.gov.cn"]',
    ),
    "bad-member": (
        "{what} 的成员 {value} 格式不对：应为“姓名 <email>”或 email",
        '{what}: member {value} is not "Name <email>" or an email',
    ),
    "hint-units": ('例如 units = ["czt", "fgw"]', 'for example units = ["czt", "fgw"]'),
    "hint-extensions": (
        '例如 extensions = [{{ to = 2026-09-30, reason = "..." }}]',
        'for example extensions = [{{ to = 2026-09-30, reason = "..." }}]',
    ),
    "hint-id": ("编号只能包含字母、数字、- 和 _", "IDs may contain only letters, digits, - and _"),
    "hint-month": ('例如 2026-05 = "..."', 'for example 2026-05 = "..."'),
    "hint-timezone": ("例如 Asia/Shanghai", "for example Asia/Shanghai"),
    "hint-close": (
        "销号须附佐证：reformctl close 编号 --evidence 文号",
        "closing needs evidence: reformctl close ID --evidence TEXT",
    ),
    "hint-done": ("用 reformctl done 记录完成日期", "record the date with reformctl done"),
    "hint-toml-date": ("日期必须真实存在，例如 2026-02-28", "dates must exist, e.g. 2026-02-28"),
    "hint-toml-duplicate": ("同一个表或键只能出现一次", "each table and key may appear only once"),
    "hint-debug": ("用 --debug 查看详情", "run with --debug for details"),
    # command-line input
    "bad-date-format": (
        "{what} 的日期 {value} 应为 YYYY-MM-DD 形式",
        "{what}: {value} is not a YYYY-MM-DD date",
    ),
    "impossible-date": ("{what} 的日期 {value} 不存在", "{what}: {value} is not a real date"),
    "bad-month-arg": ("月份 {value} 应为 YYYY-MM 形式", "month {value} must be YYYY-MM"),
    # dates as offices write them (reformctl.datetext): an option's refusal, then its hint
    "bad-date": ("{what} 的日期 {value} 无法识别", "{what}: cannot read the date {value}"),
    "bad-month-option": ("{what} 的月份 {value} 无法识别", "{what}: cannot read the month {value}"),
    "date-hint-forms": (
        "日期写作 2026-06-30、2026/6/30、2026.6.30、2026年6月30日 或 6月30日",
        "write a day as 2026-06-30, 2026/6/30, 2026.6.30, 2026年6月30日 or 6月30日",
    ),
    "date-hint-deadline-forms": (
        "完成时限写作 2026-06-30、2026年6月30日、6月底前、年底前、上半年、第三季度 等",
        "write a deadline as 2026-06-30, 2026年6月30日, 6月底前, 年底前, 上半年, 第三季度 and the like",
    ),
    "date-hint-number": (
        "这是数字，不是日期：Excel 把键入的 2026.10 存成数字 2026.1，请写作 2026年10月 或 2026-10-31",
        "a number, not a date: Excel keeps a typed 2026.10 as the number 2026.1; write 2026年10月 or 2026-10-31",
    ),
    "date-hint-ongoing": (
        "持续性工作没有完成时限，节点须写明日期，例如 2026年12月底前",
        "ongoing work has no deadline; a milestone needs a due date, e.g. 2026年12月底前",
    ),
    "date-hint-year": ("请写明年份，例如 2026年6月30日", "write the year, e.g. 2026年6月30日"),
    "date-hint-day": (
        "这里需要具体日期，例如 2026-06-30；6月底、上半年、9月30日前 等只能作完成时限",
        "a day is needed here, e.g. 2026-06-30; 6月底, 上半年, 9月30日前 and the like are deadlines only",
    ),
    "date-hint-impossible": ("该日期不存在", "no such date"),
    "date-hint-month": (
        "月份写作 2026-11、2026年11月 或 11月",
        "write a month as 2026-11, 2026年11月 or 11月",
    ),
    "unknown-point": ("{file}: 未知的工作要点 {id}", "{file}: unknown work point {id}"),
    "unknown-milestone": (
        "{file}: 工作要点 {id} 没有节点 {key}",
        "{file}: work point {id} has no milestone {key}",
    ),
    "bad-ref": (
        "{value} 应为 工作要点编号/节点编号 形式，例如 R26-01/plan",
        "{value} must be POINT/MILESTONE, e.g. R26-01/plan",
    ),
    "unknown-unit": ("{file}: 未知的单位 {key}", "{file}: unknown unit {key}"),
    "unknown-group": ("{file}: 未知的专项小组 {key}", "{file}: unknown group {key}"),
    "bad-format": (
        "不支持的输出格式 {value}（可选：{allowed}）",
        "unknown format {value} (choose from {allowed})",
    ),
    "internal-error": (
        "内部错误：{detail}（请用 --debug 重试并报告此问题）",
        "internal error: {detail} (rerun with --debug and report it)",
    ),
    # check output
    "check-ok": (
        "{file}: 台账有效，{points} 项工作要点、{milestones} 个节点，无逾期节点",
        "{file}: valid; {points} work points, {milestones} milestones, nothing overdue",
    ),
    "summary-head": ("台账检查: {file}", "Ledger check: {file}"),
    "check-errors": ("{file}: 发现 {n} 个问题", "{file}: {n} problems found"),
    "check-findings": (
        "{file}: 台账有效；{overdue} 个节点逾期，{soon} 个即将到期",
        "{file}: valid; {overdue} milestones overdue, {soon} due soon",
    ),
    "finding-overdue": (
        "节点 {ref}「{name}」逾期{days}天（时限 {due}，牵头：{lead}）",
        'milestone {ref} "{name}" is {days} days overdue (due {due}, lead: {lead})',
    ),
    "finding-soon": (
        "节点 {ref}「{name}」{when}（时限 {due}，牵头：{lead}）",
        'milestone {ref} "{name}" is {when} (due {due}, lead: {lead})',
    ),
    "lock-busy": (
        "{file} 正由另一进程写入（进程 {pid}，主机 {host}），请稍后再试",
        "{file} is being written by another process (pid {pid} on {host}); try again shortly",
    ),
    "lock-stale": (
        "{file} 的锁文件 {lock} 由已退出的进程 {pid} 留下；确认无人写入后删除它：rm {lock}",
        "{file}: {lock} was left by process {pid}, which is gone; "
        "if nobody is writing, remove it: rm {lock}",
    ),
    "lock-empty": (
        "{file} 的锁文件 {lock} 是空的或已损坏（可能是磁盘写满时留下的）；确认无人写入后删除它：rm {lock}",
        "{file}: the lock file {lock} is empty or garbled (a full disk may have left it); "
        "if nobody is writing, remove it: rm {lock}",
    ),
    "lock-failed": (
        "无法创建锁文件 {file}：{reason}",
        "cannot create the lock file {file}: {reason}",
    ),
    "write-verify-failed": (
        "{file}: 写入校验失败（{detail}），原文件未改动",
        "{file}: the written file did not verify ({detail}); the ledger is unchanged",
    ),
    # writes: refusals
    "bad-id-arg": ("{what}编号 {id} 不合法", "invalid {what} ID {id}"),
    "empty-arg": ("{option} 不能为空", "{option} must not be empty"),
    "date-in-future": (
        "{option} 的日期 {date} 晚于今天 {today}",
        "{option}: {date} is after today ({today})",
    ),
    "duplicate-unit": ("{file}: 单位 {key} 已存在", "{file}: unit {key} already exists"),
    "duplicate-group": ("{file}: 专项小组 {key} 已存在", "{file}: group {key} already exists"),
    "duplicate-point": ("{file}: 工作要点 {id} 已存在", "{file}: work point {id} already exists"),
    "duplicate-milestone": (
        "{file}: 工作要点 {id} 已有节点 {key}",
        "{file}: work point {id} already has a milestone {key}",
    ),
    "duplicate-units": ("配合单位重复：{keys}", "a co-operating unit is listed twice: {keys}"),
    "not-a-table-form": (
        "{file}: {table} 不是以 [表] 形式书写的，reformctl 只能修改 [表] 形式",
        "{file}: {table} is not written as a [table]; reformctl edits only [table] form",
    ),
    "point-closed": (
        "工作要点 {id} 已于 {date} 销号，不能再修改",
        "work point {id} was closed on {date}; it takes no more changes",
    ),
    "hint-reopen": (
        "如属误操作，先运行 reformctl reopen {id}",
        "if that was a mistake: reformctl reopen {id}",
    ),
    "already-done": ("节点 {ref} 已于 {date} 完成", "milestone {ref} is already done (on {date})"),
    "hint-undone": (
        "如需更正，先运行 reformctl undone {ref}",
        "to correct it: reformctl undone {ref}",
    ),
    "not-done": ("节点 {ref} 尚未完成", "milestone {ref} is not done"),
    "extend-done": (
        "节点 {ref} 已于 {date} 完成，无需延期",
        "milestone {ref} was done on {date}; nothing to extend",
    ),
    "extend-not-later": (
        "节点 {ref} 的新时限 {to} 不晚于现时限 {due}",
        "milestone {ref}: {to} is not after the due date in force, {due}",
    ),
    "approved-after-deadline": (
        "节点 {ref} 的批准日期 {date} 晚于新时限 {to}",
        "milestone {ref}: approved on {date}, after the new due date {to}",
    ),
    "log-exists": (
        "工作要点 {id} 已有 {month} 的月度进展：{text}",
        "work point {id} already has a {month} entry: {text}",
    ),
    "hint-replace": ("如需替换，加 --replace", "to replace it, add --replace"),
    "close-open": (
        "工作要点 {id} 尚有未完成节点：{open}，不能销号",
        "work point {id} has open milestones ({open}); it cannot be closed",
    ),
    "not-closed": ("工作要点 {id} 未销号", "work point {id} is not closed"),
    "cannot-edit": (
        "{file}: 无法解析 {table} 的内容（{detail}），请先运行 reformctl check",
        "{file}: cannot take {table} apart ({detail}); run reformctl check first",
    ),
    "duplicate-entry": ("{file}: {what} {key} 已存在", "{file}: {what} {key} already exists"),
    "unknown-entry": ("{file}: 未知的{what} {key}", "{file}: unknown {what} {key}"),
    "unknown-source": (
        "{file}: {key} 既不是基层创新项目也不是工作要点",
        "{file}: {key} is neither a pilot nor a work point",
    ),
    "bad-choice-arg": (
        "{option} 为“{value}”，应为：{allowed}",
        '{option} is "{value}"; choose from {allowed}',
    ),
    "bad-quarter-arg": (
        "季度 {value} 应为 YYYY-Qn 形式，例如 2026-Q3",
        "quarter {value} must be YYYY-Qn, e.g. 2026-Q3",
    ),
    "review-before-since-arg": (
        "{key} 的评估日期 {on} 早于入库日期 {since}",
        "{key}: a review on {on} is before it started on {since}",
    ),
    "review-exists": ("{key} 在 {on} 已有评估记录", "{key} already has a review on {on}"),
    "added-entry": ("已添加{what} {key}（{name}）", "added {what} {key} ({name})"),
    "recorded-review": (
        "已记录 {key} 于 {on} 的评估：{rating}",
        "recorded the review of {key} on {on}: {rating}",
    ),
    "recorded-promotion": (
        "已记录 {key} 于 {on} 推广至 {to}",
        "recorded {key} promoted to {to} on {on}",
    ),
    "month-in-future": (
        "月份 {month} 尚未到来（今天是 {today}）",
        "month {month} has not begun (today is {today})",
    ),
    "nothing-to-change": ("没有给出要修改的字段", "no field to change was given"),
    "edit-wrong-field": ("{target} 不能使用 {options}", "{options} do not apply to {target}"),
    "due-after-extension": (
        "节点 {ref} 的原定时限 {due} 不能晚于已批准的延期时限 {to}",
        "milestone {ref}: the baseline {due} cannot be on or after the extension to {to}",
    ),
    "remove-has-facts": (
        "{ref} 已记录事实（{facts}），不予删除",
        "{ref} has recorded facts ({facts}); not removed",
    ),
    "hint-force": ("确需删除请加 --force", "add --force to remove it anyway"),
    # writes: done
    "added-unit": ("已添加单位 {key}（{name}）", "added unit {key} ({name})"),
    "added-group": ("已添加专项小组 {key}（{name}）", "added group {key} ({name})"),
    "added-point": ("已添加工作要点 {id}：{title}", "added work point {id}: {title}"),
    "added-milestone": (
        "已添加节点 {ref}：{name}（完成时限 {due}）",
        "added milestone {ref}: {name} (due {due})",
    ),
    "recorded-done": (
        "已记录节点 {ref} 完成（{date}，佐证：{evidence}）",
        "recorded {ref} done on {date} (evidence: {evidence})",
    ),
    "recorded-undone": ("已撤销节点 {ref} 的完成记录", "undid the done record of {ref}"),
    "recorded-extension": (
        "已记录节点 {ref} 延期至 {to}（原时限 {due}，第 {n} 次延期）",
        "recorded an extension of {ref} to {to} (was {due}; extension {n})",
    ),
    "recorded-log": (
        "已记录工作要点 {id} 的 {month} 月度进展",
        "recorded the {month} progress entry of {id}",
    ),
    "recorded-close": (
        "已销号工作要点 {id}（{date}，佐证：{evidence}）",
        "closed work point {id} on {date} (evidence: {evidence})",
    ),
    "recorded-reopen": ("已撤销工作要点 {id} 的销号", "reopened work point {id}"),
    "recorded-edit": ("已修改 {ref}：{fields}", "changed {ref}: {fields}"),
    "removed": ("已删除 {ref}", "removed {ref}"),
    "ledger-changed": (
        "{file} 在整理期间被修改，请重试",
        "{file} changed while it was being formatted; try again",
    ),
    "fmt-changed": ("已整理 {file} 为规范格式", "reformatted {file}"),
    "fmt-unchanged": ("{file} 已是规范格式", "{file} is already in canonical form"),
    "fmt-would-change": (
        "{file} 不是规范格式（运行 reformctl fmt 整理）",
        "{file} is not in canonical form (run reformctl fmt)",
    ),
    "ledger-changed-under": (
        "{file} 在读取后被其他程序（如 git）改动，为免覆盖其改动，未写入；请重新执行命令",
        "{file} was changed by another program (git, say) after it was read; nothing was "
        "written, so that change is not undone; run the command again",
    ),
    "ledger-not-file": (
        "{file} 不是普通文件（目录、设备或管道），不能作为台账",
        "{file} is not a regular file (a folder, device or pipe); it cannot be a ledger",
    ),
    "ledger-read-only": ("{file} 是只读文件，未写入", "{file} is read-only; nothing was written"),
    "hint-read-only": (
        "确需修改时先解除只读：chmod u+w {file}",
        "if it is meant to change, make it writable first: chmod u+w {file}",
    ),
    "write-breaks-rule": (
        "此次修改会使台账违反规则，未写入：{problem}",
        "this change would break a rule of the ledger; nothing was written: {problem}",
    ),
    "write-failed": (
        "{file}: 写入失败（{reason}），原文件未改动",
        "{file}: could not write ({reason}); the ledger is unchanged",
    ),
    # git
    "today-out-of-range": (
        "{what} {value} 超出可用范围（{low} 至 {high}）",
        "{what} {value} is out of range ({low} to {high})",
    ),
    "done-before-year": (
        "节点 {ref} 的完成日期 {date} 早于台账年度 {year} 年",
        "milestone {ref} was done on {date}, before the ledger's year {year}",
    ),
    "due-after-year": (
        "节点 {ref} 的完成时限 {date} 晚于台账年度 {year} 年（应列入下一年度台账）",
        "milestone {ref} is due on {date}, after the ledger's year {year} (next year's ledger)",
    ),
    "done-without-evidence": (
        "节点 {ref} 已完成但未填佐证材料（对账销号需要佐证）",
        "milestone {ref} is done without evidence (striking off needs evidence)",
    ),
    "check-warnings": ("{file}: {n} 条提醒", "{file}: {n} warnings"),
    "warning-word": ("提醒", "warning"),
    "arg-not-utf8": (
        "参数中有不是 UTF-8 编码的文字，未执行（请检查终端编码）",
        "an argument holds text that is not UTF-8; nothing was done (check the terminal's encoding)",
    ),
    "usage-error": (
        "用法错误：{message}（运行 {tip} 查看用法）",
        "usage error: {message} (see {tip})",
    ),
    "conflict-markers": (
        "合并冲突尚未解决（有 git 冲突标记）",
        "an unresolved merge (git's conflict markers)",
    ),
    "hint-conflict-markers": (
        "保留应有的内容，删去 <<<<<<< ======= >>>>>>> 三行标记",
        "keep what should stay and delete the <<<<<<< ======= >>>>>>> lines",
    ),
    "with-hint": ("{text}（{hint}）", "{text} ({hint})"),
    "merge-breaks-rule": (
        "reformctl 合并冲突：合并结果违反规则——{problem}（解决后删除本行）",
        "reformctl merge conflict: the merged ledger breaks a rule: {problem} (remove this line once resolved)",
    ),
    "merge-fallback": (
        "reformctl: {file} 无法按键合并（{why}），改用 git merge-file 逐行合并",
        "reformctl: {file} cannot be merged by key ({why}); falling back to git merge-file, line by line",
    ),
    "merge-unreadable": (
        "按键合并的结果无法解析：{detail}",
        "the merge by key does not parse: {detail}",
    ),
    "merge-fallback-invalid": (
        "reformctl: {file} 逐行合并的结果不是有效台账（{problem}），按冲突处理",
        "reformctl: {file}: the line merge is not a valid ledger ({problem}); it is a conflict",
    ),
    "not-utf8-side": ("有一方不是 UTF-8 编码", "one side is not UTF-8"),
    "git-missing": ("找不到 git 命令", "git is not installed"),
    "not-in-git": ("{file} 不在 git 仓库中", "{file} is not in a git repository"),
    "unknown-revision": ("未知的 git 版本 {rev}", "unknown git revision {rev}"),
    "git-failed": ("git 出错：{detail}", "git failed: {detail}"),
    "worktree": ("工作区", "working tree"),
    "review-invalid-at": (
        "版本 {rev} 的台账无效，无法审查：{problem}",
        "the ledger at {rev} is invalid, so it cannot be reviewed: {problem}",
    ),
    "review-commit": (
        "{sha} {who}（{units}）：{subject}",
        "{sha} {who} ({units}): {subject}",
    ),
    "review-commit-stranger": (
        "{sha} {who}（不是任何单位的成员，变化未经核实）：{subject}",
        "{sha} {who} (a member of no unit: not trusted): {subject}",
    ),
    "review-merge": ("［合并提交：只列合并本身所做的变化］", " [merge: only its own changes]"),
    "review-ok": (
        "{base}..{head}：{commits} 个提交改动台账，{n} 处变化，均在职责范围内",
        "{base}..{head}: {commits} commits changed the ledger, {n} changes, all within remit",
    ),
    "review-out": (
        "{base}..{head}：{commits} 个提交改动台账，{n} 处变化，其中 {out} 处超出职责范围",
        "{base}..{head}: {commits} commits changed the ledger, {n} changes, {out} outside remit",
    ),
    "remit-office": ("改革办成员，可办理", "in remit: a member of the office"),
    "remit-lead": ("牵头单位成员，可办理", "in remit: a member of the lead unit"),
    "remit-co-operating": ("配合单位成员，可报进展", "in remit: a member of a co-operating unit"),
    "remit-office-only": (
        "超出职责范围：此类变化须由{office}办理",
        "outside remit: only {office} may make this change",
    ),
    "remit-lead-only": (
        "超出职责范围：完成情况和佐证由牵头单位{lead}填报",
        "outside remit: done and evidence are recorded by the lead unit, {lead}",
    ),
    "remit-not-involved": (
        "超出职责范围：月度进展由牵头单位{lead}或配合单位填报",
        "outside remit: progress is logged by the lead unit, {lead}, or a co-operating unit",
    ),
    "remit-not-member": (
        "作者不是任何单位的成员",
        "the author is a member of no unit",
    ),
    "remit-unsigned": (
        "超出职责范围：提交未签名（--require-signed 要求每个改动台账的提交都有可核验的签名）",
        "outside remit: the commit is unsigned (--require-signed wants every commit that "
        "changes the ledger signed)",
    ),
    "remit-unverified": (
        "超出职责范围：签名未通过 git verify-commit 核验（签名密钥不在 allowed_signers 中，"
        "或签名无效、已过期）",
        "outside remit: the signature does not pass git verify-commit (a key the allowed "
        "signers do not list, or a bad or expired signature)",
    ),
    "remit-unvouched": (
        "超出职责范围：此变化不是范围内任何提交自身所做，由合并从范围外带入，按合并者的变化判断",
        "outside remit: no commit in the range made this change; a merge brought it in from "
        "outside the range, so it is the merger's",
    ),
    "remit-party": ("{role} {who}：{reason}", "{role} {who}: {reason}"),
    "remit-party-not-member": ("不是任何单位的成员", "a member of no unit"),
    "role-committer": ("提交者", "committer"),
    "role-signer": ("签名者", "signer"),
    "review-committer": ("；提交者 {who}（{units}）", "; committed by {who} ({units})"),
    "review-committer-stranger": (
        "；提交者 {who}（不是任何单位的成员）",
        "; committed by {who} (a member of no unit)",
    ),
    "review-committer-platform": (
        "；由平台账号 {who} 提交（只核对作者）",
        "; committed by the platform, {who} (the author alone is judged)",
    ),
    "review-signer": ("；签名者 {who}（{units}）", "; signed by {who} ({units})"),
    "review-signer-stranger": (
        "；签名者 {who}（不是任何单位的成员）",
        "; signed by {who} (a member of no unit)",
    ),
    "review-unsigned": ("；未签名", "; unsigned"),
    "review-unverified": ("；签名未通过核验", "; signature not verified"),
    "review-no-signers": (
        "--require-signed 需要 {rev} 的台账在 [ledger] allowed_signers 中指明允许的签名者文件",
        "--require-signed needs the ledger at {rev} to name the allowed signers file in "
        "[ledger] allowed_signers",
    ),
    "review-signers-missing": (
        "[ledger] allowed_signers 指明的 {file} 不在 {rev} 中",
        "{file}, which [ledger] allowed_signers names, is not in {rev}",
    ),
    "d-ledger-removed": ("删除整个台账", "the whole ledger removed"),
    "d-ledger-files-changed": (
        "台账所含文件变更：{before} → {after}",
        "the files the ledger is made of: {before} → {after}",
    ),
    "codeowners-section": ("台账", "Ledger"),
    "codeowners-no-members": (
        "警告：单位 {unit}（{key}）没有登记成员（members），其文件只能由他人审批",
        "warning: unit {unit} ({key}) has no members: its files are approved by others only",
    ),
    "codeowners-no-office": (
        "警告：台账未设 [ledger] office_unit，改革办不在任何文件的审批人中",
        "warning: no [ledger] office_unit is set: the office approves no file",
    ),
    "codeowners-written": ("已写入 {file}（{n} 条规则）", "wrote {file} ({n} rules)"),
    "remit-no-office": ("改革办（台账未设 office_unit）", "the office (no office_unit is set)"),
    "diff-none": (
        "{file}: {a} → {b} 台账内容无变化",
        "{file}: no change in ledger terms from {a} to {b}",
    ),
    "diff-head": ("{file}: {a} → {b}，{n} 处变化", "{file}: {a} → {b}, {n} changes"),
    "d-settings-changed": (
        "台账设置 {field}：{before} → {after}",
        "ledger setting {field}: {before} → {after}",
    ),
    "d-unknown-key-added": ("新增未知键 {ref} = {after}", "unknown key {ref} = {after} added"),
    "d-unknown-key-removed": (
        "删除未知键 {ref}（{before}）",
        "unknown key {ref} removed ({before})",
    ),
    "d-unknown-key-changed": (
        "未知键 {ref}：{before} → {after}",
        "unknown key {ref}: {before} → {after}",
    ),
    "d-entry-added": ("新增{what} {ref}（{after}）", "{what} {ref} added ({after})"),
    "d-entry-removed": ("删除{what} {ref}（{before}）", "{what} {ref} removed ({before})"),
    "d-entry-changed": (
        "{what} {ref} 的{field}：{before} → {after}",
        "{what} {ref}: {field} {before} → {after}",
    ),
    "d-unit-added": ("新增单位 {ref}（{after}）", "unit {ref} added ({after})"),
    "d-unit-removed": ("删除单位 {ref}（{before}）", "unit {ref} removed ({before})"),
    "d-unit-changed": (
        "单位 {ref} 的 {field}：{before} → {after}",
        "unit {ref} {field}: {before} → {after}",
    ),
    "d-group-added": ("新增专项小组 {ref}（{after}）", "group {ref} added ({after})"),
    "d-group-removed": ("删除专项小组 {ref}（{before}）", "group {ref} removed ({before})"),
    "d-group-changed": (
        "专项小组 {ref} 的 {field}：{before} → {after}",
        "group {ref} {field}: {before} → {after}",
    ),
    "d-point-added": (
        "新增工作要点 {ref}「{after}」（牵头：{detail}）",
        'work point {ref} added: "{after}" (lead: {detail})',
    ),
    "d-point-removed": ("删除工作要点 {ref}「{before}」", 'work point {ref} removed: "{before}"'),
    "d-point-changed": (
        "工作要点 {ref} 的 {field}：{before} → {after}",
        "work point {ref} {field}: {before} → {after}",
    ),
    "d-milestone-added": (
        "新增节点 {ref}「{after}」（时限 {detail}）",
        'milestone {ref} added: "{after}" (due {detail})',
    ),
    "d-milestone-removed": ("删除节点 {ref}「{before}」", 'milestone {ref} removed: "{before}"'),
    "d-milestone-changed": (
        "节点 {ref} 的 {field}：{before} → {after}",
        "milestone {ref} {field}: {before} → {after}",
    ),
    "d-done": (
        "节点 {ref} 完成（{after}，佐证：{detail}）",
        "milestone {ref} done on {after} (evidence: {detail})",
    ),
    "d-undone": (
        "节点 {ref} 撤销完成记录（原 {before}）",
        "milestone {ref} undone (was done on {before})",
    ),
    "d-done-changed": (
        "节点 {ref} 完成日期：{before} → {after}",
        "milestone {ref} done date: {before} → {after}",
    ),
    "d-evidence": (
        "节点 {ref} 佐证：{before} → {after}",
        "milestone {ref} evidence: {before} → {after}",
    ),
    "d-extended": (
        "节点 {ref} 延期：{before} → {after}（{detail}）",
        "milestone {ref} extended: {before} → {after} ({detail})",
    ),
    "d-extensions-changed": (
        "节点 {ref} 延期记录变更：{before} → {after}",
        "milestone {ref} extensions changed: {before} → {after}",
    ),
    "d-progress-added": (
        "工作要点 {ref} 新增 {field} 月度进展：{after}",
        "work point {ref}: {field} progress entry added: {after}",
    ),
    "d-progress-changed": (
        "工作要点 {ref} 的 {field} 月度进展：{before} → {after}",
        "work point {ref}: {field} progress entry: {before} → {after}",
    ),
    "d-progress-removed": (
        "工作要点 {ref} 删除 {field} 月度进展",
        "work point {ref}: {field} progress entry removed",
    ),
    "d-closed": (
        "工作要点 {ref} 销号（{after}，佐证：{detail}）",
        "work point {ref} closed on {after} (evidence: {detail})",
    ),
    "d-reopened": (
        "工作要点 {ref} 撤销销号（原 {before}）",
        "work point {ref} reopened (was closed on {before})",
    ),
    "d-close-changed": (
        "工作要点 {ref} 销号记录：{before} → {after}",
        "work point {ref} closing: {before} → {after}",
    ),
    "bad-history-args": (
        "history 的参数不合法：--by {by}、--per {per}",
        "history: bad --by {by} or --per {per}",
    ),
    "history-needs-key": (
        "--by {by} 需要 --key 指明单位或专项小组",
        "--by {by} needs --key (a unit or group key)",
    ),
    "git-installed": (
        "已为本仓库设置 reformctl 的 git diff 与 merge 驱动（{attributes}）",
        "set up reformctl's git diff and merge drivers for this clone ({attributes})",
    ),
    "merge-conflicts": (
        "{file}: 合并后有 {n} 处冲突，已用冲突标记标出：{refs}",
        "{file}: {n} conflicts left for a person, marked in the file: {refs}",
    ),
    "git-hook-installed": (
        "已安装 pre-merge-commit 钩子 {hook}：git 提交合并前用台账规则检查合并结果",
        "installed the pre-merge-commit hook {hook}: the ledger's rules judge each merge "
        "before git commits it",
    ),
    "git-hook-foreign": (
        "{hook} 已存在且不是 reformctl 写的（或写后有人改过），不予覆盖（未做任何改动）；"
        "可在其中加一行 reformctl check --fail-on never，或改用 reformctl git install --no-hook",
        "{hook} exists and reformctl did not write it (or it was edited since): not replaced "
        "(nothing was changed); "
        "add `reformctl check --fail-on never` to it, or run reformctl git install --no-hook",
    ),
    "merge-layout": (
        "（布局冲突：对方调整了此表中键的顺序，本方也改写了此表，两种写法无法兼得，请保留一种）",
        "(layout conflict: theirs reordered this table's keys and ours rewrote it too; "
        "keep one of the two)",
    ),
    "merge-layout-both": (
        "（布局冲突：双方都调整了此表中键的顺序，两种顺序无法兼得，请保留一种）",
        "(layout conflict: both sides reordered this table's keys; keep one order)",
    ),
    "merge-removed-here": ("本方已删除，对方有改动", "removed here, changed there"),
    "merge-removed-there": ("本方有改动，对方已删除", "changed here, removed there"),
    "merge-why-layout": ("布局", "layout"),
    "merge-why-comment": ("注释：{comment}", "comment: {comment}"),
    # reports
    "r-item": ("项目", "Item"),
    "r-value": ("数值", "Value"),
    "r-points": ("工作要点（项）", "Work points"),
    "r-milestones": ("节点（个）", "Milestones"),
    "r-due": ("应完成节点", "Due to date"),
    "r-done-on-time": ("按时完成", "Done on time"),
    "r-done-late": ("逾期完成", "Done late"),
    "r-overdue": ("逾期未完成", "Overdue"),
    "r-due-today": ("{when}到期未完成", "Due {when}, open"),
    "r-when-today": ("当日", "today"),
    "r-when-on": ("{day}", "on {day}"),
    "r-ms-due-on": ("{when}到期", "due {when}"),
    "r-not-yet-due": ("未到期节点", "Not yet due"),
    "r-done-early": ("其中提前完成", "of which done early"),
    "r-open-due": ("应完成未完成", "Due, still open"),
    "r-identity": (
        "应完成节点 = 按时完成 + 逾期完成 + 逾期未完成 + {when}到期未完成；"
        "节点 = 应完成节点 + 未到期节点（提前完成的计入未到期节点）。",
        "Due to date = done on time + done late + overdue + due {when}; milestones = due to "
        "date + not yet due (milestones done early count as not yet due).",
    ),
    "r-identity-accounts": (
        "应完成 = 按时完成 + 逾期完成 + 应完成未完成。",
        "Due to date = done on time + done late + due and still open.",
    ),
    "r-narrative": (
        "截至{day}，{points}项工作要点中，{points_state}。{milestones}个节点中，{due_state}{early}。"
        "节点完成率{completion}，序时进度{expected}。",
        "As of {day}, of {points} work points {points_state}. Of {milestones} milestones, "
        "{due_state}{early}. Completion {completion}, expected {expected}.",
    ),
    # clauses a narrative leaves out when their figure is 0 (the sum still holds)
    "r-n-today": ("{when}到期未完成{n}个", "{n} due {when}"),
    "r-n-early": ("；另有{n}个节点提前完成", "; {n} more were done early"),
    "r-n-q-early": ("（其中提前完成{n}个）", " ({n} of them done early)"),
    "r-n-closed": ("已销号{n}项", "{n} are closed"),
    "r-n-behind": ("{n}项进度滞后或有节点逾期", "{n} are behind or overdue"),
    "r-n-points-none": ("暂无销号或进度滞后的", "none is closed, behind or overdue"),
    "r-n-due": ("应完成{due}个，其中{parts}", "{due} are due: {parts}"),
    "r-n-due-none": ("尚无应完成的", "none is due yet"),
    "r-n-on-time": ("按时完成{n}个", "{n} done on time"),
    "r-n-late": ("逾期完成{n}个", "{n} done late"),
    "r-n-overdue": ("逾期未完成{n}个", "{n} overdue"),
    "r-n-not-yet": ("；尚未到期{n}个", "; {n} are not yet due"),
    "r-n-have": ("已报{n}条", "{n} are in"),
    "r-n-missing": ("缺报{n}条", "{n} missing"),
    "r-narrative-quarter": (
        "截至{day}，{majors}项重大改革事项中，{points_state}。"
        "本季度到期节点{in_quarter}个，截至{day}{due_state}{not_yet}{early}。",
        "As of {day}, of {majors} major reform items {points_state}. Of {in_quarter} "
        "milestones falling due this quarter, by {day} {due_state}{not_yet}{early}.",
    ),
    "r-narrative-quarter-none-due": (
        "截至{day}，{majors}项重大改革事项中，{points_state}。"
        "本季度到期节点{in_quarter}个，截至{day}均未到期{early}。",
        "As of {day}, of {majors} major reform items {points_state}. Of {in_quarter} "
        "milestones falling due this quarter, none is due yet{early}.",
    ),
    "r-narrative-entries": (
        "按月推进方面，{majors}项重大改革事项{months}个月应报月度进展{expected}条，{entries_state}。",
        "Monthly progress: {majors} major items over {months} month(s) owe {expected} entries; "
        "{entries_state}.",
    ),
    "r-narrative-entries-none": (
        "按月推进方面，本季度尚无应报的月度进展。",
        "Monthly progress: no entries are owed yet this quarter.",
    ),
    "r-extended": ("本期批准延期（次）", "Extensions granted"),
    "r-closed": ("已销号（项）", "Points closed"),
    "r-completion": ("完成率", "Completion"),
    "r-expected": ("序时进度", "Expected"),
    "r-meetings": ("深改委会议召开（次）", "Meetings held"),
    "r-pilots-reviewed": ("基层创新项目完成评估（个）", "Pilots reviewed"),
    "r-pilots-due": ("逾期未评估项目（个）", "Pilots due for review"),
    "r-cases-selected": ("典型案例入选（个）", "Model cases selected"),
    "r-cases-promoted": ("典型案例推广（个）", "Model cases promoted"),
    "r-notices-issued": ("发出督办通知（份）", "Supervision notices issued"),
    "r-notices-items": ("督办节点（个）", "Milestones given notice"),
    "r-notices-open": ("督办后仍未完成节点（个）", "Of those, still open"),
    "r-publicity": ("改革宣传报道（篇）", "Publicity pieces"),
    "r-case-themes": ("本季度案例主题", "This quarter's case themes"),
    "r-majors": ("重大改革事项（项）", "Major reform items"),
    "r-q-due": ("本季度到期节点", "Milestones due in the quarter"),
    "r-missing-entries": ("缺少月度进展（条）", "Missing monthly entries"),
    "r-times": ("延期次数", "Times"),
    "r-days-moved": ("顺延天数", "Days moved"),
    "r-reasons": ("延期理由", "Reasons"),
    "r-closed-on": ("销号日期", "Closed on"),
    "r-not-closed": ("未销号", "not closed"),
    "r-open": ("未完成节点", "Open"),
    "r-open-milestones": ("结转节点", "Milestones carried over"),
    "r-extended-ms": ("延期节点", "Extended"),
    "r-finding": ("问题", "Finding"),
    "r-missing": ("缺", "missing"),
    "r-missing-entry": ("缺少 {month} 月度进展", "no progress entry for {month}"),
    "r-title-half": ("{ledger}·{half}半年通报", "{ledger}: circular, half-year {n}"),
    "r-title-year": ("{ledger}·年终总账", "{ledger}: year-end reckoning"),
    "r-title-quarter": (
        "{ledger}·重大改革事项第{n}季度盘点",
        "{ledger}: quarterly review of major items, Q{n}",
    ),
    "r-subtitle-half": ("{span}，截至{day}", "{span}, as of {day}"),
    "r-subtitle-year": ("{year}年度，截至{day}", "{year}, as of {day}"),
    "r-subtitle-quarter": (
        "{year}年第{n}季度（{span}），截至{day}",
        "{year} Q{n} ({span}), as of {day}",
    ),
    "r-s-headline": ("一、总体情况", "1. Headline figures"),
    "r-s-rank-unit": ("二、各牵头单位进度排名", "2. Ranking by lead unit"),
    "r-s-rank-group": ("三、各专项小组进度排名", "3. Ranking by group"),
    "r-s-overdue": ("四、逾期未完成节点", "4. Overdue milestones"),
    "r-o-unit": ("{unit}：{n}个节点逾期未完成。", "{unit}: {n} milestone(s) overdue."),
    "r-o-unit-one": ("{unit}：{item}", "{unit}: {item}"),
    "r-o-item": (
        "{name}，应于{due}完成，已逾期{days}天。",
        "{name}, due {due}: {days} day(s) overdue.",
    ),
    "r-o-lead": (
        "截至{day}，共{n}个节点逾期未完成，按专项小组和牵头单位列示如下（明细见附件{i}）：",
        "As of {day}, {n} milestone(s) were overdue, by group and lead unit below (details in annex {i}):",
    ),
    "r-s-extensions": ("五、延期情况", "5. Extensions granted"),
    "r-s-closed": ("六、已销号工作要点", "6. Points closed"),
    "r-s-points": ("二、工作要点销号情况", "2. Every point, closed or not"),
    "r-s-carry": ("三、结转下一年度事项", "3. Carried over to next year"),
    "r-s-accounts": ("四、各单位账目", "4. Each unit's account"),
    "r-s-rank-year": ("五、年度进度排名", "5. The year's ranking"),
    "r-s-q-milestones": ("二、本季度节点", "2. Milestones in the quarter"),
    "r-s-q-entries": ("三、月度进展", "3. Monthly progress entries"),
    "r-s-q-findings": ("四、发现的问题", "4. Findings"),
    "r-written": ("已生成 {file}", "wrote {file}"),
    "r-bad-out": (
        "不支持的输出格式 {ext}（可用 .docx .md .html .xlsx .csv .json）",
        "unknown output format {ext} (use .docx .md .html .xlsx .csv .json)",
    ),
    "r-bad-period": (
        "{kind} 的期数应在 1 到 {max} 之间，实为 {n}",
        "{kind}: --period must be 1..{max}, not {n}",
    ),
    "r-format-and-out": (
        "--format 用于输出到终端；写入文件时格式由 --out 的扩展名决定，二者只能用其一",
        "--format is for standard output; with --out the file's extension names the format: "
        "use one or the other",
    ),
    "ledger-changed-since": (
        "{file} 在导入期间被修改（{tables} 已存在），未导入任何内容，请重试",
        "{file} changed during the import ({tables} now exist); nothing imported, try again",
    ),
    "file-exists": ("{file} 已存在，不会覆盖它", "{file} already exists; it is not overwritten"),
    "hint-overwrite": ("确需覆盖请加 --force", "add --force to overwrite it"),
    "out-binary-tty": (
        "不把 Excel 工作簿写到终端：请用 --out 文件名，或把输出重定向到文件",
        "an Excel workbook is not written to a terminal: use --out FILE or redirect the output",
    ),
    "rollover-year": (
        "结转年度 {year} 应晚于本台账年度 {current}",
        "--to-year {year} must be after the ledger's year, {current}",
    ),
    "rolled-over": (
        "已生成 {file}：{year}年台账，结转未完成工作要点 {n} 项（共 {total} 项）",
        "wrote {file}: the {year} ledger, carrying over {n} of {total} work points",
    ),
    "imported": (
        "已导入：工作要点 {points} 项、节点 {milestones} 个，新增单位 {units} 个、专项小组 {groups} 个",
        "imported {points} work points, {milestones} milestones; {units} new units, {groups} new groups",
    ),
    "import-plan": (
        "将导入：工作要点 {points} 项、节点 {milestones} 个，新增单位 {units} 个、专项小组 {groups} 个（未写入）",
        "would import {points} work points, {milestones} milestones; {units} new units, {groups} new groups (nothing written)",
    ),
    "import-bad-row": ("{file}:{at}: {why}", "{file}:{at}: {why}"),
    "import-refused": (
        "{file}: {n} 行无法识别，未导入任何内容（加 --skip-bad 跳过这些行）",
        "{file}: {n} rows could not be read; nothing imported (--skip-bad to leave them out)",
    ),
    "import-empty": ("{file}: 没有可导入的工作要点", "{file}: no work points to import"),
    "import-format": (
        "不支持的文件类型 {ext}（可用 .xlsx .xlsm .xls .ods .csv .docx）",
        "cannot import {ext} files (use .xlsx, .xlsm, .xls, .ods, .csv or .docx)",
    ),
    "import-missing": ("{file}: 文件不存在", "{file}: no such file"),
    "import-unreadable": ("{file}: 无法读取：{why}", "{file}: cannot read: {why}"),
    "import-not-file": (
        "{file}: 不是普通文件（设备、管道或目录不能导入）",
        "{file}: not a regular file (a device, pipe or folder cannot be imported)",
    ),
    "import-too-big": (
        "{file}: 文件大小 {size}，超过导入上限 {limit}",
        "{file}: {size}, over the import limit of {limit}",
    ),
    "import-too-many-rows": (
        "{file}: 工作表“{sheet}”超过 {limit} 行（导入上限）",
        "{file}: sheet '{sheet}' has more than {limit} rows (the import limit)",
    ),
    "import-too-many-columns": (
        "{file}: 工作表“{sheet}”第 {row} 行有 {n} 列，超过导入上限 {limit} 列",
        "{file}: sheet '{sheet}' row {row} has {n} columns, over the import limit of {limit}",
    ),
    "import-csv-too-many-rows": (
        "{file}: 超过 {limit} 行（导入上限）",
        "{file}: more than {limit} rows (the import limit)",
    ),
    "import-csv-too-many-columns": (
        "{file}: 第 {row} 行有 {n} 列，超过导入上限 {limit} 列",
        "{file}: row {row} has {n} columns, over the import limit of {limit}",
    ),
    "import-too-many-cells": (
        "{file}: 单元格超过 {limit} 个（导入上限）",
        "{file}: more than {limit} cells (the import limit)",
    ),
    "import-not-text": (
        "{file}: 不是 UTF-8、GBK 或 GB18030 编码的文本（偏移 {offset} 处的字节 {byte} 无法解码；请在 Excel 或 WPS 中另存为“CSV UTF-8”）",
        "{file}: not UTF-8, GBK or GB18030 text (the byte at offset {offset}, {byte}, cannot be decoded; save it as 'CSV UTF-8' in Excel or WPS)",
    ),
    "import-bad-csv": (
        "{file}:{line}: 无法按 CSV 读取：{why}",
        "{file}:{line}: not readable as CSV: {why}",
    ),
    "import-not-xlsx": (
        "{file}: 不是可读取的 .xlsx 工作簿（{why}）",
        "{file}: not a readable .xlsx workbook ({why})",
    ),
    "import-no-sheets": ("{file}: 工作簿中没有工作表", "{file}: the workbook has no worksheet"),
    "import-not-xls": (
        "{file}: 不是可读取的 .xls 工作簿（{why}）",
        "{file}: not a readable .xls workbook ({why})",
    ),
    "import-not-ods": (
        "{file}: 不是可读取的 .ods 表格（{why}）",
        "{file}: not a readable .ods spreadsheet ({why})",
    ),
    "import-not-docx": (
        "{file}: 不是可读取的 .docx 文档（{why}）",
        "{file}: not a readable .docx document ({why})",
    ),
    "import-html-xls": (
        "{file}: 这是网页或 XML 格式的表格，不是真正的 .xls 工作簿；请在 Excel 或 WPS 中另存为 .xlsx",
        "{file}: a web page or XML table, not a real .xls workbook; save it as .xlsx in Excel or WPS",
    ),
    "import-doc": (
        "{file}: 不能读取旧版 Word 文档（.doc）；请在 Word 或 WPS 中另存为 .docx",
        "{file}: cannot read an old Word document (.doc); save it as .docx in Word or WPS",
    ),
    "import-no-tables": ("{file}: 文档中没有表格", "{file}: the document has no table"),
    "import-too-many-parts": (
        "{file}: 压缩包内有 {n} 个文件，超过上限 {limit} 个（不像 .xlsx 工作簿）",
        "{file}: {n} files inside the zip, over the limit of {limit} (not like an .xlsx workbook)",
    ),
    "import-unpacked-too-big": (
        "{file}: 解压后共 {size}，超过导入上限 {limit}（疑似压缩炸弹）",
        "{file}: {size} unpacked, over the import limit of {limit} (a zip bomb?)",
    ),
    "import-zip-ratio": (
        "{file}: {part} 的压缩比 {ratio}:1 超过上限 {limit}:1（疑似压缩炸弹）",
        "{file}: {part} unpacks {ratio}:1, over the limit of {limit}:1 (a zip bomb?)",
    ),
    "import-xml-entities": (
        "{file}: 工作簿含 XML 实体声明，拒绝读取（.xlsx 不需要实体，疑似“十亿笑”攻击）",
        "{file}: the workbook declares XML entities; refused (an .xlsx never needs them: a billion-laughs attack?)",
    ),
    "exported": ("已导出 {file}", "exported {file}"),
    "created": ("已创建台账 {file}", "created ledger {file}"),
    "ranking-rule": (
        "排名规则：无逾期者在前；逾期节点少者在前；完成率超出序时进度多者在前；逾期完成少者在前；完成率高者在前；最后按代码。",
        "Ranking: no overdue first; then fewer overdue; then completion above expected; "
        "then fewer done late; then higher completion; finally by key.",
    ),
    "progress-vs-expected": ("{done}（序时进度 {expected}）", "{done} (expected {expected})"),
    "titled": ("{title}（截至 {today}）", "{title} (as of {today})"),
    "as-of": ("截至{day}", "As of {day}"),
    "no-rows": ("（无）", "(none)"),
    "days-overdue": ("逾期{n}天", "{n} days overdue"),
    "days-left": ("{n}天后到期", "due in {n} days"),
    "days-overdue-1": ("逾期1天", "1 day overdue"),
    "days-left-1": ("1天后到期", "due in 1 day"),
    "due-today": ("今日到期", "due today"),
    "working-days-fallback": (
        "提示：chinese-calendar 不含 {year} 年的法定节假日安排，按周一至周五计算工作日",
        "warning: chinese-calendar has no holiday schedule for {year}; counting Monday to Friday",
    ),
    "extended-times": ("延期{n}次", "extended {n}x"),
    # syntax errors by what stands where the parser stopped (issue 22)
    "toml-duplicate": (
        "重复定义：{key} 在前面已经定义过",
        "defined twice: {key} is already defined above",
    ),
    "toml-date": ("日期或时间无效：{detail}", "not a valid date or time: {detail}"),
    "toml-escape": ("字符串中的转义无效：{detail}", "bad escape in a string: {detail}"),
    "toml-unterminated": (
        "字符串缺少结束引号：{detail}",
        "string not closed: {detail}",
    ),
    "hint-too-deep": (
        "数组或内联表最多嵌套 256 层，台账用不到这么深：检查多出的 [ 或 {{",
        "arrays and inline tables nest at most 256 deep, far more than a ledger needs: "
        "look for stray [ or {{",
    ),
    "hint-toml-escape": (
        '反斜杠只用于 \\n \\t \\" \\\\ \\uXXXX 等转义：字面的反斜杠写成 \\\\，或改用单引号字符串',
        'a backslash starts an escape (\\n \\t \\" \\\\ \\uXXXX): write a literal one as '
        "\\\\, or use a single-quoted string",
    ),
    "hint-toml-unterminated": (
        '在同一行末尾补上引号；跨行的文本用三引号 """',
        'close the quote on the same line; text over several lines takes triple quotes """',
    ),
    # the cache (issue 22): a folder or key others could write is not used
    "cache-dir-unsafe": (
        "缓存目录 {path} 不属于当前用户或允许他人写入（{why}），不予使用",
        "cache folder {path} is not yours alone or others may write it ({why}): not used",
    ),
    "cache-dir-not-folder": (
        "缓存目录 {path} 不是文件夹，不予使用",
        "cache folder {path} is not a folder: not used",
    ),
    "cache-key-unsafe": (
        "缓存密钥 {path} 不是当前用户私有的文件（{why}），不使用缓存",
        "cache key {path} is not a file private to you ({why}): no cache used",
    ),
}


# -- import: reading workbooks as offices make them (issue 21) --------------------------------------
LABELS.update(
    {
        "field-id": ("编号", "ID"),
        "field-seq": ("序号", "No."),
        "field-title": ("工作要点", "work point"),
        "field-group": ("专项小组", "group"),
        "field-lead": ("牵头单位", "lead unit"),
        "field-units": ("配合单位", "co-operating units"),
        "field-responsible": ("责任单位", "responsible units"),
        "field-path": ("实施路径", "path"),
        "field-outcome": ("成果形式", "outcome"),
        "field-major": ("重大改革事项", "major"),
        "field-ms_key": ("节点编号", "milestone key"),
        "field-ms_name": ("节点", "milestone"),
        "field-due": ("完成时限", "due"),
        "field-done": ("完成日期", "done"),
        "field-evidence": ("佐证材料", "evidence"),
        "field-progress": ("本月进展", "progress"),
        "field-closed": ("销号日期", "closed"),
        "field-closing_evidence": ("销号佐证", "closing evidence"),
    }
)
MESSAGES.update(
    {
        "intake-at-column": ("“{name}”：{why}", "({name}) {why}"),
        "intake-row-ref": ("第{row}行", "row {row}"),
        "intake-row-of-sheet": ("“{sheet}”第{row}行", "row {row} of “{sheet}”"),
        "intake-same-point-elsewhere": (
            "与{row}是同一工作要点，一个工作要点只能在一张表中；请删去其中一处后再导入",
            "the same work point as {row}: a work point belongs in one table only; delete one of them, then import",
        ),
        "intake-copy-sheet": (
            "{file}: “{sheet}”与“{other}”内容相同，是重复的副本，不读取；请删除该表后再导入",
            "{file}: “{sheet}” holds the same rows as “{other}”, a copy: delete it, then import",
        ),
        "intake-no-header": (
            "{file}: 找不到表头：需要“{need}”列（或 改革任务、重点任务、改革事项）；找到的表头：{found}",
            "{file}: no header found: a “{need}” column is needed (or 改革任务, 重点任务, 改革事项); headers found: {found}",
        ),
        "intake-first-only": (
            "{option} 只用于首次导入（台账 {file} 已存在）",
            "{option} is for a first import only ({file} exists)",
        ),
        "intake-title-exists": (
            "此工作要点已在台账中（{id}）；更新请用 reformctl import 文件 --update",
            "this work point is already in the ledger ({id}); to update it: reformctl import FILE --update",
        ),
        "intake-missing-column": (
            "{file}: 缺少“{need}”列；找到的表头：{found}",
            "{file}: no “{need}” column; headers found: {found}",
        ),
        "intake-duplicate-step": (
            "与{row}是同一节点（{name}，{due}）",
            "the same milestone as {row} ({name}, {due})",
        ),
        "intake-hidden-column": (
            "{file}:{row}:{column}: “{name}”（{field}）是隐藏列，没有可见的同名列；请取消隐藏或删除该列后再导入",
            "{file}:{row}:{column}: ({name}, {field}) a hidden column with no visible twin; unhide or delete it, then import",
        ),
        "intake-dues-unpaired": (
            "一格写了 {n} 个完成时限，但对应的节点有 {m} 个，无法一一对应",
            "the cell holds {n} due dates but {m} milestones: they do not pair up",
        ),
        "intake-group-empty": (
            "专项小组为空，请填写（或用 --group 指定）",
            "the 专项小组 cell is empty: fill it in (or pass --group)",
        ),
        "intake-row-deleted": (
            "表中没有 {what} 这一行；导入不删除，要删除请用：{command}",
            "the sheet has no row for {what}; import removes nothing: to remove it, use {command}",
        ),
        "intake-hidden-sheet": (
            "在隐藏的工作表“{sheet}”中，不读取；请取消隐藏该表（要导入）或删除它后再导入，或用 --skip-bad 跳过",
            "on the hidden sheet “{sheet}”, not read: unhide the sheet (to import it) or delete it, then import, or pass --skip-bad",
        ),
        "intake-hidden-sheet-twin": (
            "{file}: 隐藏的工作表“{sheet}”与“{twin}”内容相同，未读取，读取可见的“{twin}”",
            "{file}: hidden sheet “{sheet}” holds the same rows as “{twin}”: not read, the visible “{twin}” is",
        ),
        "intake-hidden-sheet-other": (
            "{file}: 隐藏的工作表“{sheet}”没有工作要点表，未读取",
            "{file}: hidden sheet “{sheet}” holds no work-point table: not read",
        ),
        "intake-hidden-row": (
            "是隐藏行，不读取；请取消隐藏（要导入）或删除该行后再导入，或用 --skip-bad 跳过",
            "a hidden row, not read: unhide it (to import it) or delete it, then import, or pass --skip-bad",
        ),
        "intake-control-char": (
            "含控制字符 {char}（不可见，不是录入的文字）；请删除后再导入",
            "holds the control character {char} (invisible, not typed text); delete it, then import",
        ),
        "intake-hidden-twin": (
            "{file}: 隐藏列 {hidden}“{hidden_name}”未读取，读取可见列 {column}“{name}”",
            "{file}: hidden column {hidden} ({hidden_name}) not read; visible column {column} ({name}) read instead",
        ),
        "intake-sheet": (
            "{file}: 读取工作表“{sheet}”，表头在第{row}行",
            "{file}: reading sheet “{sheet}”, header at row {row}",
        ),
        "intake-sheet-continued": (
            "{file}: 读取“{sheet}”，是“{first}”跨页的续表（没有表头，按“{first}”的表头读取）",
            "{file}: reading “{sheet}”, continuing “{first}” across a page (no header: read with the header of “{first}”)",
        ),
        "intake-skipped-rows": (
            "{file}: 跳过 {n} 行（分组行、合计、备注、空行、重复表头）",
            "{file}: {n} rows skipped (group rows, totals, notes, blank rows, repeated headers)",
        ),
        "intake-orphan-row": (
            "此行没有工作要点，上方也没有可归属的工作要点",
            "this row names no work point and there is none above it to belong to",
        ),
        "intake-no-title": ("“工作要点”为空", "the work point is empty"),
        "intake-bad-id": (
            "编号 {id} 不合法（只能含字母、数字、- 和 _）",
            "ID {id} is not valid (letters, digits, - and _ only)",
        ),
        "intake-bad-major": ("“{text}”不是 是/否", "“{text}” is not yes/no (是/否)"),
        "intake-bad-date": ("无法识别的日期“{text}”{hint}", "cannot read the date “{text}”{hint}"),
        "intake-docx-columns": (
            "{file}: 没有表头，列数（{n}）与“{other}”的表头（{m}列）不同，不能作为“{other}”的续表读取；"
            "请在续表首行重复表头，或把它的列与“{other}”对齐后再导入",
            "{file}: no header, and its {n} columns are not the {m} of “{other}”'s header: it "
            "cannot be read as the rest of “{other}”; repeat the header on its first row, or "
            "align its columns with “{other}”, then import",
        ),
        "intake-nested-table": (
            "单元格中嵌套了表格，不读取；请把其中的内容写成文字（如“1.6月底前……；2.年底前……”）后再导入",
            "the cell holds a table of its own, not read: write its content as text (such as "
            "“1.6月底前……；2.年底前……”), then import",
        ),
        "intake-no-value": (
            "公式没有计算结果（请在 Excel/WPS 中打开并保存后再导入）",
            "a formula with no computed value (open and save the file in Excel/WPS, then import)",
        ),
        "intake-no-due": ("节点缺少完成时限", "a milestone without a due date"),
        "intake-steps-unpaired": (
            "一格写了 {n} 个节点，但对应的完成时限有 {m} 个，无法一一对应",
            "the cell holds {n} milestones but {m} due dates: they do not pair up",
        ),
        "intake-done-without-step": (
            "完成日期只能对应一个节点",
            "a done date must belong to exactly one milestone",
        ),
        "intake-no-lead": ("“牵头单位”为空", "no lead unit"),
        "intake-two-leads": (
            "一格中有两个牵头单位：{names}",
            "two lead units in one cell: {names}",
        ),
        "intake-lead-unmarked": (
            "“{names}”中有多个单位，但没有标明牵头单位（请写“（牵头）”或另设牵头单位列）",
            "“{names}” names several units and none is marked as the lead (add （牵头） or a 牵头单位 column)",
        ),
        "intake-unit-ambiguous": (
            "“{name}”可能是 {candidates}，无法确定",
            "“{name}” could be {candidates}: ambiguous",
        ),
        "intake-group-ambiguous": (
            "“{name}”可能是 {candidates}，无法确定",
            "“{name}” could be {candidates}: ambiguous",
        ),
        "intake-unknown-unit": (
            "“{name}”不是已登记的单位（先用 reformctl unit add 登记）",
            "“{name}” is not a declared unit (declare it with reformctl unit add)",
        ),
        "intake-no-group": (
            "没有“专项小组”列，请用 --group 指定",
            "no 专项小组 column: name the group with --group",
        ),
        "intake-point-exists": (
            "工作要点 {id} 已在台账中",
            "work point {id} is already in the ledger",
        ),
        "intake-with-bad-row": (
            "同一工作要点的{row}无法识别，整项未导入",
            "{row} of the same work point cannot be read: the point is left out",
        ),
        "intake-same-point-differs": (
            "与{row}是同一工作要点，但内容不一致",
            "the same work point as {row}, but the two rows differ",
        ),
        "intake-title-ambiguous": (
            "标题对应多个工作要点（{ids}），请加“编号”列或“专项小组”列",
            "the title matches several work points ({ids}): add an ID or a group column",
        ),
        "intake-new-point-office": (
            "新增工作要点“{title}”须由改革办导入",
            "the new work point “{title}” is for the reform office to import",
        ),
        "intake-outside": (
            "工作要点 {id} 由{lead}牵头，不在本单位职责范围内",
            "work point {id} is led by {lead}: outside this unit's remit",
        ),
        "intake-edit-by-command": (
            "导入不做此项修改，请用：{command}",
            "import does not make this change; use: {command}",
        ),
        "intake-office-edits": (
            "单位填报不能修改工作要点本身，须由改革办执行：{command}",
            "a unit's return cannot change the work point itself; the office runs: {command}",
        ),
        "intake-duplicate-row": (
            "与{row}重复（同一节点 {ref}）",
            "duplicates {row} (the same milestone {ref})",
        ),
        "intake-duplicate-key": ("节点编号 {key} 重复", "milestone key {key} is used twice"),
        "intake-due-moved": (
            "节点 {ref} 的完成时限 {due} 与台账（{now}）不一致，调整时限请用：{command}",
            "milestone {ref} is due {due} here but {now} in the ledger; to move it: {command}",
        ),
        "intake-done-future": ("完成日期 {date} 晚于今天", "done date {date} is after today"),
        "intake-done-differs": (
            "节点 {ref} 的完成日期 {date} 与台账（{now}）不一致，如需更正请先执行：{command}",
            "milestone {ref} was done {date} here but {now} in the ledger; to correct it first run: {command}",
        ),
        "intake-cleared": (
            "此格被清空（台账中为“{was}”）；导入不做此项修改，请用：{command}",
            "this cell was emptied (the ledger has “{was}”); import does not make this change: {command}",
        ),
        "intake-cleared-id": (
            "编号为空，而台账中该工作要点的编号是 {id}；编号不能更改，请填回 {id} 后再导入",
            "the ID is empty, but the ledger has this work point as {id}; IDs do not change: put {id} back, then import",
        ),
        "intake-cleared-key": (
            "节点编号被清空（台账中为 {key}）；节点编号不能更改，请填回 {key} 后再导入",
            "the milestone key was emptied (the ledger has {key}); keys do not change: put {key} back, then import",
        ),
        "intake-done-cleared": (
            "节点 {ref} 在台账中已完成，此处完成日期被清空；如需撤销请执行：{command}",
            "milestone {ref} is done in the ledger but its done date was cleared here; to undo it run: {command}",
        ),
        "intake-evidence-without-done": (
            "节点 {ref} 填了佐证材料，但没有完成日期",
            "milestone {ref} has evidence but no done date",
        ),
        "intake-new-step-done": (
            "新增节点请先登记，完成情况用 {command} 记录",
            "add the new milestone first, then record it with {command}",
        ),
        "intake-needs-year": (
            "{file}: 无法从完成时限判断年度，请用 --year 指定",
            "{file}: no year can be told from the deadlines; give one with --year",
        ),
        "intake-first-plan": (
            "将新建台账 {ledger}：{title}（{year}年）",
            "would create the ledger {ledger}: {title} ({year})",
        ),
        "intake-created": (
            "已新建台账 {ledger}（{year}年）",
            "created the ledger {ledger} ({year})",
        ),
        "intake-skipped-listed": (
            "{file}: 已跳过 {n} 行（见上）",
            "{file}: {n} rows skipped (listed above)",
        ),
        "intake-date-hint": ("：{hint}", ": {hint}"),
    }
)


# -- the office's identity and its documents (issue 24)
MESSAGES.update(
    {
        "office-nothing": (
            "未给出要设置的项：--office、--office-code、--office-unit、--cc 或 --issuer",
            "nothing to set: give --office, --office-code, --office-unit, --cc or --issuer",
        ),
        "office-unit-needs-name": (
            "单位 {key} 尚未登记：请同时用 --office 给出发文机关名称（作为该单位名称）",
            "unit {key} is not declared: give --office too (the unit is named after it)",
        ),
        "office-set": (
            "已设置发文机关：{office}（代字 {office_code}）",
            "set the office: {office} (code {office_code})",
        ),
        "office-not-set": (
            "台账未设置发文机关，不能生成公文（.docx）：请先执行 reformctl office set --office 名称 "
            "--office-code 代字",
            "the ledger names no office, so no document (.docx) can be made: run reformctl office "
            "set --office NAME --office-code CODE first",
        ),
        "n-office-unset": ("本办", "the office"),
        "doc-when-half": ("{year}年{half}半年", "the {half} half of {year}"),
        "doc-when-year": ("{year}年度", "{year}"),
        "doc-when-quarter": ("{year}年第{n}季度", "{n} quarter of {year}"),
        "doc-title-half": ("关于{when}{name}推进情况的通报", "Circular on the {name}: {when}"),
        "doc-title-year": ("关于{when}{name}落实情况的通报", "Circular on the {name}: {when}"),
        "doc-title-quarter": (
            "关于{when}重大改革事项推进情况的通报",
            "Circular on the major reform items: {when}",
        ),
        "doc-to": ("各专项小组，各有关单位：", "To every special working group and unit:"),
        "doc-number-blank": ("{office_code}〔{year}〕　号", "{office_code}〔{year}〕 No. __"),
        "doc-see-annex": ("共{n}项，详见附件{i}。", "{n} in all: see annex {i}."),
        "doc-none": ("无。", "None."),
        "rank-office-mark": ("（本办）", " (the office)"),
        "n-office-left-out": (
            "本办（{unit}）牵头的节点未发督办通知；如需发送请加 --include-office",
            "no notice to the office's own unit ({unit}); add --include-office to send one",
        ),
        "doc-annex-note": ("附件：{title}", "Annex: {title}"),
        "doc-annex": ("附件", "Annex"),
        "n-annex-title": ("督办事项清单", "The items"),
        "doc-cc": ("抄送：{cc}。", "Copy to: {cc}."),
        "doc-issued": ("{day}印发", "issued {day}"),
        "prompt-office": (
            "发文机关全称（如 福建省委全面深化改革委员会办公室；可留空）",
            "The office's full name (may be left empty)",
        ),
        "prompt-office-code": (
            "发文机关代字（如 闽改办；可留空）",
            "The office's code, e.g. 闽改办 (may be left empty)",
        ),
        "prompt-office-unit": (
            "本办单位代号（如 ggb；可留空）",
            "The office's own unit key, e.g. ggb (may be left empty)",
        ),
    }
)

# -- remind: digests to each unit's chat group and mail (issue 27)
LABELS.update(
    {
        "kind-remind": ("单位提醒配置", "remind table of unit"),
        "channel-dingtalk": ("钉钉", "DingTalk"),
        "channel-wecom": ("企业微信", "WeCom"),
        "channel-feishu": ("飞书", "Feishu"),
        "channel-email": ("邮件", "mail"),
    }
)
MESSAGES.update(
    {
        "remind-literal": (
            "单位 {unit} 的提醒配置 {field} 只能写 env:变量名，不能直接写网址或密钥",
            "unit {unit}: remind {field} must be env:NAME, never the URL or secret itself",
        ),
        "remind-ci-variable": (
            "单位 {unit} 的提醒配置 {field} 不能使用 CI 平台自己的变量 {name}",
            "unit {unit}: remind {field} must not name the CI platform's own variable {name}",
        ),
        # the digest, as the units read it
        "remind-title": (
            "【改革任务提醒】{unit}：逾期 {overdue} 项，即将到期 {soon} 项",
            "Reform reminder for {unit}: {overdue} overdue, {soon} due soon",
        ),
        "remind-title-office": (
            "【改革任务提醒·全省汇总】逾期 {overdue} 项，即将到期 {soon} 项",
            "Reform reminder, the whole picture: {overdue} overdue, {soon} due soon",
        ),
        "remind-intro": ("{ledger}，截至{day}：", "{ledger}, as of {day}:"),
        "remind-overdue-heading": ("逾期未完成（{n} 项）", "Overdue ({n})"),
        "remind-soon-heading": ("{days} 天内到期（{n} 项）", "Due within {days} days ({n})"),
        "remind-item": (
            "{n}. {what}{lead}：完成时限 {due}，{when}",
            "{n}. {what}{lead}: due {due}, {when}",
        ),
        "remind-days-overdue": ("逾期{days}天", "{days} days overdue"),
        "remind-due-today": ("今天到期", "due today"),
        "remind-days-left": ("还有{days}天", "{days} days left"),
        "remind-lead": ("（牵头：{unit}）", " (lead: {unit})"),
        "remind-how": (
            "完成后请将佐证材料（如文号）报送{office}，登记完成、对账销号。",
            "When done, send the evidence (e.g. the document number) to {office} to record it and strike it off.",
        ),
        "remind-how-office": (
            "各牵头单位已收到各自的提醒；完成情况以佐证材料登记：reformctl done 要点/节点 --evidence 文号。",
            "Each lead unit has had its own reminder; record completion with evidence: reformctl done POINT/MS --evidence NUMBER.",
        ),
        "remind-left-out": (
            "另有 {n} 项未列出，请查看台账。",
            "{n} more not listed: see the ledger.",
        ),
        "remind-col-item": ("工作要点 / 节点", "Point / milestone"),
        "remind-col-due": ("完成时限", "Due"),
        "remind-col-when": ("情况", "State"),
        "remind-col-lead": ("牵头单位", "Lead unit"),
        # what remind says, a line a message
        "remind-sent": (
            "已发送 {unit}（{name}）{channel} → {target}：逾期 {overdue} 项，即将到期 {soon} 项",
            "sent {unit} ({name}) {channel} → {target}: {overdue} overdue, {soon} due soon",
        ),
        "remind-failed": (
            "未发送 {unit}（{name}）{channel} → {target}：{reason}",
            "not sent {unit} ({name}) {channel} → {target}: {reason}",
        ),
        "remind-after-tries": ("{reason}（共尝试 {n} 次）", "{reason} (after {n} tries)"),
        "remind-skipped": (
            "已跳过 {unit}（{name}）{channel}：{day} 已发送（重发请加 --again）",
            "skipped {unit} ({name}) {channel}: already sent on {day} (--again sends again)",
        ),
        "remind-would-send": (
            "—— 将发送 {unit}（{name}）{channel} → {target}",
            "—— would send {unit} ({name}) {channel} → {target}",
        ),
        "remind-now": ("发送时刻", "time of sending"),
        "remind-dry-unset": (
            "（注意：环境变量 {name} 未设置，实际发送时将失败）",
            "(note: {name} is not set; sending would fail)",
        ),
        "remind-no-channel": (
            "无渠道 {unit}（{name}）：有待提醒事项，但 [units.{unit}.remind] 未配置提醒渠道",
            "no channel {unit} ({name}): items are due but [units.{unit}.remind] names no channel",
        ),
        "remind-nothing-due": (
            "{day}：没有逾期或 {days} 天内到期的节点，无需提醒",
            "{day}: nothing overdue or due within {days} days; no reminders",
        ),
        "remind-some-failed": ("发送失败 {n} 条：{names}", "{n} not sent: {names}"),
        "remind-env-unset": (
            "环境变量 {name} 未设置",
            "the environment variable {name} is not set",
        ),
        "remind-bad-setting": (
            "环境变量 {name} 的值 {value} 不是有效的非负数",
            "{name} is {value}, not a valid non-negative number",
        ),
        "remind-bad-smtp-url": (
            "{name} 应为 smtp://[用户:密码@]主机[:端口] 或 smtps://…",
            "{name} must be smtp://[user:password@]host[:port] or smtps://…",
        ),
        "remind-log-unreadable": (
            "无法读取发送记录 {file}（{why}）",
            "cannot read the send log {file} ({why})",
        ),
        "remind-log-unwritable": (
            "无法写入发送记录 {file}（{why}），未发送任何提醒",
            "cannot write the send log {file} ({why}); nothing was sent",
        ),
        "remind-log-bad-line": (
            "{file}: 发送记录格式不对（请修正或删除该行）",
            "{file}: not a line of the send log (fix or remove it)",
        ),
        "remind-no-office-unit": (
            "--office-digest 需要在 [ledger] 中设置 office_unit（办公室自己的单位）",
            "--office-digest needs [ledger] office_unit (the office's own unit)",
        ),
        "hint-remind-env": (
            '例如 dingtalk = "env:FGW_DINGTALK_URL"，在 CI 中把该变量设为隐藏（masked）变量',
            'for example dingtalk = "env:FGW_DINGTALK_URL", set as a masked variable in CI',
        ),
    }
)

# -- the static site (`site`): its words, and what the command says
LABELS.update(
    {
        "site-overview": ("总览", "Overview"),
        "site-points": ("全部工作要点", "All work points"),
        "site-due": ("逾期与本周到期", "Overdue and due this week"),
        "site-mechanisms": ("工作机制", "Mechanisms"),
        "site-skip": ("跳到正文", "Skip to content"),
        "site-search": ("搜索工作要点、单位、专项小组", "Search points, units, groups"),
        "site-search-button": ("搜索", "Search"),
        "site-figures": ("今日数据", "Figures of the day"),
        "site-board-unit": ("红黄绿灯与比进度（按牵头单位）", "Board and ranking by lead unit"),
        "site-board-group": ("红黄绿灯与比进度（按专项小组）", "Board and ranking by group"),
        "site-change": ("较上月末", "Since last month"),
        "site-steady": ("持平", "steady"),
        "site-new": ("新上榜", "new"),
        "site-no-history": ("—", "—"),
        "site-overdue": ("逾期未完成节点", "Overdue milestones"),
        "site-week": ("本周到期节点", "Milestones due this week"),
        "site-chart": (
            "完成率与序时进度（按月）",
            "Completion against expected progress, by month",
        ),
        "site-chart-done": ("完成率（实线）", "completion (solid line)"),
        "site-chart-expected": ("序时进度（虚线）", "expected progress (dashed line)"),
        "site-points-n": ("工作要点", "work points"),
        "site-milestones-n": ("节点", "milestones"),
        "site-week-n": ("本周到期", "due this week"),
        "site-closed-n": ("已销号", "closed"),
        "site-led": ("牵头的工作要点", "Points it leads"),
        "site-coop": ("配合的工作要点", "Points it co-operates on"),
        "site-milestones": ("节点", "Milestones"),
        "site-rank-history": ("排名与进度走势（各月末）", "Rank and progress at each month's end"),
        "site-now": ("今日", "today"),
        "site-group-points": ("本组工作要点", "Points of the group"),
        "site-facts": ("基本情况", "The point"),
        "site-extensions": ("延期记录", "Extensions"),
        "site-progress": ("月度进展", "Monthly progress"),
        "site-closing": ("结项销号", "Closing"),
        "site-not-closed": ("尚未结项销号", "Not closed yet"),
        "site-timeline": ("留痕：台账记录时间线", "Timeline: when each fact was recorded"),
        "site-who": ("记录人", "Recorded by"),
        "site-commit": ("提交", "Commit"),
        "site-change-col": ("记录内容", "What was recorded"),
        "site-timeline-none": (
            "不在 git 仓库中，或尚无提交：无记录时间线",
            "Not in a git repository, or no commit yet: no timeline",
        ),
        "site-topics": ("议题储备库", "Agenda topics"),
        "site-meetings": ("改革委会议（一会一主题）", "Meetings (one theme each)"),
        "site-pilots": ("基层创新项目滚动库", "Grassroots pilots"),
        "site-cases": ("典型案例", "Model cases"),
        "site-outposts": ("前哨站", "Outposts"),
        "site-feedback": ("前哨站反馈", "Outpost feedback"),
        "site-publicity": ("改革宣传", "Publicity"),
        "site-notices": ("督办通知登记", "Notices register"),
        "site-number": ("文号", "Number"),
        "site-items": ("督办节点", "Milestones"),
        "site-kind": ("类别", "Kind"),
        "site-none": ("暂无", "None"),
        "site-major": ("重大改革事项", "major reform item"),
        "site-status-count": ("各状态要点数", "Points by status"),
        "site-back": ("返回总览", "Back to the overview"),
        "f-city": ("所属城市", "City"),
    }
)
MESSAGES.update(
    {
        "site-more": ("以下仅列前 {n} 项，全部见", "Only the first {n} are listed here; all in"),
        "site-generated": (
            "据台账 {file} 生成，判断日期 {today}；页面只读，数据以台账为准。",
            "Built from the ledger {file}, judged on {today}; read-only: the ledger is the record.",
        ),
        "site-commits": ("（git 历史 {n} 次提交）", " (git history: {n} commits)"),
        "site-wrote": (
            "已在 {out} 生成静态站点：{pages} 个页面（入口 {index}）。该文件夹就是整个台账的可读版本：发布到公开的 Pages 即向所有人公开台账。",
            "wrote the static site to {out}: {pages} pages (start at {index}). The folder is the whole ledger in readable form: on a public Pages site it is published to everyone.",
        ),
        "site-not-ours": (
            "{out}: 文件夹不为空，且不是 reformctl site 生成的站点；请换一个文件夹或先清空",
            "{out}: the folder is not empty and is not a site reformctl built; choose another folder or empty it first",
        ),
        "site-write-failed": (
            "{file}: 写入失败（{reason}）；台账未改动，站点可能不完整，请解决后重新生成",
            "{file}: could not write ({reason}); the ledger is unchanged, the site may be incomplete: build it again",
        ),
        "site-out-file": (
            "{out}: 不是文件夹",
            "{out}: not a folder",
        ),
    }
)
# -- the quarterly case booklet (issue 24 item 5)
MESSAGES.update(
    {
        "b-title": ("{when}全面深化改革典型案例汇编", "Model cases of reform: {when}"),
        "b-contents": ("目　录", "Contents"),
        "b-source": ("来源：{source}", "Drawn from: {source}"),
        "b-practice": ("主要做法", "What was done"),
        "b-steps": ("改革路径", "The path"),
        "b-comment": ("推广价值点评", "Why it is worth copying"),
        "b-promoted": ("入选和推广情况", "Selected, published and copied"),
        "b-selected": ("入选{what}。", "Selected as {what}."),
        "b-format": (
            "不支持的案例汇编格式 {file}（可用 .docx .md .txt）",
            "unknown booklet format {file} (use .docx .md .txt)",
        ),
        "b-none": (
            "{quarter} 没有典型案例，未生成汇编",
            "no cases in {quarter}: no booklet written",
        ),
        "b-written": ("已生成 {file}（{n}个案例）", "wrote {file} ({n} cases)"),
    }
)
