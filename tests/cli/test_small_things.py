"""The small things a clerk trips on: an extension's reason and approver in `show`, `--out`
never overwriting without `--force`, one spelling of durations."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run


def test_show_prints_the_extensions_reason_and_approver(ledger: Path) -> None:
    assert run("--today", "2026-06-01", "extend", "R26-01/pilot", "--to", "2026-12-31",
               "--reason", "试点县调整", "--approved-by", "省发改委").code == 0  # fmt: skip
    out = run("show", "R26-01", "--format", "plain").stdout
    assert "延期记录" in out
    row = next(line for line in out.splitlines() if "试点县调整" in line)
    assert row.split() == [
        "pilot",
        "2026-06-30",
        "2026-12-31",
        "试点县调整",
        "省发改委",
        "2026-06-01",
    ]
    en = run("--lang", "en", "show", "R26-01", "--format", "plain").stdout
    assert "Approved by" in en and "Reason" in en


@pytest.mark.parametrize(
    "args",
    [
        ["report", "half", "--period", "1", "--out", "out.md"],
        ["report", "year", "--out", "out.json"],
        ["report", "quarter", "--period", "1", "--out", "out.html"],
        ["export", "--format", "csv", "--out", "out.csv"],
        ["rollover", "--to-year", "2027", "--out", "out.toml"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_out_refuses_to_overwrite_without_force(ledger: Path, args: list[str]) -> None:
    target = Path(args[-1])
    target.write_text("mine", encoding="utf-8")
    result = run(*args)
    assert result.code == 2
    assert result.stderr == f"{target} 已存在，不会覆盖它（确需覆盖请加 --force）\n"
    assert target.read_text(encoding="utf-8") == "mine"
    result = run(*args, "--force")
    assert result.code == 0, result.stderr
    assert target.read_text(encoding="utf-8") != "mine"


def test_durations_have_one_spelling(ledger: Path) -> None:
    check = run("check").stdout
    overdue = run("overdue", "--format", "plain").stdout
    assert "逾期151天" in check and "逾期151天" in overdue
    assert "逾期 151" not in check + overdue
