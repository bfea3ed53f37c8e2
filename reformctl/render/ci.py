"""What `check` prints: text for people, json for machines, and what CI systems read:
GitHub workflow commands (plus a Markdown step summary), GitLab code quality, JUnit, SARIF."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import IO, Any

from reformctl.errors import Problem
from reformctl.i18n import label, tr
from reformctl.model import Ledger, Loc
from reformctl.render.json import write_json
from reformctl.render.views import due_record, humane_days
from reformctl.schedule import DueItem


@dataclass
class CheckResult:
    file: str
    problems: list[Problem]
    overdue: list[DueItem]  # failing findings
    soon: list[DueItem]  # warnings (due soon, or overdue within the grace days)
    due_locs: dict[str, Loc]  # milestone ref -> location of its `due` line
    ledger: Ledger | None
    today: dt.date

    @property
    def points(self) -> int:
        return len(self.ledger.points) if self.ledger else 0

    @property
    def milestones(self) -> int:
        return len(self.ledger.milestones()) if self.ledger else 0

    @property
    def unit_names(self) -> dict[str, str]:
        return {k: u.name for k, u in self.ledger.units.items()} if self.ledger else {}

    def loc(self, item: DueItem) -> Loc:
        return self.due_locs.get(item.milestone.ref, item.milestone.loc)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.overdue


def _finding(item: DueItem, lang: str, unit_names: dict[str, str]) -> str:
    ms = item.milestone
    lead = unit_names.get(item.point.lead, item.point.lead)
    args: dict[str, Any] = {"ref": ms.ref, "name": ms.name, "due": ms.due_now, "lead": lead}
    if item.days_overdue > 0:
        return tr("finding-overdue", lang, days=item.days_overdue, **args)
    return tr("finding-soon", lang, when=humane_days(item.days_overdue, lang), **args)


def _findings_line(result: CheckResult, lang: str) -> str:
    overdue, soon = len(result.overdue), len(result.soon)
    return tr("check-findings", lang, file=result.file, overdue=overdue, soon=soon)


def write_check_text(result: CheckResult, lang: str, stream: IO[str]) -> None:
    for p in result.problems:
        stream.write(p.line(lang) + "\n")
        hint = p.hint_text(lang)
        if hint:
            stream.write(f"    {'提示' if lang == 'zh' else 'hint'}: {hint}\n")
    if result.problems:
        stream.write(tr("check-errors", lang, file=result.file, n=len(result.problems)) + "\n")
        return
    for item in result.overdue + result.soon:
        loc = result.loc(item)
        stream.write(f"{loc}: {_finding(item, lang, result.unit_names)}\n")
    if result.overdue or result.soon:
        stream.write(_findings_line(result, lang) + "\n")
    else:
        stream.write(
            tr(
                "check-ok",
                lang,
                file=result.file,
                points=result.points,
                milestones=result.milestones,
            )
            + "\n"
        )


def write_check_json(result: CheckResult, lang: str, stream: IO[str]) -> None:
    write_json(
        {
            "ok": result.ok,
            "errors": [
                {
                    "file": p.loc.file if p.loc else result.file,
                    "line": p.loc.line if p.loc else None,
                    "col": p.loc.col if p.loc else None,
                    "message": p.message(lang),
                    "code": p.code,
                    "hint": p.hint_text(lang),
                }
                for p in result.problems
            ],
            "overdue": [_with_due_line(due_record(i), result, i) for i in result.overdue],
            "due_soon": [_with_due_line(due_record(i), result, i) for i in result.soon],
        },
        stream,
    )


def _with_due_line(record: dict[str, Any], result: CheckResult, item: DueItem) -> dict[str, Any]:
    loc = result.due_locs.get(item.milestone.ref)
    if loc:
        record["line"] = loc.line
    return record


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(kind: str, loc: Loc | None, title: str, message: str) -> str:
    props = []
    if loc:
        props += [f"file={_escape_property(loc.file)}", f"line={loc.line}", f"col={loc.col}"]
    props.append(f"title={_escape_property(title)}")
    return f"::{kind} {','.join(props)}::{_escape_data(message)}"


def write_check_github(result: CheckResult, lang: str, stream: IO[str]) -> None:
    for p in result.problems:
        hint = p.hint_text(lang)
        message = p.message(lang) + (f" ({hint})" if hint else "")
        stream.write(github_command("error", p.loc, "reformctl check", message) + "\n")
    for kind, items in (("error", result.overdue), ("warning", result.soon)):
        for item in items:
            loc = result.loc(item)
            title = humane_days(item.days_overdue, lang) + " " + item.milestone.ref
            stream.write(
                github_command(kind, loc, title, _finding(item, lang, result.unit_names)) + "\n"
            )


def write_github_summary(result: CheckResult, lang: str, stream: IO[str]) -> None:
    """A Markdown summary for ``$GITHUB_STEP_SUMMARY``: GitHub shows only ten annotations of a
    kind per step, so the full list goes here."""
    zh = lang == "zh"
    stream.write(f"## {'台账检查' if zh else 'Ledger check'}: `{result.file}`\n\n")
    if result.problems:
        stream.write(tr("check-errors", lang, file=result.file, n=len(result.problems)) + "\n\n")
        for p in result.problems:
            stream.write(f"- `{p.loc}` {_md(p.message(lang))}\n")
        return
    stream.write(_findings_line(result, lang) + "\n\n")
    if not (result.overdue or result.soon):
        return
    head = (
        ("节点", "名称", "牵头单位", "时限", "情况")
        if zh
        else ("Milestone", "Name", "Lead", "Due", "State")
    )
    stream.write("| " + " | ".join(head) + " |\n|" + "---|" * len(head) + "\n")
    names = result.unit_names
    for item in result.overdue + result.soon:
        ms = item.milestone
        cells = (
            ms.ref,
            ms.name,
            names.get(item.point.lead, item.point.lead),
            ms.due_now.isoformat(),
            humane_days(item.days_overdue, lang),
        )
        stream.write("| " + " | ".join(_md(c) for c in cells) + " |\n")


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def write_check_gitlab(result: CheckResult, lang: str, stream: IO[str]) -> None:
    """GitLab code quality report: a JSON list, each issue with a stable, unique fingerprint."""
    issues: list[dict[str, Any]] = []
    for p in result.problems:
        loc = p.loc or Loc(result.file, 1)
        issues.append(
            {
                "description": p.message(lang),
                "check_name": p.code,
                "fingerprint": _fingerprint("problem", p.code, loc.file, loc.line, p.message("en")),
                "severity": "blocker",
                "location": {"path": loc.file, "lines": {"begin": loc.line}},
            }
        )
    for kind, severity, items in (
        ("overdue", "major", result.overdue),
        ("due-soon", "minor", result.soon),
    ):
        for item in items:
            loc = result.loc(item)
            issues.append(
                {
                    "description": _finding(item, lang, result.unit_names),
                    "check_name": kind,
                    "fingerprint": _fingerprint(kind, loc.file, item.milestone.ref),
                    "severity": severity,
                    "location": {"path": loc.file, "lines": {"begin": loc.line}},
                }
            )
    write_json(issues, stream)


def write_check_junit(result: CheckResult, lang: str, stream: IO[str]) -> None:
    """JUnit XML: one test case per milestone due so far (failed when overdue and open), and
    one per ledger problem."""
    import xml.etree.ElementTree as ET

    suite = ET.Element("testsuite", name="reformctl check", timestamp=result.today.isoformat())
    failures = 0
    for p in result.problems:
        case = ET.SubElement(suite, "testcase", classname="ledger", name=str(p.loc or result.file))
        ET.SubElement(case, "failure", message=p.message(lang), type=p.code)
        failures += 1
    overdue = {i.milestone.ref: i for i in result.overdue}
    if result.ledger is not None:
        for point in result.ledger.points.values():
            for ms in point.milestones:
                if ms.due_now > result.today:
                    continue
                case = ET.SubElement(
                    suite,
                    "testcase",
                    classname=point.id,
                    name=f"{ms.ref} {ms.name}",
                    file=ms.loc.file,
                    line=str(ms.loc.line),
                )
                item = overdue.get(ms.ref)
                if item is not None:
                    message = _finding(item, lang, result.unit_names)
                    ET.SubElement(case, "failure", message=message, type="overdue")
                    failures += 1
                elif ms.done is not None and ms.done > ms.due_now:
                    ET.SubElement(case, "system-out").text = label("ms-done_late", lang)
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    ET.indent(suite)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(suite, encoding="unicode") + "\n")


SARIF_RULES = {
    "overdue": ("error", "A milestone is past its due date and open."),
    "due-soon": ("warning", "A milestone is due within the due-soon window."),
    "invalid-ledger": ("error", "The ledger has a problem (syntax, schema or reference)."),
}


def write_check_sarif(result: CheckResult, lang: str, stream: IO[str]) -> None:
    """SARIF 2.1.0, for code-scanning dashboards."""
    from reformctl import __version__

    def location(loc: Loc) -> dict[str, Any]:
        return {
            "physicalLocation": {
                "artifactLocation": {"uri": loc.file},
                "region": {"startLine": loc.line, "startColumn": loc.col},
            }
        }

    results: list[dict[str, Any]] = [
        {
            "ruleId": "invalid-ledger",
            "level": "error",
            "message": {"text": p.message(lang)},
            "locations": [location(p.loc or Loc(result.file, 1))],
            "properties": {"code": p.code},
        }
        for p in result.problems
    ]
    for rule, items in (("overdue", result.overdue), ("due-soon", result.soon)):
        for item in items:
            results.append(
                {
                    "ruleId": rule,
                    "level": SARIF_RULES[rule][0],
                    "message": {"text": _finding(item, lang, result.unit_names)},
                    "locations": [location(result.loc(item))],
                    "partialFingerprints": {"milestone": item.milestone.ref},
                }
            )
    rules = [
        {"id": k, "shortDescription": {"text": v[1]}, "defaultConfiguration": {"level": v[0]}}
        for k, v in SARIF_RULES.items()
    ]
    write_json(
        {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {"name": "reformctl", "version": __version__, "rules": rules}
                    },
                    "results": results,
                }
            ],
        },
        stream,
    )
