"""Edits keep everything they do not mean to change: comments, blank lines, hand layout,
CRLF, a BOM; values from the command line can never create or break a table."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reformctl.ledger.lexer import ScanError, statements
from reformctl.ledger.loader import load
from tests.conftest import BASE, DATA, examples, run, write_ledger

HAND = """\
# 手写台账：注释、缩进和空行都要保留
schema = 1   # 版本

[ledger]
title = "测试台账"
year = 2026
timezone = "Asia/Shanghai"

[units.fgw]
name   =   "省发改委"    # 对齐的写法
[units.lyj]
name = "省林业局"

[groups.economy]
name = "经济体制改革专项小组"
lead = "fgw"


# ── 要点 ──
[points.R26-01]
title = "深化集体林权制度改革"   # 标题
group = "economy"
lead = "lyj"
units = [
    "fgw",   # 配合
]
path = '字面量字符串'
outcome = \"\"\"多行
[points.FAKE]
字符串\"\"\"
major = true

[points.R26-01.milestones.pilot]   # 试点
name = "开展试点"
due = 2026-06-30   # 原定
extensions = [{ to = 2026-08-31, reason = "手写", granted = 2026-06-01 }]
# 节点备注

# 下一节
[points.R26-01.progress]
2026-03 = "实施方案已印发"
"""


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    import difflib

    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def test_every_hand_layout_survives(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, HAND)
    assert load(path).problems == []
    assert run("done", "R26-01/pilot", "--on", "2026-08-30", "-e", "闽林〔2026〕9号").code == 0
    assert run("log", "R26-01", "新进展", "--month", "2026-04").code == 0
    assert run("edit", "R26-01", "--title", "新标题").code == 0
    after = path.read_text(encoding="utf-8")
    removed, added = changed_lines(HAND, after)
    assert removed == ['title = "深化集体林权制度改革"   # 标题']
    assert added == [
        'title = "新标题"   # 标题',
        "done = 2026-08-30",
        'evidence = "闽林〔2026〕9号"',
        '2026-04 = "新进展"',
    ]
    # the new keys go above the trailing comments, which stay where they were
    assert after.index('evidence = "闽林〔2026〕9号"') < after.index("# 节点备注")


def test_extension_replaces_only_the_extensions_value(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, HAND)
    assert run("extend", "R26-01/pilot", "--to", "2026-12-31", "--reason", "再延").code == 0
    removed, added = changed_lines(HAND, path.read_text(encoding="utf-8"))
    # the one-line array keeps its layout; only the new element is added
    assert removed == ['extensions = [{ to = 2026-08-31, reason = "手写", granted = 2026-06-01 }]']
    assert added == [
        'extensions = [{ to = 2026-08-31, reason = "手写", granted = 2026-06-01 }, '
        '{ to = 2026-12-31, reason = "再延", granted = 2026-11-28, approved_on = 2026-11-28 }]'
    ]


def test_crlf_stays_crlf(tmp_path: Path) -> None:
    path = tmp_path / "ledger.toml"
    path.write_bytes(BASE.replace("\n", "\r\n").encode())
    assert run("done", "R26-01/pilot", "-e", "文号").code == 0
    assert run("milestone", "add", "R26-01/new", "--name", "新", "--due", "2026-12-01").code == 0
    raw = path.read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert raw.count(b"\r\n") == BASE.count("\n") + 2 + 4
    assert run("fmt", "--check").code == 0


def test_bom_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "ledger.toml"
    path.write_bytes(b"\xef\xbb\xbf" + BASE.encode())
    assert run("done", "R26-01/pilot").code == 0
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


INJECTIONS = [
    '标题"\n[points.EVIL]\ntitle = "x',
    "a\nb\r\nc",
    "'''\"\"\"",
    "\\u0000 \\ \" ' # [x] = 1",
    "\x00\x07\x1b[31m",
    "]]\n[[points]]\n",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_text_arguments_are_always_toml_values(ledger: Path, text: str) -> None:
    for args in (
        ["unit", "add", "czt", text],
        [
            "point",
            "add",
            "R26-02",
            "--title",
            text,
            "--group",
            "economy",
            "--lead",
            "lyj",
            "--path",
            text,
            "--outcome",
            text,
        ],
        ["milestone", "add", "R26-02/m", "--name", text, "--due", "2026-12-01"],
        ["done", "R26-02/m", "--on", "2026-11-01", "--evidence", text],
        ["extend", "R26-01/pilot", "--to", "2026-12-31", "--reason", text],
        ["log", "R26-02", text, "--month", "2026-11"],
        ["edit", "R26-01", "--path", text],
        ["close", "R26-02", "--evidence", text],
    ):
        result = run(*args)
        assert result.code == 0, (args, result.stderr)
    ledger_ = load(ledger).valid()
    assert set(ledger_.points) == {"R26-01", "R26-02"}
    point = ledger_.points["R26-02"]
    assert (point.title, point.path, point.outcome, point.closing_evidence) == (
        text,
        text,
        text,
        text,
    )
    assert point.milestones[0].evidence == text
    assert point.progress[0].text == text
    assert ledger_.units["czt"].name == text
    assert ledger_.points["R26-01"].milestones[1].extensions[0].reason == text
    assert run("fmt", "--check").code == 0


def test_statements_agree_with_tomlkit_on_the_sample() -> None:
    import tomlkit

    from reformctl.ledger.edit import Source

    src = Source.read(DATA / "golden-ledger.toml")
    for i, h in enumerate(src.index.headers):
        start, end = src.index.span_at(i)
        found = statements(src.text, h.body, end)
        table = tomlkit.parse(src.text[start:end])
        for key in h.path:
            table = table[key]
        own = [k for k, v in table.items() if not isinstance(v, dict)]
        assert [s.key[0] for s in found] == own
        for s in found:
            value_text = src.text[s.value_start : s.value_end]
            assert tomlkit.parse(f"x = {value_text}")["x"] == table[s.key[0]]


scalar = st.one_of(
    st.text(max_size=12).map(
        lambda s: (
            '"'
            + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
            + '"'
        )
    ),
    st.integers(-999, 999).map(str),
    st.sampled_from(
        [
            "true",
            "false",
            "2026-06-30",
            "1979-05-27 07:32:00",
            "'literal # x'",
            '"""a\n[b]\nc"""',
            "'''x\ny'''",
        ]
    ),
)
value = st.recursive(
    scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda xs: "[\n  " + ",  # c\n  ".join(xs) + "\n]"),
        st.lists(scalar, max_size=3).map(
            lambda xs: (
                "{ " + ", ".join(f"k{i} = {x}" for i, x in enumerate(xs) if "\n" not in x) + " }"
            )
        ),
    ),
    max_leaves=6,
)


@settings(max_examples=examples(300), deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b-c", '"q k"', "d.e"]), value),
        max_size=5,
        unique_by=lambda kv: kv[0],
    )
)
def test_statement_spans_reparse_to_the_same_values(pairs: list[tuple[str, str]]) -> None:
    from reformctl.ledger.parse import TomlError, loads

    body = "".join(f"{k} = {v}   # note\n\n# comment\n" for k, v in pairs)
    try:
        whole = loads(body)
    except TomlError:
        return  # not valid TOML (e.g. a key both dotted and plain): nothing to compare
    try:
        found = statements(body, 0, len(body))
    except ScanError as exc:  # pragma: no cover - a failure to report
        raise AssertionError(body) from exc
    assert len(found) == len(pairs)
    for stmt, (_, v) in zip(found, pairs, strict=True):
        assert body[stmt.value_start : stmt.value_end] == v
        assert body[stmt.end - 1] == "\n"
    assert whole is not None
