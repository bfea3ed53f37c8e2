"""check for CI: GitHub annotations at the file's real lines, the step summary, GitLab code
quality, JUnit and SARIF."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.conftest import run


def test_github_annotations_point_at_the_due_lines(sample: Path) -> None:
    result = run("check", "--format", "github", "--soon", "7")
    assert result.code == 1
    lines = sample.read_text(encoding="utf-8").splitlines()
    annotations = result.stdout.splitlines()
    assert [a.split(" ", 1)[0] for a in annotations] == ["::error"] * 7 + ["::warning"] * 3
    for annotation in annotations:
        m = re.match(
            r"::(error|warning) file=ledger\.toml,line=(\d+),col=1,title=[^:]+ (R26-\d+/\w+)::",
            annotation,
        )
        assert m, annotation
        line = lines[int(m.group(2)) - 1]
        assert line.startswith("due = "), (annotation, line)
        # the header above that due line is the milestone's own table
        header = next(
            lines[i] for i in range(int(m.group(2)) - 1, -1, -1) if lines[i].startswith("[")
        )
        point, key = m.group(3).split("/")
        assert header == f"[points.{point}.milestones.{key}]"


def test_github_step_summary_lists_everything(sample: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    run("check", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## 台账检查: `ledger.toml`\n")
    assert text.count("\n| R26-") == 10  # 7 overdue, 3 due within the ledger's soon_days
    assert (
        "| R26-11/rules | 出台职务科技成果单列管理办法 | 省科技厅 | 2026-08-31 | 逾期89天 |" in text
    )


def test_gitlab_code_quality(sample: Path) -> None:
    result = run("check", "--format", "gitlab", "--soon", "7")
    issues = json.loads(result.stdout)
    assert len(issues) == 10
    assert len({i["fingerprint"] for i in issues}) == 10
    assert {i["severity"] for i in issues} == {"major", "minor"}
    assert issues[0]["location"] == {"path": "ledger.toml", "lines": {"begin": 419}}
    again = json.loads(run("check", "--format", "gitlab", "--soon", "7").stdout)
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in issues]  # stable


def test_gitlab_reports_ledger_problems(tmp_path: Path, sample: Path) -> None:
    sample.write_text(
        sample.read_text(encoding="utf-8").replace('lead = "lyj"', 'lead = "xx"'), encoding="utf-8"
    )
    result = run("check", "--format", "gitlab")
    assert result.code == 2
    issue, *findings = json.loads(result.stdout)
    assert {i["check_name"] for i in findings} == {"overdue", "due-soon"}  # still reported
    assert (issue["check_name"], issue["severity"], issue["location"]["lines"]["begin"]) == (
        "undeclared-unit",
        "blocker",
        95,
    )


def test_junit_one_case_per_milestone_due_so_far(sample: Path) -> None:
    result = run("check", "--format", "junit")
    suite = ET.fromstring(result.stdout.split("\n", 1)[1]).find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert suite.get("tests") == str(len(cases)) == "50"
    failed = [c for c in cases if c.find("failure") is not None]
    assert suite.get("failures") == "7" and len(failed) == 7
    assert {c.get("name").split()[0] for c in failed} == {
        "R26-11/rules",
        "R26-02/salary",
        "R26-08/network",
        "R26-17/finance",
        "R26-05/cases",
        "R26-14/joint",
        "R26-21/online",
    }


def test_sarif(sample: Path) -> None:
    data = json.loads(run("--lang", "en", "check", "--format", "sarif").stdout)
    assert data["version"] == "2.1.0"
    results = data["runs"][0]["results"]
    assert [r["level"] for r in results] == ["error"] * 7 + ["warning"] * 3
    first = results[0]
    assert first["ruleId"] == "overdue" and first["level"] == "error"
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] == 419
    assert first["message"]["text"].startswith("milestone R26-11/rules")
