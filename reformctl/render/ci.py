"""What `check` prints: text for people, json for machines, GitHub workflow commands for CI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from reformctl.errors import Problem
from reformctl.i18n import tr
from reformctl.model import Loc
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
    points: int
    milestones: int
    unit_names: dict[str, str]

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
        loc = result.due_locs.get(item.milestone.ref, item.milestone.loc)
        stream.write(f"{loc}: {_finding(item, lang, result.unit_names)}\n")
    if result.overdue or result.soon:
        stream.write(
            tr(
                "check-findings",
                lang,
                file=result.file,
                overdue=len(result.overdue),
                soon=len(result.soon),
            )
            + "\n"
        )
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
            loc = result.due_locs.get(item.milestone.ref, item.milestone.loc)
            title = humane_days(item.days_overdue, lang) + " " + item.milestone.ref
            stream.write(
                github_command(kind, loc, title, _finding(item, lang, result.unit_names)) + "\n"
            )
