"""Generated from the schema: for every section and every field it declares, a change to that
field shows in `diff`, in the textconv, survives a merge from the other side, and is in
`export --format json`. A section added to the schema is covered the day it is declared."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from reformctl.ledger.gitio import merge_file_text
from reformctl.ledger.merge import merge
from reformctl.ledger.parse import loads
from reformctl.ledger.read import load_text
from reformctl.schema import (
    BOOL,
    DATE,
    INTEGER,
    STRING_LIST,
    TABLE_LIST,
    Field,
    Section,
    every_section,
)
from tests.conftest import run

D = dt.date

FULL: dict[str, Any] = {
    "schema": 1,
    "ledger": {
        "title": "全字段台账",
        "year": 2026,
        "timezone": "Asia/Shanghai",
        "soon_days": 7,
        "lang": "zh",
        "office": "中共福建省委全面深化改革委员会办公室",
        "office_code": "闽改办",
        "office_unit": "fgw",
        "cc": "省委办公厅，省政府办公厅",
        "issuer": "省委改革办秘书处",
        "platform_committers": ["GitHub <noreply@github.com>"],
        "allowed_signers": ".reformctl/allowed_signers",
    },
    "units": {
        "fgw": {
            "name": "省发改委",
            "members": ["王磊 <wanglei@example.gov.cn>"],
            "remind": {
                "dingtalk": "env:FGW_DINGTALK_URL",
                "dingtalk_secret": "env:FGW_DINGTALK_SECRET",
                "wecom": "env:FGW_WECOM_URL",
                "feishu": "env:FGW_FEISHU_URL",
                "feishu_secret": "env:FGW_FEISHU_SECRET",
                "email": ["王磊 <wanglei@example.gov.cn>"],
            },
        },
        "lyj": {"name": "省林业局"},
        "czt": {"name": "省财政厅"},
    },
    "groups": {
        "economy": {"name": "经济体制改革专项小组", "lead": "fgw"},
        "ecology": {"name": "生态文明体制改革专项小组", "lead": "lyj"},
    },
    "topics": {
        "T1": {"title": "林改再出发", "group": "economy", "unit": "fgw", "source": "县委书记建议"},
        "T2": {"title": "医改", "group": "ecology", "unit": "lyj", "source": "调研"},
    },
    "points": {
        "R26-01": {
            "title": "深化集体林权制度改革",
            "group": "economy",
            "lead": "lyj",
            "units": ["czt"],
            "path": "出台政策文件",
            "outcome": "政策文件",
            "major": True,
            "closed": D(2026, 5, 1),
            "closing_evidence": "闽林〔2026〕9号",
            "carried_from": "2025:R25-01",
            "topic": "T1",
            "city": "南平市",
            "milestones": {
                "plan": {
                    "name": "出台实施方案",
                    "due": D(2026, 3, 31),
                    "done": D(2026, 3, 28),
                    "evidence": "闽林〔2026〕3号",
                    "extensions": [
                        {
                            "to": D(2026, 4, 30),
                            "reason": "征求意见",
                            "approved_by": "fgw",
                            "granted": D(2026, 3, 1),
                            "approved_on": D(2026, 2, 27),
                        }
                    ],
                }
            },
            "progress": {"2026-03": "实施方案已印发"},
        },
        "R26-02": {
            "title": "第二项",
            "group": "ecology",
            "lead": "fgw",
            "units": [],
            "path": "",
            "outcome": "",
            "major": False,
        },
    },
    "meetings": {"M1": {"on": D(2026, 2, 1), "theme": "T1"}},
    "pilots": {
        "P1": {
            "name": "沙县林票",
            "place": "沙县",
            "kind": "一县一特色",
            "unit": "lyj",
            "since": D(2026, 1, 1),
            "review_every": 6,
            "reviews": {"2026-03-01": {"rating": "良好", "note": "推进顺利"}},
        }
    },
    "cases": {
        "C1": {
            "title": "林票改革",
            "from": "P1",
            "theme": "林改",
            "quarter": "2026-Q1",
            "selections": ["十佳案例"],
            "practice": "林票改革的做法",
            "steps": ["收储", "发票"],
            "comment": "可复制",
            "promotions": [{"to": "漳州市", "on": D(2026, 4, 1)}],
        }
    },
    "outposts": {
        "O1": {"name": "晋江市", "kind": "county"},
        "O2": {"name": "某企业", "kind": "enterprise"},
    },
    "feedback": {
        "F1": {"outpost": "O1", "on": D(2026, 5, 1), "point": "R26-01", "text": "落地顺利"}
    },
    "notices": {
        "2026-001": {
            "number": 1,
            "on": D(2026, 5, 2),
            "unit": "lyj",
            "kind": "red",
            "items": ["R26-01/plan"],
        }
    },
    "circulars": {
        "2026-001": {"number": 1, "on": D(2026, 7, 3), "report": "half", "period": "2026-H1"}
    },
    "publicity": {
        "PR1": {
            "outlet": "人民日报",
            "level": "national",
            "kind": "interview",
            "on": D(2026, 5, 3),
            "title": "林改再出发",
            "about": "R26-01",
        }
    },
}

# a value another key may take and stay valid
OTHER = {
    "units": ("lyj", "fgw"),
    "groups": ("ecology", "economy"),
    "topics": ("T2", "T1"),
    "outposts": ("O2", "O1"),
    "points": ("R26-02", "R26-01"),
    "pilots": ("R26-01",),
    "cases": ("C1",),
}
CHOICES = {"lang": "en", "kind": None, "rating": "优秀"}


def dumps(data: dict[str, Any]) -> str:
    """The ledger as reformctl writes it: a header a table, arrays of tables inline."""
    from reformctl.ledger import tomltext

    lines: list[str] = []

    def table(path: tuple[str, ...], node: dict[str, Any]) -> None:
        if path:
            lines.extend(["", tomltext.header(*path)])
        for key, value in node.items():
            if not isinstance(value, dict):
                lines.append(f"{tomltext.key(key)} = {tomltext.value_block(value)}")
        for key, value in node.items():
            if isinstance(value, dict):
                table((*path, key), value)

    table((), data)
    return "\n".join(lines) + "\n"


def first_entry(pattern: tuple[str, ...]) -> tuple[str, ...]:
    node: Any = FULL
    path: list[str] = []
    for part in pattern:
        key = next(iter(node)) if part == "*" else part
        path.append(key)
        node = node[key]
    return tuple(path)


def changed(section: Section, field: Field, value: Any) -> Any:
    if field.choices:
        return next(c for c in field.choices if c != value)
    if field.ref:
        other = next(v for v in OTHER[field.ref[0]] if v != value)
        return [*value, "fgw"] if field.kind == STRING_LIST else other
    if field.kind == DATE:
        return value + dt.timedelta(days=1)
    if field.kind == BOOL:
        return not value
    if field.kind == INTEGER:
        return value + 1
    if field.kind == STRING_LIST and field.name in ("members", "platform_committers", "email"):
        return [*value, "李四 <lisi@example.gov.cn>"]
    if field.kind == STRING_LIST:
        return [*value, "改革品牌"]
    if field.kind == TABLE_LIST:
        item = dict(value[-1])
        for key, v in item.items():
            if isinstance(v, dt.date):
                item[key] = v + dt.timedelta(days=30)
        return [*value, item]
    if field.name == "timezone":
        return "Asia/Tokyo"
    if field.name == "quarter":
        return "2026-Q2"
    if field.name == "period":  # a circular's: 2026-H1 → 2026-H2
        return "2026-H2"
    if section.name == "remind":  # "env:NAME" only
        return f"{value}_NEW"
    return f"{value}（改）"


def cases() -> list[tuple[str, tuple[str, ...], str]]:
    out = []
    for section in every_section():
        table = first_entry(section.path[:-1] if section.values else section.path)
        if section.values:
            out.append((section.name, table, next(iter(get(FULL, table)))))
            continue
        for field in section.fields:
            out.append((section.name, table, field.name))
    return out


def get(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = data
    for key in path:
        node = node[key]
    return node


CASES = cases()


# a circular's period as its report states it (rules.circulars_agree_with_their_keys)
PERIODS = {"half": "2026-H1", "quarter": "2026-Q3", "year": "2026"}


def modified(
    section_name: str, table: tuple[str, ...], field: str
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """FULL with one field of ``table`` changed, and where the entry now is: a circular's key
    is its year and number, and its period follows its report, so a change to either moves
    or adjusts it as `report … --record` would have written it."""
    import copy

    data = copy.deepcopy(FULL)
    node = get(data, table)
    section = next(s for s in every_section() if s.name == section_name)
    declared = section.field(field)
    if declared is None:  # a values section (monthly progress): the value of one key
        node[field] = node[field] + "（改）"
    else:
        node[field] = changed(section, declared, node[field])
    if section_name == "circulars":
        if field == "report":
            node["period"] = PERIODS[node["report"]]
        del data["circulars"][table[1]]
        table = ("circulars", f"{node['on'].year}-{node['number']:03d}")
        data["circulars"][table[1]] = node
    return data, table


def test_the_full_ledger_declares_every_field_and_is_valid() -> None:
    assert load_text(dumps(FULL), "ledger.toml").problems == []
    for section in every_section():
        if section.values:
            continue
        table = get(FULL, first_entry(section.path))
        assert set(table) >= {f.name for f in section.fields}, section.name


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("coverage")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@x",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@x",
    }
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=folder, check=True)
    (folder / "ledger.toml").write_text(dumps(FULL), encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=folder, check=True)
    subprocess.run(["git", "commit", "-qm", "base"], cwd=folder, check=True, env=env)
    return folder


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize(
    ("section", "table", "field"), CASES, ids=[f"{s}.{f}" for s, _, f in CASES]
)
def test_a_change_to_every_field_is_seen_everywhere(
    repo: Path, section: str, table: tuple[str, ...], field: str
) -> None:
    os.chdir(repo)
    new, table = modified(section, table, field)
    new_text = dumps(new)
    assert load_text(new_text, "ledger.toml").problems == [], (section, field)
    ledger = repo / "ledger.toml"
    base_text = dumps(FULL)
    # textconv: the two renderings differ
    ledger.write_text(base_text, encoding="utf-8")
    before = run("--lang", "zh", "git", "textconv", "ledger.toml").stdout
    assert run("export", "--format", "json", "--out", "base.json").code == 0
    base_json = (repo / "base.json").read_text(encoding="utf-8")
    ledger.write_text(new_text, encoding="utf-8")
    after = run("--lang", "zh", "git", "textconv", "ledger.toml").stdout
    assert before != after
    # diff against the committed base: at least one change, naming the entry
    diff = run("--lang", "zh", "diff", "--format", "json")
    assert diff.code == 0, diff.stderr
    changes = json.loads(diff.stdout)["changes"]
    assert changes, (section, field)
    # export --format json: the new value is there
    assert run("export", "--format", "json", "--out", "new.json").code == 0
    new_json = (repo / "new.json").read_text(encoding="utf-8")
    for name in ("base.json", "new.json"):
        (repo / name).unlink()
    assert new_json != base_json
    # a merge from the other side keeps it (ours added an unrelated unit)
    ours = dumps({**FULL, "units": {**FULL["units"], "new": {"name": "新单位"}}})
    result = merge(base_text, ours, new_text, "ledger.toml", line_merge=merge_file_text)
    assert not result.conflicts, result.conflicts
    merged = loads(result.text)
    assert get(merged, table) == get(loads(new_text), table)
    assert "new" in merged["units"]
    ledger.write_text(base_text, encoding="utf-8")
