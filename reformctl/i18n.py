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
    if isinstance(value, tuple):
        return " ".join(_render(v, lang) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def tr(code: str, lang: str, **args: Any) -> str:
    pair = MESSAGES.get(code)
    if pair is None:
        return code + (" " + repr(args) if args else "")
    template = pair[1] if lang == "en" else pair[0]
    return template.format(**{k: _render(v, lang) for k, v in args.items()})


def label(code: str, lang: str) -> str:
    pair = LABELS.get(code)
    if pair is None:
        return code
    return pair[1] if lang == "en" else pair[0]


LABELS: dict[str, tuple[str, str]] = {
    # kinds of things in the ledger
    "ledger-file": ("台账文件", "ledger file"),
    "ledger-table": ("[ledger] 表", "the [ledger] table"),
    "kind-units": ("单位", "unit"),
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
    "section-reviews": ("评估记录 reviews", "reviews"),
    "string-list": ("字符串数组", "an array of strings"),
    "table-list": ("表的数组", "an array of tables"),
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
    "unit-list": ("单位键的数组", "an array of unit keys"),
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
    "col-rank": ("排名", "Rank"),
    "col-id": ("编号", "ID"),
    "col-title": ("工作要点", "Work point"),
    "col-group": ("专项小组", "Group"),
    "col-lead": ("牵头单位", "Lead unit"),
    "col-units": ("配合单位", "Co-operating"),
    "col-status": ("状态", "Status"),
    "col-progress": ("完成进度", "Progress"),
    "col-expected": ("序时进度", "Expected"),
    "col-milestones": ("节点数", "Milestones"),
    "col-due_to_date": ("应完成", "Due to date"),
    "col-done": ("已完成", "Done"),
    "col-done_late": ("逾期完成", "Done late"),
    "col-overdue": ("逾期", "Overdue"),
    "col-completion": ("完成率", "Completion"),
    "col-name": ("名称", "Name"),
    "col-key": ("代码", "Key"),
    "col-milestone": ("节点", "Milestone"),
    "col-due": ("完成时限", "Due"),
    "col-baseline": ("原定时限", "Baseline"),
    "col-done_on": ("完成日期", "Done on"),
    "col-evidence": ("佐证材料", "Evidence"),
    "col-when": ("时间", "When"),
    "col-state": ("情况", "State"),
    "col-month": ("月份", "Month"),
    "col-entry": ("进展情况", "Progress entry"),
    "col-bar": ("进度", "Bar"),
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
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "none": ("无", "none"),
    # ranking
    "by-unit": ("牵头单位", "lead unit"),
    "by-group": ("专项小组", "group"),
    "by-point": ("工作要点", "work point"),
    "by-coop": ("配合单位", "co-operating unit"),
}

MESSAGES: dict[str, tuple[str, str]] = {
    "and-more": (
        "（另有 {n} 个问题，运行 reformctl check 查看全部）",
        " (and {n} more problems: run reformctl check to see all)",
    ),
    # files
    "ledger-not-found": (
        "找不到台账文件 ledger.toml（已从 {start} 向上逐级查找）",
        "no ledger.toml found in {start} or any folder above it",
    ),
    "ledger-missing": ("{file}: 台账文件不存在", "{file}: no such ledger file"),
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
    "bad-lang": ("lang 应为 zh 或 en，实为 {value}", "lang must be zh or en, not {value}"),
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
    "topic-twice": (
        "议题 {topic} 已是会议 {first} 的主题，会议 {meeting} 不能再以它为主题",
        "topic {topic} is already the theme of meeting {first}; meeting {meeting} cannot take it too",
    ),
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
        "工作要点 {id} 已销号，但节点 {open} 尚未完成",
        "work point {id} is closed while milestones {open} are open",
    ),
    "closed-before-done": (
        "工作要点 {id} 的销号日期 {closed} 早于节点完成日期 {done}",
        "work point {id} is closed on {closed}, before a milestone was done on {done}",
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
        "先用 reformctl group add {key} 名称 --lead 单位 声明该小组",
        "declare it first: reformctl group add {key} NAME --lead UNIT",
    ),
    "hint-schema": ("在文件开头写 schema = 1", "put schema = 1 at the top of the file"),
    "hint-ledger-table": (
        "添加 [ledger] 表，含 title、year、timezone",
        "add a [ledger] table with title, year, timezone",
    ),
    "hint-string": ('例如 name = "省发改委"', 'for example name = "..."'),
    "hint-date": ("日期写作 2026-06-30", "dates are written 2026-06-30"),
    "hint-date-quoted": (
        "日期不加引号：due = 2026-06-30",
        "dates take no quotes: due = 2026-06-30",
    ),
    "hint-bool": ("写作 true 或 false", "write true or false"),
    "hint-integer": ("写作整数，例如 2026", "write a whole number, e.g. 2026"),
    "hint-table": ("应为 [表名] 形式的表", "must be a [table]"),
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
    "unknown-point": ("{file}: 未知的工作要点 {id}", "{file}: unknown work point {id}"),
    "unknown-milestone": (
        "{file}: 工作要点 {id} 没有节点 {key}",
        "{file}: work point {id} has no milestone {key}",
    ),
    "bad-ref": (
        "{value} 应为 要点编号/节点编号 形式，例如 R26-01/plan",
        "{value} must be POINT/MILESTONE, e.g. R26-01/plan",
    ),
    "unknown-unit": ("{file}: 未知的单位 {key}", "{file}: unknown unit {key}"),
    "unknown-group": ("{file}: 未知的专项小组 {key}", "{file}: unknown group {key}"),
    "unknown-status": (
        "未知状态 {value}（可选：{allowed}）",
        "unknown status {value} (choose from {allowed})",
    ),
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
    "check-errors": ("{file}: 发现 {n} 个问题", "{file}: {n} problems found"),
    "check-findings": (
        "{file}: 台账有效；{overdue} 个节点逾期，{soon} 个即将到期",
        "{file}: valid; {overdue} milestones overdue, {soon} due soon",
    ),
    "finding-overdue": (
        "节点 {ref}「{name}」逾期 {days} 天（时限 {due}，牵头：{lead}）",
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
    "write-failed": (
        "{file}: 写入失败（{reason}），原文件未改动",
        "{file}: could not write ({reason}); the ledger is unchanged",
    ),
    # git
    "git-missing": ("找不到 git 命令", "git is not installed"),
    "not-in-git": ("{file} 不在 git 仓库中", "{file} is not in a git repository"),
    "unknown-revision": ("未知的 git 版本 {rev}", "unknown git revision {rev}"),
    "git-failed": ("git 出错：{detail}", "git failed: {detail}"),
    "worktree": ("工作区", "working tree"),
    "diff-none": (
        "{file}: {a} → {b} 台账内容无变化",
        "{file}: no change in ledger terms from {a} to {b}",
    ),
    "diff-head": ("{file}: {a} → {b}，{n} 处变化", "{file}: {a} → {b}, {n} changes"),
    "d-settings-changed": (
        "台账设置 {field}：{before} → {after}",
        "ledger setting {field}: {before} → {after}",
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
        "--by {by} 需要 --key 指明单位或小组",
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
    # reports
    "r-item": ("项目", "Item"),
    "r-value": ("数值", "Value"),
    "r-points": ("工作要点（项）", "Work points"),
    "r-milestones": ("节点（个）", "Milestones"),
    "r-due": ("应完成节点", "Due to date"),
    "r-done-on-time": ("按时完成", "Done on time"),
    "r-done-late": ("逾期完成", "Done late"),
    "r-overdue": ("逾期未完成", "Overdue"),
    "r-extended": ("本期批准延期（次）", "Extensions granted"),
    "r-closed": ("已销号（项）", "Points closed"),
    "r-completion": ("完成率", "Completion"),
    "r-expected": ("序时进度", "Expected"),
    "r-meetings": ("深改委会议召开（次）", "Meetings held"),
    "r-pilots-reviewed": ("基层创新项目完成评估（个）", "Pilots reviewed"),
    "r-pilots-due": ("逾期未评估项目（个）", "Pilots due for review"),
    "r-cases-selected": ("典型案例入选（个）", "Model cases selected"),
    "r-cases-promoted": ("典型案例推广（个）", "Model cases promoted"),
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
    "r-subtitle-half": ("{start}至{end}，截至{day}", "{start} to {end}, as of {day}"),
    "r-subtitle-year": ("{year}年度，截至{day}", "{year}, as of {day}"),
    "r-subtitle-quarter": (
        "{year}年第{n}季度（{start}至{end}），截至{day}",
        "{year} Q{n} ({start} to {end}), as of {day}",
    ),
    "r-s-headline": ("一、总体情况", "1. Headline figures"),
    "r-s-rank-unit": ("二、各牵头单位进度排名", "2. Ranking by lead unit"),
    "r-s-rank-group": ("三、各专项小组进度排名", "3. Ranking by group"),
    "r-s-overdue": ("四、逾期未完成节点", "4. Overdue milestones"),
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
        "不支持的输出格式 {ext}（可用 .md .html .xlsx .csv .json）",
        "unknown output format {ext} (use .md .html .xlsx .csv .json)",
    ),
    "r-bad-period": (
        "{kind} 的期数应在 1 到 {max} 之间，实为 {n}",
        "{kind}: --period must be 1..{max}, not {n}",
    ),
    "ledger-changed-since": (
        "{file} 在导入期间被修改（{tables} 已存在），未导入任何内容，请重试",
        "{file} changed during the import ({tables} now exist); nothing imported, try again",
    ),
    "file-exists": ("{file} 已存在，不会覆盖它", "{file} already exists; it is not overwritten"),
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
    "import-bad-row": ("{file}:{row}: {why}", "{file}:{row}: {why}"),
    "import-refused": (
        "{file}: {n} 行无法识别，未导入任何内容（加 --skip-bad 跳过这些行）",
        "{file}: {n} rows could not be read; nothing imported (--skip-bad to leave them out)",
    ),
    "import-empty": ("{file}: 没有可导入的工作要点", "{file}: no work points to import"),
    "import-format": (
        "不支持的文件类型 {ext}（可用 .xlsx .csv）",
        "cannot import {ext} files (use .xlsx or .csv)",
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
        "{file}: 不是 UTF-8 或 GB18030 编码的文本",
        "{file}: not UTF-8 or GB18030 text",
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
}
