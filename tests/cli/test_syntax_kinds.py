"""Issue 22: the kind of a syntax error comes from what stands where the parser stopped, not
from words in its message. A duplicated ``done`` key was explained as a bad date, a table
named ``nesting`` defined twice as "nested too deeply"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reformctl.ledger.parse import parse_toml
from tests.conftest import BASE, ROOT, examples, run, write_ledger

DONE_TWICE = BASE.replace("done = 2026-03-28\n", "done = 2026-03-28\ndone = 2026-03-29\n")
NESTING_TWICE = BASE + '\n[nesting]\nnote = "a"\n\n[nesting]\nnote = "b"\n'

# (case, text, line:col, zh message start, en message start, zh hint)
KINDS = [
    ("duplicate done", DONE_TWICE, "31:8", "重复定义：points.R26-01.milestones.plan.done",
     "defined twice: points.R26-01.milestones.plan.done", "同一个表或键只能出现一次"),
    ("duplicate table nesting", NESTING_TWICE, "43:1", "重复定义：nesting 在前面",
     "defined twice: nesting is", "同一个表或键只能出现一次"),
    ("duplicate unit", BASE + '\n[units.fgw]\nname = "x"\n', "40:1", "重复定义：units.fgw",
     "defined twice: units.fgw", "同一个表或键只能出现一次"),
    ("bad date", BASE.replace("due = 2026-06-30", "due = 2026-02-30"), "35:17", "日期或时间无效",
     "not a valid date or time", "日期必须真实存在"),
    ("half a date", BASE.replace("due = 2026-06-30", "due = 2026-06-"), "35:15", "日期或时间无效",
     "not a valid date or time", "日期必须真实存在"),
    ("deep nesting", BASE + "\n[feedback.x]\nodd = " + "[" * 300 + "]" * 300 + "\n", "41:263",
     "嵌套层数过深", "nested too deeply", "最多嵌套 256 层"),
    ("bad escape", BASE.replace('name = "开展试点"', 'name = "开展\\q试点"'), "34:12",
     "字符串中的转义无效", "bad escape in a string", "反斜杠只用于"),
    ("surrogate escape", BASE.replace('name = "开展试点"', 'name = "\\uD800"'), "34:15",
     "字符串中的转义无效", "bad escape in a string", "反斜杠只用于"),
    ("unterminated string", BASE.replace('name = "开展试点"', 'name = "开展试点'), "34:13",
     "字符串缺少结束引号", "string not closed", "在同一行末尾补上引号"),
    ("unterminated multi-line", BASE + '\n[feedback.x]\nnote = """开头\n', "41:14",
     "字符串缺少结束引号", "string not closed", "在同一行末尾补上引号"),
    ("dotted key under a string", BASE.replace('name = "开展试点"\n', 'name = "开展试点"\nname.x = 1\n'),
     "35:1", "重复定义：points.R26-01.milestones.pilot.name 在前面",
     "defined twice: points.R26-01.milestones.pilot.name is", "同一个表或键只能出现一次"),
    ("inline array then array of tables", BASE.replace(
        "due = 2026-06-30\n",
        'due = 2026-06-30\nextensions = [{ to = 2026-09-30, reason = "甲" }]\n\n'
        '[[points.R26-01.milestones.pilot.extensions]]\nto = 2026-10-31\nreason = "乙"\n'),
     "38:1", "重复定义：points.R26-01.milestones.pilot.extensions 在前面",
     "defined twice: points.R26-01.milestones.pilot.extensions is", "同一个表或键只能出现一次"),
    ("other syntax", BASE.replace('name = "开展试点"', 'name = "开展试点" 2'), "34:15",
     "TOML 语法错误", "TOML syntax error", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "text", "at", "zh", "en", "hint"), KINDS, ids=[k[0] for k in KINDS]
)
def test_each_kind_through_check(
    tmp_path: Path, case: str, text: str, at: str, zh: str, en: str, hint: str | None
) -> None:
    write_ledger(tmp_path, text)
    result = run("check")
    assert result.code == 2, result.stdout + result.stderr
    located = [line for line in result.stdout.splitlines() if line.startswith("ledger.toml:")]
    problems = [line for line in located if re.match(r"ledger\.toml:\d+:\d+: ", line)]
    assert len(problems) == 1, result.stdout
    assert problems[0].startswith(f"ledger.toml:{at}: {zh}"), problems[0]
    if hint is not None:
        assert hint in result.stdout
    else:
        assert "提示" not in result.stdout and "hint" not in result.stdout
    english = run("--lang", "en", "check")
    assert english.code == 2
    assert f"ledger.toml:{at}: {en}" in english.stdout
    # a write refuses with the same line, and writes nothing
    before = (tmp_path / "ledger.toml").read_bytes()
    refused = run("log", "R26-01", "x", "--month", "2026-11")
    assert refused.code == 2 and refused.stderr.startswith(f"ledger.toml:{at}: {zh}")
    assert (tmp_path / "ledger.toml").read_bytes() == before


def test_the_two_misdiagnoses_are_gone(tmp_path: Path) -> None:
    """A duplicated `done` holds a date: it was 'a bad date'; a table named `nesting` twice
    was 'nested too deeply'. Both are duplicates now, and neither hint is the other's."""
    write_ledger(tmp_path, DONE_TWICE)
    out = run("--lang", "en", "check").stdout
    assert "defined twice" in out and "dates must exist" not in out and "date or time" not in out
    write_ledger(tmp_path, NESTING_TWICE)
    out = run("--lang", "en", "check").stdout
    assert "defined twice: nesting" in out and "nested too deeply" not in out


# -- mutations of valid ledgers ------------------------------------------------------------------

SAMPLE = (ROOT / "ledger.toml").read_text(encoding="utf-8")
DATE_NEAR = re.compile(r"\d{4}-\d|\d:\d")
INSERTS = ['"', "'", "[", "]", "{", "}", "=", "\\", "\n", "#", "-", ":", ".", ",", "x", "0", " "]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    """A valid ledger with one edit: a character inserted, one deleted, or a line doubled."""
    text = draw(st.sampled_from([BASE, SAMPLE]))
    how = draw(st.sampled_from(["insert", "delete", "double"]))
    if how == "double":
        lines = text.splitlines(keepends=True)
        i = draw(st.integers(0, len(lines) - 1))
        return how, "".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])
    at = draw(st.integers(0, len(text) - 1))
    if how == "delete":
        return how, text[:at] + text[at + 1 :]
    return how, text[:at] + draw(st.sampled_from(INSERTS)) + text[at:]


def place(text: str, line: int, col: int) -> tuple[str, int]:
    rows = text.split("\n")
    row = rows[line - 1] if line - 1 < len(rows) else ""
    return row, col - 1


@settings(
    max_examples=examples(80),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(case=mutated())
def test_a_kind_is_what_stands_at_its_place(tmp_path: Path, case: tuple[str, str]) -> None:
    """Never the date kind unless a date or time is written there, never deep nesting (no
    mutation nests a hundred brackets), a doubled line whose key is already defined is a
    duplicate; and `check` never fails with anything but exit 1 or 2 (never 3)."""
    how, text = case
    _, problems = parse_toml(text, "ledger.toml")
    write_ledger(tmp_path, text)
    result = run("check")  # (the runner raises on anything that would be exit 3)
    assert result.code in (0, 1, 2)
    if not problems:
        return
    (problem,) = problems
    assert problem.loc is not None
    row, here = place(text, problem.loc.line, problem.loc.col)
    assert problem.code != "too-deep"
    if problem.code == "toml-date":
        # the parser stops at a value's first character: its date is written from there on
        assert DATE_NEAR.search(row[max(0, here - 24) : here + 8]), (row, here)
    if problem.code == "toml-escape":
        assert "\\" in row[max(0, here - 12) : here + 1]
    if problem.code == "toml-duplicate":
        key = problem.args["key"].split(".")[-1]
        assert key.strip('"') in row or row.startswith("["), (row, key)
    if how == "double" and re.match(r"[A-Za-z0-9_-]+ = ", row) and problem.loc.col > 1:
        doubled = row.split(" = ")[0]
        if text.count(f"\n{row}\n") >= 2:
            assert problem.code == "toml-duplicate", (row, problem)
            assert problem.args["key"].endswith(doubled)
    assert result.code == 2
    assert f"ledger.toml:{problem.loc.line}:{problem.loc.col}: " in result.stdout


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("due = 2026-06-30", "due = 2026-06-30 x", "toml-syntax"),  # a date before: not its kind
        ("due = 2026-06-30", "due = 2026-06-30 25:00", "toml-date"),  # a date-time with a space
        ("done = 2026-03-28", "done  2026-03-28", "toml-syntax"),  # no "=": the date is fine
        ('name = "开展试点"', 'name = "a\\"b\\q"', "toml-escape"),  # after an escaped quote
        ('name = "开展试点"', 'name = "a\\\\\\q"', "toml-escape"),  # after an escaped backslash
        ('name = "开展试点"', 'name = "a\\\\q" x', "toml-syntax"),  # \\ is an escape
        ('name = "开展试点"', "name = 'C:\\q' x", "toml-syntax"),  # no escapes in '...'
        ('name = "开展试点"', 'name = "a # b', "toml-unterminated"),  # a # inside the string
        ('name = "开展试点"', 'name = "[[[[["]', "toml-syntax"),  # brackets in a string
    ],
)
def test_what_stands_there_decides_not_what_is_near(old: str, new: str, kind: str) -> None:
    text = BASE.replace(old, new)
    assert text != BASE
    _, problems = parse_toml(text, "ledger.toml")
    assert [p.code for p in problems] == [kind], problems
