"""check warns, without failing, on facts that are allowed but worth a second look: a milestone
done before the ledger's year, one due after it, one done without evidence."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import BASE, run, write_ledger

ODD = BASE.replace('done = 2026-03-28\nevidence = "闽林〔2026〕3号"', "done = 2025-12-30").replace(
    "due = 2026-06-30", "due = 2027-01-15"
)


def test_advice_is_a_warning_in_text_and_json(tmp_path: Path) -> None:
    write_ledger(tmp_path, ODD)
    text = run("check", "--fail-on", "never")
    assert text.code == 0, text.stdout
    assert (
        "ledger.toml:30:1: 提醒: 节点 R26-01/plan 的完成日期 2025-12-30 早于台账年度 2026 年"
        in text.stdout
    )
    assert "提醒: 节点 R26-01/plan 已完成但未填佐证材料" in text.stdout
    assert "提醒: 节点 R26-01/pilot 的完成时限 2027-01-15 晚于台账年度 2026 年" in text.stdout
    data = json.loads(run("check", "--format", "json", "--fail-on", "never").stdout)
    assert data["ok"] is True
    assert sorted(w["code"] for w in data["warnings"]) == [
        "done-before-year",
        "done-without-evidence",
        "due-after-year",
    ]


def test_advice_in_the_ci_formats(tmp_path: Path) -> None:
    write_ledger(tmp_path, ODD)
    github = run("check", "--format", "github", "--fail-on", "never").stdout
    assert github.count("::warning ") >= 3
    gitlab = json.loads(run("check", "--format", "gitlab", "--fail-on", "never").stdout)
    assert {i["check_name"] for i in gitlab if i["severity"] == "info"} == {
        "done-before-year",
        "done-without-evidence",
        "due-after-year",
    }
    sarif = json.loads(run("check", "--format", "sarif", "--fail-on", "never").stdout)
    notes = [r for r in sarif["runs"][0]["results"] if r["level"] == "note"]
    assert len(notes) == 3


def test_the_sample_needs_no_advice(tmp_path: Path) -> None:
    from tests.conftest import ROOT

    write_ledger(tmp_path, (ROOT / "ledger.toml").read_text(encoding="utf-8"))
    assert (
        json.loads(run("check", "--format", "json", "--fail-on", "never").stdout)["warnings"] == []
    )


def test_overdue_json_points_where_check_points(tmp_path: Path) -> None:
    from tests.conftest import ROOT

    write_ledger(tmp_path, (ROOT / "ledger.toml").read_text(encoding="utf-8"))
    check = json.loads(run("check", "--format", "json", "--fail-on", "never").stdout)["overdue"]
    overdue = json.loads(run("overdue", "--format", "json").stdout)
    assert [(o["point"], o["milestone"], o["line"]) for o in overdue] == [
        (c["point"], c["milestone"], c["line"]) for c in check
    ]
