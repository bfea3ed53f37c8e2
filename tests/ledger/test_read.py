"""The loader and every validation problem, each with the line (and column) it names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reformctl.ledger import parse
from reformctl.ledger.loader import load
from reformctl.rules import dated_problems
from tests.conftest import BASE, write_ledger


def problems_of(tmp_path: Path, text: str) -> list[tuple[str, int, int]]:
    loaded = load(write_ledger(tmp_path, text))
    return sorted((p.code, p.loc.line, p.loc.col) for p in loaded.problems if p.loc)


def test_base_ledger_loads(tmp_path: Path) -> None:
    loaded = load(write_ledger(tmp_path, BASE))
    assert loaded.problems == []
    ledger = loaded.valid()
    point = ledger.points["R26-01"]
    assert point.title == "深化集体林权制度改革"
    assert point.units == ("fgw",)
    assert point.major is True
    assert [m.key for m in point.milestones] == ["plan", "pilot"]
    assert point.milestones[0].evidence == "闽林〔2026〕3号"
    assert point.milestones[1].loc.line == 33
    assert point.progress[0].month == "2026-03"
    assert ledger.units["lyj"].loc.line == 11
    assert ledger.settings.soon_days == 7


CASES = [
    # (description, old, new, expected problems (code, line, col))
    ("impossible date", "due = 2026-06-30", "due = 2026-02-30", [("toml-date", 35, 17)]),
    ("unclosed string", 'name = "开展试点"', 'name = "开展试点', [("toml-unterminated", 34, 13)]),
    ("syntax error", 'name = "开展试点"', 'name = "开展试点" 2', [("toml-syntax", 34, 15)]),
    ("duplicate key", "year = 2026", "year = 2026\nyear = 2027", [("toml-duplicate", 6, 8)]),
    (
        "duplicate table",
        "[units.lyj]",
        '[units.fgw]\nname = "x"\n\n[units.lyj]',
        [("toml-duplicate", 11, 1)],
    ),
    ("unknown schema", "schema = 1", "schema = 2", [("schema-unknown", 1, 1)]),
    ("missing schema", "schema = 1\n", "", [("schema-missing", 1, 1)]),
    ("undeclared lead", 'lead = "lyj"', 'lead = "xyz"', [("undeclared-unit", 21, 1)]),
    ("undeclared group", 'group = "economy"', 'group = "eco"', [("undeclared-group", 20, 1)]),
    (
        "undeclared co-unit",
        'units = ["fgw"]',
        'units = ["fgw", "abc"]',
        [("undeclared-unit", 22, 1)],
    ),
    ("group lead undeclared", 'lead = "fgw"', 'lead = "nope"', [("undeclared-unit", 16, 1)]),
    ("missing name", 'name = "开展试点"\n', "", [("field-missing", 33, 1)]),
    ("quoted date", "due = 2026-06-30", 'due = "2026-06-30"', [("field-type", 35, 1)]),
    ("wrong bool", "major = true", 'major = "yes"', [("field-type", 25, 1)]),
    (
        "typo collects two",
        "due = 2026-06-30",
        "dua = 2026-06-30",
        [("field-missing", 33, 1), ("field-unknown", 35, 1)],
    ),
    (
        "bad id",
        "[points.R26-01.milestones.pilot]",
        '[points.R26-01.milestones."pi lot"]',
        [("bad-id", 33, 1)],
    ),
    ("bad month", "2026-03 = ", "2026-13 = ", [("bad-month", 38, 1)]),
    ("empty title", 'title = "深化集体林权制度改革"', 'title = " "', [("field-empty", 19, 1)]),
    (
        "bad timezone",
        'timezone = "Asia/Shanghai"',
        'timezone = "Mars/Base"',
        [("bad-timezone", 6, 1)],
    ),
    (
        "a zone folder for a timezone",  # (zoneinfo raised IsADirectoryError: exit 3)
        'timezone = "Asia/Shanghai"',
        'timezone = "Asia"',
        [("bad-timezone", 6, 1)],
    ),
    ("evidence without done", "done = 2026-03-28\n", "", [("evidence-without-done", 30, 1)]),
    (
        "closed with open",
        "major = true",
        'major = true\nclosed = 2026-07-01\nclosing_evidence = "x"',
        [("closed-with-open", 26, 1)],
    ),
    (
        "closed without evidence",
        "major = true",
        "major = true\nclosed = 2026-07-01",
        [("closed-with-open", 26, 1), ("closed-without-evidence", 26, 1)],
    ),
    (
        "extension not later",
        "due = 2026-06-30",
        'due = 2026-06-30\nextensions = [{ to = 2026-05-01, reason = "x" }]',
        [("extension-not-later", 36, 1)],
    ),
    (
        "extension approved after the day it grants",
        "due = 2026-06-30",
        'due = 2026-06-30\nextensions = [{ to = 2026-08-01, reason = "x", approved_on = 2026-08-02 }]',
        [("extension-approved-after", 36, 1)],
    ),
    (
        "extension undeclared approver",
        "due = 2026-06-30",
        'due = 2026-06-30\nextensions = [{ to = 2026-08-01, reason = "x", approved_by = "zz" }]',
        [("undeclared-unit", 36, 1)],
    ),
    ("unknown top-level", "schema = 1", "schema = 1\ncolour = 3", [("field-unknown", 2, 1)]),
    (
        "points not a table",
        "[points.R26-01]",
        "[pointz]\n[points.R26-01]",
        [("field-unknown", 18, 1)],
    ),
    ("year wrong type", "year = 2026", 'year = "2026"', [("field-type", 5, 1)]),
    (
        "missing ledger table",
        '[ledger]\ntitle = "测试台账"\nyear = 2026\ntimezone = "Asia/Shanghai"\n',
        "",
        [("table-missing", 1, 1)],
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_validation_problem_and_line(
    tmp_path: Path, old: str, new: str, expected: list[tuple[str, int, int]]
) -> None:
    assert old in BASE
    assert problems_of(tmp_path, BASE.replace(old, new, 1)) == sorted(expected)


def test_every_problem_collected_in_one_pass(tmp_path: Path) -> None:
    text = (
        BASE.replace('lead = "lyj"', 'lead = "xyz"')
        .replace("due = 2026-06-30", 'due = "2026-06-30"')
        .replace("2026-03 = ", "2026-3 = ")
    )
    codes = [c for c, _, _ in problems_of(tmp_path, text)]
    assert codes == ["bad-month", "field-type", "undeclared-unit"]


def test_done_in_future_is_a_dated_problem(tmp_path: Path) -> None:
    import datetime as dt

    ledger = load(write_ledger(tmp_path, BASE)).valid()
    assert dated_problems(ledger, dt.date(2026, 3, 28)) == []
    problems = dated_problems(ledger, dt.date(2026, 3, 27))
    assert [(p.code, p.loc.line if p.loc else 0) for p in problems] == [("done-in-future", 27)]


def test_file_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse, "MAX_BYTES", 100)
    assert problems_of(tmp_path, BASE) == [("file-too-large", 1, 1)]


def test_nested_too_deep_never_escapes(tmp_path: Path) -> None:
    text = BASE + "deep = " + "[" * 100_000 + "]" * 100_000 + "\n"
    codes = [c for c, _, _ in problems_of(tmp_path, text)]
    assert codes == ["too-deep"]


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "ledger.toml"
    path.write_bytes(BASE.encode() + b'bad = "\xff"\n')
    loaded = load(path)
    assert [(p.code, p.loc.line if p.loc else 0) for p in loaded.problems] == [("not-utf8", 39)]


def test_problem_messages_in_both_languages(tmp_path: Path) -> None:
    loaded = load(write_ledger(tmp_path, BASE.replace('lead = "lyj"', 'lead = "lyx"')))
    (problem,) = loaded.problems
    assert problem.line("zh") == "ledger.toml:21:1: 工作要点 R26-01 引用了未声明的单位 lyx"
    assert (
        problem.line("en") == "ledger.toml:21:1: work point R26-01 refers to an undeclared unit lyx"
    )
    assert problem.hint_text("zh") == "是否应为 lyj？"


def test_text_with_bytes_that_were_not_utf8_is_a_syntax_error_at_the_byte() -> None:
    """Text decoded with its bad bytes escaped (lone surrogates) reaches the parser from some
    callers: it is an error at that byte's line and column, never a crash in the parser."""
    import pytest

    from reformctl.ledger.parse import TomlError, loads

    with pytest.raises(TomlError, match=r"line 2, column 7"):
        loads('a = 1\nb = "x\udcff"\n')


def test_a_text_the_parser_could_not_be_given_is_no_syntax_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The parser refuses its argument (TypeError) for a lone surrogate, and when there is
    no memory left to hand it the text: then the valid text is not called "not UTF-8" (adv29
    saw a 10,000-point ledger so called at 80-88 MB of address space), the memory is short."""
    import pytomlpp

    def refused(text: str) -> dict[str, object]:
        raise TypeError("loads(): incompatible function arguments")

    monkeypatch.setattr(pytomlpp, "loads", refused)
    with pytest.raises(MemoryError):
        parse.loads("a = 1\n")
    with pytest.raises(parse.TomlError, match=r"not UTF-8.*line 2, column 7"):
        parse.loads('a = 1\nb = "x\udcff"\n')


def test_bytes_read_before_are_taken_only_from_the_same_file_unchanged(tmp_path: Path) -> None:
    """The console script's bytes (read to key an answer) stand for the CLI's read of the
    same file unchanged: the very object; a file written since is read again."""
    path = write_ledger(tmp_path, BASE)
    raw = path.read_bytes()
    parse.read_before(parse.file_ident(path.stat()), raw)
    taken, problems = parse.read_bytes(path, "ledger.toml")
    assert taken is raw and problems == []
    assert parse.read_bytes(path, "ledger.toml")[0] is not raw  # (offered once)

    parse.read_before(parse.file_ident(path.stat()), raw)
    path.write_text(BASE.replace("深化集体林权制度改革", "深化林权改革"), encoding="utf-8")
    again, _ = parse.read_bytes(path, "ledger.toml")
    assert again == path.read_bytes() != raw
    assert load(path).valid().points["R26-01"].title == "深化林权改革"


def test_a_ledger_changed_under_the_console_script_is_read_as_it_is_now(tmp_path: Path) -> None:
    """Between the console script's read and the CLI's, a write to the ledger is seen: the
    answer is that of the file as the CLI read it, and none is kept for the old bytes."""
    path = write_ledger(tmp_path, BASE)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from reformctl import answers\n"
        "from reformctl.ledger import parse\n"
        "offer = parse.read_before\n"
        "def changed(ident, raw):\n"
        "    offer(ident, raw)\n"
        "    p = Path(sys.argv[2])\n"
        "    p.write_text(p.read_text(encoding='utf-8').replace('深化集体林权制度改革', '新标题'),"
        " encoding='utf-8')\n"
        "parse.read_before = changed\n"
        "sys.argv = ['reformctl', '--ledger', sys.argv[2], 'show', 'R26-01']\n"
        "answers.main()\n"
    )
    env = {"REFORMCTL_TODAY": "2026-06-01", "REFORMCTL_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run(
        [sys.executable, "-c", script, "-", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "新标题" in run.stdout and "深化集体林权制度改革" not in run.stdout
    assert not list((tmp_path / "cache").glob("answer-*"))  # (the file moved under the CLI)
