"""What `review` prints: each commit's changes to the ledger with their author and whether they
lie in the author's remit, as text for people, JSON, and CI annotations (GitHub workflow
commands, GitLab code quality, SARIF) on the changed line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from reformctl.facts import Difference, as_record
from reformctl.i18n import tr
from reformctl.model import Ledger, Loc
from reformctl.remit import Party, Reviewed, Verdict, is_platform_committer, units_of
from reformctl.render.ci import github_command, sarif_location, write_sarif
from reformctl.render.diffview import describe, named
from reformctl.render.escape import safe_line, visible
from reformctl.render.json import write_json


@dataclass
class ReviewResult:
    """Every reviewed commit, where each change is in HEAD's text, and the ledger at HEAD
    (for names)."""

    base: str
    head: str
    commits: list[Reviewed]
    locs: dict[tuple[str, int], Loc]  # (commit, verdict's index) -> file (from the root):line
    names: Ledger | None  # units' and points' names
    root_uri: str | None = None  # file:// URI of the repository root (SARIF's %SRCROOT%)
    members: Ledger | None = None  # BASE's ledger: who is a member of which unit, the office

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.commits)

    @property
    def out_of_remit(self) -> int:
        return sum(not v.ok for r in self.commits for v in r.verdicts)

    def loc(self, reviewed: Reviewed, i: int) -> Loc | None:
        return self.locs.get((reviewed.commit.sha, i))


def _unit_names(result: ReviewResult, units: tuple[str, ...]) -> str:
    ledger = result.names
    return "、".join(ledger.unit_name(u) if ledger else u for u in units)


def _point_title(result: ReviewResult, verdict: Verdict) -> str:
    ledger = result.names
    if verdict.point is None or ledger is None or verdict.point not in ledger.points:
        return ""
    return ledger.points[verdict.point].title


def _who(reviewed: Reviewed) -> str:
    c = reviewed.commit
    return f"{c.author} <{c.email}>"


def _author_line(result: ReviewResult, reviewed: Reviewed, lang: str) -> str:
    c = reviewed.commit
    args = {"sha": c.sha[:8], "who": _who(reviewed), "subject": c.subject}
    if reviewed.units:
        line = tr("review-commit", lang, units=_unit_names(result, reviewed.units), **args)
    else:
        line = tr("review-commit-stranger", lang, **args)
    return (
        line
        + _others(result, reviewed, lang)
        + (tr("review-merge", lang) if reviewed.merge else "")
    )


def _others(result: ReviewResult, reviewed: Reviewed, lang: str) -> str:
    """The committer (where another person) and the signer, as they were judged."""
    c = reviewed.commit
    out = ""
    committer = reviewed.party("committer")
    if committer is not None:
        out += _party_part(result, committer, "review-committer", lang)
    elif c.committer_email.lower() != c.email.lower() and is_platform_committer(
        result.members, c.committer_email
    ):
        who = f"{c.committer} <{c.committer_email}>"
        out += tr("review-committer-platform", lang, who=who)
    signer = reviewed.party("signer")
    if signer is not None:
        if signer.refused is not None:
            out += tr(f"review-{signer.refused}", lang)
        else:
            out += _party_part(result, signer, "review-signer", lang)
    return out


def _party_who(party: Party) -> str:
    return f"{party.name} <{party.email}>" if party.name else party.email


def _party_part(result: ReviewResult, party: Party, code: str, lang: str) -> str:
    who = _party_who(party)
    if not party.units:
        return tr(f"{code}-stranger", lang, who=who)
    return tr(code, lang, who=who, units=_unit_names(result, party.units))


def verdict_text(result: ReviewResult, reviewed: Reviewed, verdict: Verdict, lang: str) -> str:
    """One change and its verdict in words: the point's title, the change, why."""
    point = result.names.points.get(verdict.point or "") if result.names else None
    args: dict[str, Any] = {
        "lead": result.names.unit_name(point.lead) if result.names and point else "",
        "office": _office(result, lang),
    }
    title = _point_title(result, verdict)
    change = describe(_named(result, verdict.change), lang)
    head = f"「{title}」" if title and lang != "en" else (f'"{title}": ' if title else "")
    reason = tr("remit-" + verdict.reason, lang, **args)
    party = reviewed.party(verdict.party)
    if verdict.party != "author" and party is not None and party.refused is None:
        if verdict.reason == "not-member":
            reason = tr("remit-party-not-member", lang)
        role = tr(f"role-{party.role}", lang)
        reason = tr("remit-party", lang, role=role, who=_party_who(party), reason=reason)
    return f"{head}{change} — {reason}"


def _named(result: ReviewResult, d: Difference) -> Difference:
    """Units by name, not key, where a change shows them (a point's lead, its units...)."""
    ledger = result.names
    return d if ledger is None else named(d, ledger.unit_name)


def _office(result: ReviewResult, lang: str) -> str:
    """The office as BASE declares it (its name as HEAD has it, where HEAD still does)."""
    members = result.members
    office = members.settings.office_unit if members else None
    if members is None or office is None:
        return tr("remit-no-office", lang)
    names = result.names
    if names is not None and office in names.units:
        return names.unit_name(office)
    return members.unit_name(office)


def write_review_text(result: ReviewResult, lang: str, stream: IO[str]) -> None:
    for reviewed in result.commits:
        stream.write(safe_line(visible(_author_line(result, reviewed, lang))) + "\n")
        for i, verdict in enumerate(reviewed.verdicts):
            sign = "✓" if verdict.ok else "✗"
            loc = result.loc(reviewed, i)
            where = f"{loc.file}:{loc.line}: " if loc else ""
            text = verdict_text(result, reviewed, verdict, lang)
            stream.write(f"  {sign} {where}{text}\n")
    n = sum(len(r.verdicts) for r in result.commits)
    args = {"base": result.base, "head": result.head, "commits": len(result.commits), "n": n}
    if result.ok:
        stream.write(safe_line(tr("review-ok", lang, **args)) + "\n")
    else:
        stream.write(safe_line(tr("review-out", lang, out=result.out_of_remit, **args)) + "\n")


def write_review_json(result: ReviewResult, lang: str, stream: IO[str]) -> None:
    commits = []
    for reviewed in result.commits:
        c = reviewed.commit
        signer = reviewed.party("signer")
        changes = []
        for i, verdict in enumerate(reviewed.verdicts):
            loc = result.loc(reviewed, i)
            changes.append(
                {
                    **as_record(verdict.change),
                    "point": verdict.point,
                    "ok": verdict.ok,
                    "reason": verdict.reason,
                    "party": verdict.party,
                    "file": loc.file if loc else None,
                    "line": loc.line if loc else None,
                    "message": verdict_text(result, reviewed, verdict, lang),
                }
            )
        commits.append(
            {
                "commit": c.sha,
                "parents": list(c.parents),
                "author": c.author,
                "email": c.email,
                "subject": c.subject,
                "units": list(reviewed.units),
                "member": bool(reviewed.units),
                "committer": c.committer,
                "committer_email": c.committer_email,
                "committer_units": list(units_of(result.members, c.committer_email)),
                "signature": signer.refused or "good" if signer is not None else None,
                "signer": signer.email or None if signer is not None else None,
                "ok": reviewed.ok,
                "changes": changes,
            }
        )
    write_json(
        {"ok": result.ok, "base": result.base, "head": result.head, "commits": commits}, stream
    )


def _findings(result: ReviewResult, lang: str) -> list[tuple[Reviewed, int, Verdict, str]]:
    """Out-of-remit changes (each with its message), for the CI formats."""
    out = []
    for reviewed in result.commits:
        for i, verdict in enumerate(reviewed.verdicts):
            if not verdict.ok:
                text = f"{_who(reviewed)} {reviewed.commit.sha[:8]}: "
                out.append(
                    (reviewed, i, verdict, text + verdict_text(result, reviewed, verdict, lang))
                )
    return out


def write_review_github(result: ReviewResult, lang: str, stream: IO[str]) -> None:
    for reviewed, i, verdict, message in _findings(result, lang):
        title = f"reformctl review: {verdict.reason}"
        stream.write(github_command("error", result.loc(reviewed, i), title, message) + "\n")


def _fingerprint(reviewed: Reviewed, verdict: Verdict) -> str:
    import hashlib

    d = verdict.change
    parts = (reviewed.commit.sha, d.kind, d.ref, str(d.field), repr(d.after), verdict.reason)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def write_review_gitlab(result: ReviewResult, lang: str, stream: IO[str]) -> None:
    """GitLab code quality: one issue a change outside its author's remit."""
    issues = []
    for reviewed, i, verdict, message in _findings(result, lang):
        loc = result.loc(reviewed, i) or Loc("", 1, 1)
        issues.append(
            {
                "type": "issue",
                "description": message,
                "check_name": f"remit-{verdict.reason}",
                "categories": ["Security"],
                "fingerprint": _fingerprint(reviewed, verdict),
                "severity": "major" if verdict.reason in SARIF_RULES_MAJOR else "blocker",
                "location": {"path": loc.file, "lines": {"begin": loc.line}},
            }
        )
    write_json(issues, stream)


SARIF_RULES_MAJOR = frozenset({"office-only", "lead-only", "not-involved"})
SARIF_RULES = {
    "office-only": "Only the office's members may make this change.",
    "lead-only": "Only the point's lead unit may record done and evidence.",
    "not-involved": "Only the point's lead and co-operating units may log progress.",
    "not-member": "The author, committer or signer is a member of no unit.",
    "unsigned": "The commit is unsigned (--require-signed).",
    "unverified": "The commit's signature does not verify against the allowed signers.",
    "unvouched": "A change no commit in the range made, brought in by a merge: the merger's.",
}


def write_review_sarif(result: ReviewResult, lang: str, stream: IO[str]) -> None:
    index = {k: i for i, k in enumerate(SARIF_RULES)}
    results = []
    for reviewed, i, verdict, message in _findings(result, lang):
        loc = result.loc(reviewed, i) or Loc("", 1, 1)
        results.append(
            {
                "ruleId": verdict.reason,
                "ruleIndex": index[verdict.reason],
                "level": "error",
                "message": {"text": message},
                "locations": [sarif_location(loc)],
                "partialFingerprints": {"reformctlReview/v1": _fingerprint(reviewed, verdict)},
                "properties": {"commit": reviewed.commit.sha, "author": reviewed.commit.email},
            }
        )
    rules = [
        {"id": k, "shortDescription": {"text": v}, "defaultConfiguration": {"level": "error"}}
        for k, v in SARIF_RULES.items()
    ]
    write_sarif("reformctl review", rules, results, result.root_uri, stream)
