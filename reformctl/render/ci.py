"""What `check` prints: text for people, json for machines, and what CI systems read:
GitHub workflow commands (plus a Markdown step summary), GitLab code quality, JUnit, SARIF.

Every CI format names the ledger by its path from the repository root (``CheckResult.path``),
so that annotations land on the right file and fingerprints do not change with the working
directory; text for people keeps the name as the user typed it (``CheckResult.file``)."""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from reformctl import __version__
from reformctl.errors import Problem
from reformctl.i18n import label, text_of, tr
from reformctl.model import Ledger, Loc
from reformctl.render.escape import (
    gh_data,
    gh_property,
    md_code,
    md_inline,
    safe_line,
    safe_path,
    visible,
    xml_lines,
    xml_text,
)
from reformctl.render.json import write_json
from reformctl.render.standing import due_record
from reformctl.render.views import humane_days
from reformctl.schedule import DueItem

if TYPE_CHECKING:
    from collections.abc import Callable

    from reformctl.ledger.source import SourceIndex


@dataclass
class CheckResult:
    file: str  # the ledger as the user named it (text for people)
    problems: list[Problem]
    overdue: list[DueItem]  # failing findings
    soon: list[DueItem]  # warnings (due soon, or overdue within the grace days)
    due_locs: dict[str, Loc]  # milestone ref -> location of its `due` line
    ledger: Ledger | None
    today: dt.date
    path: str = ""  # the ledger's path from the repository root (CI formats)
    checked_at: dt.datetime | None = None  # when the check ran (JUnit's timestamp)
    index: SourceIndex | None = field(default=None, repr=False)  # tables, for fingerprints
    root_uri: str | None = None  # file:// URI of the repository root (SARIF's %SRCROOT%)
    warnings: list[Problem] = field(default_factory=list)  # advice: allowed, worth a look
    # a workspace's files: each as a message names it -> its path from the repository root
    paths: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.path = self.path or self.file

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

    def at(self, loc: Loc | None) -> Loc:
        """A place in the ledger as CI formats name it: from the repository root."""
        if loc is None:
            return Loc(self.path, 1, 1)
        return Loc(self.paths.get(loc.file, self.path), loc.line, loc.col)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.overdue

    @property
    def findings(self) -> list[tuple[str, DueItem]]:
        """(rule, item): overdue first, then due soon."""
        return [("overdue", i) for i in self.overdue] + [("due-soon", i) for i in self.soon]


def _finding(
    item: DueItem, lang: str, unit_names: dict[str, str], esc: Callable[[str], str] = str
) -> str:
    ms = item.milestone
    lead = unit_names.get(item.point.lead, item.point.lead)
    args: dict[str, Any] = {
        "ref": esc(ms.ref),
        "name": esc(ms.name),
        "due": ms.due_now,
        "lead": esc(lead),
    }
    if item.days_overdue > 0:
        return tr("finding-overdue", lang, days=item.days_overdue, **args)
    return tr("finding-soon", lang, when=humane_days(item.days_overdue, lang), **args)


def _findings_line(result: CheckResult, file: str, lang: str) -> str:
    overdue, soon = len(result.overdue), len(result.soon)
    return tr("check-findings", lang, file=file, overdue=overdue, soon=soon)


def _problem_text(p: Problem, lang: str) -> str:
    hint = p.hint_text(lang)
    if not hint:
        return p.message(lang)
    return tr("with-hint", lang, text=p.message(lang), hint=hint)


# -- text -------------------------------------------------------------------------------------


def write_check_text(result: CheckResult, lang: str, stream: IO[str]) -> None:
    """For people: ``file:line:col: message`` lines, every typed value made visible."""
    file = safe_path(result.file)
    for p in result.problems:
        prefix = f"{safe_path(p.loc.file)}:{p.loc.line}:{p.loc.col}: " if p.loc else ""
        stream.write(safe_line(prefix + visible(p.message(lang))) + "\n")
        hint = p.hint_text(lang)
        if hint:
            stream.write(f"    {label('hint', lang)}: {visible(hint)}\n")
    if result.problems:
        stream.write(tr("check-errors", lang, file=file, n=len(result.problems)) + "\n")
        return
    for p in result.warnings:
        prefix = f"{safe_path(p.loc.file)}:{p.loc.line}:{p.loc.col}: " if p.loc else ""
        word = tr("warning-word", lang)
        stream.write(safe_line(f"{prefix}{word}: {visible(p.message(lang))}") + "\n")
    names = result.unit_names  # (a dict made each time it is asked for: once, not an item)
    for item in result.overdue + result.soon:
        loc = result.loc(item)
        finding = _finding(item, lang, names, visible)
        stream.write(f"{safe_path(loc.file)}:{loc.line}:{loc.col}: {finding}\n")
    if result.overdue or result.soon:
        stream.write(_findings_line(result, file, lang) + "\n")
    else:
        stream.write(
            tr("check-ok", lang, file=file, points=result.points, milestones=result.milestones)
            + "\n"
        )


# -- json -------------------------------------------------------------------------------------


def write_check_json(result: CheckResult, lang: str, stream: IO[str]) -> None:
    write_json(
        {
            "ok": result.ok,
            "file": result.path,
            "errors": [
                {**_problem_record(result, p, lang), "hint": p.hint_text(lang), "fingerprint": fp}
                for p, fp in zip(result.problems, _problem_fingerprints(result), strict=True)
            ],
            "overdue": [_due_record(result, i) for i in result.overdue],
            "due_soon": [_due_record(result, i) for i in result.soon],
            "warnings": [_problem_record(result, p, lang) for p in result.warnings],
        },
        stream,
    )


def _problem_record(result: CheckResult, p: Problem, lang: str) -> dict[str, Any]:
    return {
        "file": result.at(p.loc).file,
        "line": p.loc.line if p.loc else None,
        "col": p.loc.col if p.loc else None,
        "message": p.message(lang),
        "code": p.code,
    }


def _due_record(result: CheckResult, item: DueItem) -> dict[str, Any]:
    record = due_record(item)
    loc = result.due_locs.get(item.milestone.ref)
    record["file"] = result.at(loc).file if loc else result.path
    if loc:
        record["line"] = loc.line
    return record


# -- GitHub -----------------------------------------------------------------------------------


def github_command(kind: str, loc: Loc | None, title: str, message: str) -> str:
    """One workflow command line: ``::error file=…,line=…,col=…,title=…::message``."""
    props = []
    if loc:
        props += [f"file={gh_property(loc.file)}", f"line={loc.line}", f"col={loc.col}"]
    props.append(f"title={gh_property(title)}")
    return f"::{kind} {','.join(props)}::{gh_data(message)}"


def write_check_github(result: CheckResult, lang: str, stream: IO[str]) -> None:
    for p in result.problems:
        loc = result.at(p.loc) if p.loc else Loc(result.path, 1, 1)
        stream.write(github_command("error", loc, "reformctl check", _problem_text(p, lang)))
        stream.write("\n")
    for p in result.warnings:
        loc = result.at(p.loc) if p.loc else Loc(result.path, 1, 1)
        stream.write(github_command("warning", loc, "reformctl check", p.message(lang)) + "\n")
    names = result.unit_names
    for rule, item in result.findings:
        kind = "error" if rule == "overdue" else "warning"
        title = humane_days(item.days_overdue, lang) + " " + item.milestone.ref
        message = _finding(item, lang, names)
        stream.write(github_command(kind, result.at(result.loc(item)), title, message) + "\n")


def write_github_summary(result: CheckResult, lang: str, stream: IO[str]) -> None:
    """A Markdown summary for ``$GITHUB_STEP_SUMMARY``: GitHub shows only ten annotations of a
    kind per step, so the full list goes here. Every value a user typed is escaped."""
    stream.write(f"## {tr('summary-head', lang, file=md_code(result.path))}\n\n")
    if result.problems:
        n = len(result.problems)
        stream.write(md_inline(tr("check-errors", lang, file=result.path, n=n)) + "\n\n")
        for p in result.problems:
            where = md_code(str(result.at(p.loc)) if p.loc else result.path)
            stream.write(f"- {where} {md_inline(_problem_text(p, lang))}\n")
        if not result.findings:
            return
        stream.write("\n")
    else:
        stream.write(md_inline(_findings_line(result, result.path, lang)) + "\n\n")
    if not result.findings:
        return
    head = [label(f"col-{c}", lang) for c in ("milestone", "name", "lead", "due", "state")]
    stream.write("| " + " | ".join(head) + " |\n|" + "---|" * len(head) + "\n")
    names = result.unit_names
    for _, item in result.findings:
        ms = item.milestone
        cells = (
            ms.ref,
            ms.name,
            names.get(item.point.lead, item.point.lead),
            ms.due_now.isoformat(),
            humane_days(item.days_overdue, lang),
        )
        stream.write("| " + " | ".join(md_inline(c) for c in cells) + " |\n")
    stream.write("\n")  # what a later step appends starts a block of its own


# -- fingerprints -----------------------------------------------------------------------------

_SIMPLE_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
_KEY_RE = re.compile(rf"\s*({_SIMPLE_KEY}(?:\s*\.\s*{_SIMPLE_KEY})*)\s*=")
# The arguments that say *which* thing a problem is about; values (a wrong date, today's
# date, the offending text) are left out, so that fixing a typo keeps the same finding.
_IDENTITY_ARGS = ("what", "id", "ref", "key", "field", "table", "topic", "meeting")


class _Places:
    """The table and the key at a place in the ledger's text (a workspace: in the file the
    place names), found from the source index."""

    def __init__(self, index: SourceIndex | None) -> None:
        self.index = index
        self.files: dict[str, tuple[list[Any], list[int], list[str]]] = {}

    def _file(self, file: str) -> tuple[list[Any], list[int], list[str]]:
        if file not in self.files:
            index = self.index
            named = getattr(index, "index_named", None)
            if named is not None:
                index = named(file)
            headers = index.headers if index is not None else []
            lines = index.text.splitlines() if index is not None else []
            self.files[file] = (headers, [h.line for h in headers], lines)
        return self.files[file]

    def at(self, loc: Loc | None) -> tuple[str, str]:
        if loc is None:
            return "", ""
        headers, starts, lines = self._file(loc.file)
        line = loc.line
        i = bisect.bisect_right(starts, line) - 1
        header = headers[i] if i >= 0 else None
        section = ".".join(header.path) if header else ""
        key = ""
        if 0 < line <= len(lines) and (header is None or header.line != line):
            m = _KEY_RE.match(lines[line - 1])
            key = m.group(1) if m else ""
        return section, key


def _identity(p: Problem, places: _Places) -> tuple[str, ...]:
    """A problem's identity: its rule, the table it sits in and the key at its line (read from
    the source, never the line number), and the arguments that name what it is about."""
    section, key = places.at(p.loc)
    args = tuple(f"{a}={text_of(p.args[a], 'en')}" for a in _IDENTITY_ARGS if a in p.args)
    return (p.code, section, key, *args)


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def _unique(identities: list[tuple[str, ...]]) -> list[str]:
    """Fingerprints, one per identity; the n-th repeat of an identity gets ``#n``."""
    seen: dict[tuple[str, ...], int] = {}
    out = []
    for ident in identities:
        seen[ident] = seen.get(ident, 0) + 1
        n = seen[ident]
        out.append(_fingerprint(*ident, *((f"#{n}",) if n > 1 else ())))
    return out


def _problem_fingerprints(result: CheckResult) -> list[str]:
    places = _Places(result.index)
    return _unique(
        [("problem", result.at(p.loc).file, *_identity(p, places)) for p in result.problems]
    )


def _warning_fingerprints(result: CheckResult) -> list[str]:
    places = _Places(result.index)
    return _unique(
        [("warning", result.at(p.loc).file, *_identity(p, places)) for p in result.warnings]
    )


def _problem_names(result: CheckResult) -> list[str]:
    """Test-case names for problems: the rule, the table and the key, never a line number
    (a test keeps its name from run to run); a repeat gets ``#n``."""
    places = _Places(result.index)
    seen: dict[str, int] = {}
    names = []
    for p in result.problems:
        section, key = places.at(p.loc)
        name = " ".join(part for part in (p.code, f"[{section}]" if section else "", key) if part)
        seen[name] = seen.get(name, 0) + 1
        names.append(name + (f" #{seen[name]}" if seen[name] > 1 else ""))
    return names


def _finding_fingerprints(result: CheckResult) -> list[str]:
    return _unique(
        [
            (rule, result.at(result.loc(item)).file, item.milestone.ref)
            for rule, item in result.findings
        ]
    )


# -- GitLab -----------------------------------------------------------------------------------


def write_check_gitlab(result: CheckResult, lang: str, stream: IO[str]) -> None:
    """GitLab code quality report: a JSON list, each issue with a stable, unique fingerprint."""
    issues: list[dict[str, Any]] = []
    for p, fp in zip(result.problems, _problem_fingerprints(result), strict=True):
        loc = result.at(p.loc)
        issues.append(
            {
                "type": "issue",
                "description": _problem_text(p, lang),
                "check_name": p.code,
                "categories": ["Bug Risk"],
                "fingerprint": fp,
                "severity": "blocker",
                "location": {"path": loc.file, "lines": {"begin": loc.line}},
            }
        )
    for (rule, item), fp in zip(result.findings, _finding_fingerprints(result), strict=True):
        loc = result.at(result.loc(item))
        issues.append(
            {
                "type": "issue",
                "description": _finding(item, lang, result.unit_names),
                "check_name": rule,
                "categories": ["Bug Risk"],
                "fingerprint": fp,
                "severity": "major" if rule == "overdue" else "minor",
                "location": {"path": loc.file, "lines": {"begin": loc.line}},
            }
        )
    for p, fp in zip(result.warnings, _warning_fingerprints(result), strict=True):
        loc = result.at(p.loc)
        issues.append(
            {
                "type": "issue",
                "description": p.message(lang),
                "check_name": p.code,
                "categories": ["Style"],
                "fingerprint": fp,
                "severity": "info",
                "location": {"path": loc.file, "lines": {"begin": loc.line}},
            }
        )
    write_json(issues, stream)


# -- JUnit ------------------------------------------------------------------------------------


def write_check_junit(result: CheckResult, lang: str, stream: IO[str]) -> None:
    """JUnit XML as the Jenkins xUnit ``junit-10.xsd`` has it: one test case per ledger problem
    and one per milestone due so far (failed when overdue and open, problems or not). Places
    go into the failure's message and text: the schema has no file or line on a test case."""
    import xml.etree.ElementTree as ET

    def el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
        if text is not None:
            node.text = xml_lines(text)
        return node

    stamp = (result.checked_at or dt.datetime.combine(result.today, dt.time())).replace(
        microsecond=0, tzinfo=None
    )
    suites = ET.Element("testsuites", name="reformctl check")
    suite = el(suites, "testsuite", name=f"reformctl check {result.path}")
    properties = el(suite, "properties")
    el(properties, "property", name="ledger", value=result.path)
    el(properties, "property", name="today", value=result.today.isoformat())
    failures = 0
    for p, name in zip(result.problems, _problem_names(result), strict=True):
        where = str(result.at(p.loc)) if p.loc else result.path
        case = el(suite, "testcase", classname="ledger", name=name)
        text = f"{where}: {_problem_text(p, lang)}"
        el(case, "failure", text, message=text, type=p.code)
        failures += 1
    overdue = {i.milestone.ref: i for i in result.overdue}
    if result.ledger is not None:
        for point in result.ledger.points.values():
            for ms in point.milestones:
                if ms.due_now > result.today:
                    continue
                case = el(suite, "testcase", classname=point.id, name=f"{ms.ref} {ms.name}")
                item = overdue.get(ms.ref)
                if item is not None:
                    where = str(result.at(result.loc(item)))
                    message = f"{where}: {_finding(item, lang, result.unit_names)}"
                    el(case, "failure", message, message=message, type="overdue")
                    failures += 1
                elif ms.done is not None and ms.done > ms.due_now:
                    el(case, "system-out", label("ms-done_late", lang))
    tests = str(len(suite) - 1)  # the test cases, not the properties
    for node in (suites, suite):
        node.set("tests", tests)
        node.set("failures", str(failures))
        node.set("errors", "0")
        node.set("time", "0")
    suite.set("skipped", "0")
    suite.set("timestamp", stamp.isoformat(timespec="seconds"))
    ET.indent(suites)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(suites, encoding="unicode") + "\n")


# -- SARIF ------------------------------------------------------------------------------------

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SARIF_ROOT = "%SRCROOT%"
SARIF_RULES = {
    "overdue": ("error", "A milestone is past its due date and open."),
    "due-soon": ("warning", "A milestone is due within the due-soon window."),
    "invalid-ledger": ("error", "The ledger has a problem (syntax, schema or reference)."),
    "advice": ("note", "Allowed, but worth a second look (dates outside the year, no evidence)."),
}


def sarif_uri(path: str) -> str:
    """A relative path as a URI reference: every character outside RFC 3986's unreserved
    set and ``/`` percent-encoded (UTF-8), so ``台账 2026/ledger.toml`` stays one URI."""
    from urllib.parse import quote

    return quote(path, safe="/")


def sarif_location(loc: Loc) -> dict[str, Any]:
    """A SARIF location: the file relative to ``%SRCROOT%``, its line and column."""
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": sarif_uri(loc.file), "uriBaseId": SARIF_ROOT},
            "region": {"startLine": loc.line, "startColumn": loc.col},
        }
    }


def write_sarif(
    tool: str,
    rules: list[dict[str, Any]],
    results: list[dict[str, Any]],
    root_uri: str | None,
    stream: IO[str],
    artifacts: list[str] | None = None,
) -> None:
    """One SARIF 2.1.0 run of ``tool`` (``check`` and ``review`` alike)."""

    base: dict[str, Any] = {"description": {"text": "The root of the repository."}}
    if root_uri:
        base["uri"] = root_uri
    run: dict[str, Any] = {
        "tool": {"driver": {"name": tool, "version": __version__, "rules": rules}},
        "originalUriBaseIds": {SARIF_ROOT: base},
    }
    if artifacts is not None:
        run["artifacts"] = [
            {"location": {"uri": sarif_uri(path), "uriBaseId": SARIF_ROOT}} for path in artifacts
        ]
    run["columnKind"] = "unicodeCodePoints"
    run["results"] = results
    write_json({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, stream)


def write_check_sarif(result: CheckResult, lang: str, stream: IO[str]) -> None:
    """SARIF 2.1.0, for code-scanning dashboards: artifact URIs relative to ``%SRCROOT%``."""
    location = sarif_location
    rule_index = {k: i for i, k in enumerate(SARIF_RULES)}
    results: list[dict[str, Any]] = [
        {
            "ruleId": "invalid-ledger",
            "ruleIndex": rule_index["invalid-ledger"],
            "level": "error",
            "message": {"text": _problem_text(p, lang)},
            "locations": [location(result.at(p.loc))],
            "partialFingerprints": {"reformctlFinding/v1": fp},
            "properties": {"code": p.code},
        }
        for p, fp in zip(result.problems, _problem_fingerprints(result), strict=True)
    ]
    for (rule, item), fp in zip(result.findings, _finding_fingerprints(result), strict=True):
        results.append(
            {
                "ruleId": rule,
                "ruleIndex": rule_index[rule],
                "level": SARIF_RULES[rule][0],
                "message": {"text": _finding(item, lang, result.unit_names)},
                "locations": [location(result.at(result.loc(item)))],
                "partialFingerprints": {"reformctlFinding/v1": fp},
                "properties": {"milestone": item.milestone.ref},
            }
        )
    for p, fp in zip(result.warnings, _warning_fingerprints(result), strict=True):
        results.append(
            {
                "ruleId": "advice",
                "ruleIndex": rule_index["advice"],
                "level": "note",
                "message": {"text": p.message(lang)},
                "locations": [location(result.at(p.loc))],
                "partialFingerprints": {"reformctlFinding/v1": fp},
                "properties": {"code": p.code},
            }
        )
    rules = [
        {"id": k, "shortDescription": {"text": v[1]}, "defaultConfiguration": {"level": v[0]}}
        for k, v in SARIF_RULES.items()
    ]
    artifacts = [result.path, *result.paths.values()]
    write_sarif("reformctl", rules, results, result.root_uri, stream, artifacts)
