"""`extend --approved-on`: the day an extension was approved is a fact of its own, stored in the
extension's line as ``approved_on`` (default the ledger's today, ``--today`` respected); refused
(exit 2, one line, file untouched) when after the new due date or in the future, or when a
deadline phrase is typed where a day is meant; `check` and `show` read it back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reformctl.ledger.loader import load
from tests.conftest import TODAY, run

LINE = '  { to = 2026-12-31, reason = "待核定", granted = 2026-11-28, approved_on = 2026-11-20 },\n'


def extension(ledger: Path) -> tuple[dt.date | None, dt.date | None]:
    ms = load(ledger).valid().points["R26-01"].milestone("pilot")
    assert ms is not None and len(ms.extensions) == 1
    return ms.extensions[0].approved_on, ms.extensions[0].granted


def test_stored_in_its_line_and_read_back(ledger: Path) -> None:
    before = ledger.read_text(encoding="utf-8")
    result = run(
        "extend", "R26-01/pilot", "--to", "2026-12-31", "--reason", "待核定",
        "--approved-on", "2026年11月20日", cwd=ledger.parent,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    after = ledger.read_text(encoding="utf-8")
    assert LINE in after
    # exactly the extension's lines added, nothing else touched
    added = after.replace("extensions = [\n" + LINE + "]\n", "", 1)
    assert added == before
    assert extension(ledger) == (dt.date(2026, 11, 20), dt.date(2026, 11, 28))
    check = run("check", cwd=ledger.parent)
    assert check.code == 0, check.stderr
    shown = run("show", "R26-01", cwd=ledger.parent)
    assert shown.code == 0, shown.stderr
    assert "2026-11-20" in shown.stdout


@pytest.mark.parametrize(
    ("global_args", "day"),
    [((), dt.date.fromisoformat(TODAY)), (("--today", "2026-12-02"), dt.date(2026, 12, 2))],
)
def test_default_is_the_ledgers_today(
    ledger: Path, global_args: tuple[str, ...], day: dt.date
) -> None:
    result = run(*global_args, "extend", "R26-01/pilot", "--to", "2026-12-31", "--reason", "r")
    assert result.code == 0, result.stderr
    assert extension(ledger) == (day, day)
    assert f"approved_on = {day.isoformat()}" in ledger.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("to", "approved_on", "parts"),
    [
        ("2026-12-31", "2026-11-29", ("--approved-on", "2026-11-29", "2026-11-28")),
        ("2026-12-31", "2027-01-05", ("--approved-on", "2027-01-05")),
        ("2026-07-31", "2026-08-01", ("R26-01/pilot", "2026-08-01", "2026-07-31")),
        ("2026-12-31", "6月底", ("--approved-on", "6月底")),
        ("2026-12-31", "上半年", ("--approved-on", "上半年")),
        ("2026-12-31", "2026-02-30", ("--approved-on", "2026-02-30")),
    ],
)
def test_refused_in_one_line_and_nothing_written(
    ledger: Path, to: str, approved_on: str, parts: tuple[str, ...]
) -> None:
    before = ledger.read_bytes()
    result = run(
        "extend", "R26-01/pilot", "--to", to, "--reason", "r", "--approved-on", approved_on
    )  # fmt: skip
    assert result.code == 2, result
    assert len(result.stderr.splitlines()) == 1, result.stderr
    for part in parts:
        assert part in result.stderr, (part, result.stderr)
    assert ledger.read_bytes() == before
    assert sorted(p.name for p in ledger.parent.iterdir()) == [ledger.name]


def test_approved_on_the_new_deadline_itself_is_accepted(ledger: Path) -> None:
    result = run(
        "--today", "2027-01-10", "extend", "R26-01/pilot", "--to", "2026-12-31",
        "--reason", "r", "--approved-on", "2026-12-31",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert extension(ledger) == (dt.date(2026, 12, 31), dt.date(2027, 1, 10))


def test_english_refusal(ledger: Path) -> None:
    result = run(
        "--lang", "en", "extend", "R26-01/pilot", "--to", "2026-07-31", "--reason", "r",
        "--approved-on", "2026-08-01",
    )  # fmt: skip
    assert result.code == 2, result
    assert "approved on 2026-08-01, after the new due date 2026-07-31" in result.stderr


@pytest.mark.parametrize(
    ("approved", "code", "message"),
    [
        ("2027-01-05", "延期批准日期 2027-01-05 晚于所批准的时限 2026-12-31", "after the grant"),
        ("2026-12-20", "延期批准日期 2026-12-20 晚于今天", "in the future"),
    ],
)
def test_check_refuses_what_the_command_refuses_in_a_hand_edited_file(
    ledger: Path, approved: str, code: str, message: str
) -> None:
    """The same facts typed by hand: `check` names the extension's line (one set of rules)."""
    ok = run(
        "extend", "R26-01/pilot", "--to", "2026-12-31", "--reason", "待核定",
        "--approved-on", "2026-11-20", cwd=ledger.parent,
    )  # fmt: skip
    assert ok.code == 0, ok.stderr
    text = ledger.read_text(encoding="utf-8")
    assert "approved_on = 2026-11-20" in text
    ledger.write_text(text.replace("approved_on = 2026-11-20", f"approved_on = {approved}"))
    line = next(n for n, t in enumerate(ledger.read_text().splitlines(), 1) if "approved_on" in t)
    check = run("check", cwd=ledger.parent)
    assert check.code == 2, (message, check.stdout, check.stderr)
    found = [t for t in check.stdout.splitlines() if code in t]
    assert found, (message, check.stdout)
    assert found[0].startswith("ledger.toml:"), found
    if message == "after the grant":
        assert f"ledger.toml:{line - 1}:" in found[0] or f"ledger.toml:{line}:" in found[0], found
