"""Who may change what (remit): each change to the ledger judged against its author's units.

A unit's members may record ``done`` and ``evidence`` on the milestones of points their unit
leads, and monthly ``progress`` on points it leads or co-operates on; everything else (adding
or removing points and milestones, extensions, due dates and names, closing and reopening,
declarations, settings, the registers) is the office's: the members of ``[ledger]
office_unit``, who may change anything. An author who is a member of no unit is never trusted.

Remit is judged against the ledger as it stood *before* the change (the commit's parent), so a
commit cannot widen its own remit by adding its author to a unit. Pure: over the model and the
differences of :func:`reformctl.facts.compare`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from reformctl.facts import Difference, compare
from reformctl.ledger.gitio import Commit
from reformctl.model import Ledger, Point, member_email

# what a unit's member may record, by the kind of difference (facts.compare's words)
RECORD_KINDS = frozenset({"done", "undone", "done-changed", "evidence"})
PROGRESS_KINDS = frozenset({"progress-added", "progress-changed", "progress-removed"})


@dataclass(frozen=True)
class Verdict:
    """One change and whether it lies in its author's remit; ``reason`` is a stable code:
    in remit ``office`` | ``lead`` | ``co-operating``; out ``office-only`` | ``lead-only`` |
    ``not-involved`` | ``not-member``."""

    change: Difference
    ok: bool
    reason: str
    point: str | None = None  # the work point it is about, if any


def units_of(ledger: Ledger, email: str) -> tuple[str, ...]:
    """The units whose members include ``email`` (compared without case)."""
    wanted = member_email(email)
    return tuple(key for key, unit in ledger.units.items() if wanted in unit.emails)


def point_of(change: Difference) -> str | None:
    """The work point a change is about (its milestones and progress included)."""
    if len(change.path) >= 2 and change.path[0] == "points":
        return change.path[1]
    return None


def is_office_member(ledger: Ledger, units: tuple[str, ...]) -> bool:
    office = ledger.settings.office_unit
    return office is not None and office in units


def records_done_or_evidence(
    change: Difference, point: Point | None, units: tuple[str, ...]
) -> str:
    """``done`` and ``evidence`` of a milestone: its point's lead unit."""
    if point is not None and point.lead in units:
        return "lead"
    return "lead-only"


def logs_progress(change: Difference, point: Point | None, units: tuple[str, ...]) -> str:
    """A monthly progress entry: the point's lead unit or a co-operating unit."""
    if point is not None and point.lead in units:
        return "lead"
    if point is not None and any(u in point.units for u in units):
        return "co-operating"
    return "not-involved"


def office_only(change: Difference, point: Point | None, units: tuple[str, ...]) -> str:
    """Everything else is the office's."""
    return "office-only"


RemitRule = Callable[[Difference, Point | None, tuple[str, ...]], str]


def rule_for(change: Difference) -> RemitRule:
    """The rule that decides who may make a change of this kind."""
    if change.kind in RECORD_KINDS and change.path[2:3] == ("milestones",):
        return records_done_or_evidence
    if change.kind in PROGRESS_KINDS:
        return logs_progress
    return office_only


IN_REMIT = frozenset({"office", "lead", "co-operating"})


def judge(
    before: Ledger, after: Ledger | None, email: str, changes: list[Difference]
) -> list[Verdict]:
    """Each change by the author with ``email``, judged against ``before`` (who is a member of
    which unit, which unit leads each point); a point the change itself adds is read from
    ``after``."""
    units = units_of(before, email)
    office = is_office_member(before, units)
    out = []
    for change in changes:
        pid = point_of(change)
        point = before.points.get(pid) if pid else None
        if point is None and pid and after is not None:
            point = after.points.get(pid)
        if not units:
            reason = "not-member"
        elif office:
            reason = "office"
        else:
            reason = rule_for(change)(change, point, units)
        out.append(Verdict(change, reason in IN_REMIT, reason, pid))
    return out


def own_changes(per_parent: list[list[Difference]]) -> list[Difference]:
    """A merge's own changes: those it makes against every parent (a conflict resolved by
    hand, an edit slipped into the merge); what one side brought is that side's commits'."""
    if not per_parent:
        return []

    def key(d: Difference) -> tuple[str, str | None, str, str]:
        # not the kind: against one parent a value is set, against the other changed
        return (d.ref, d.field, repr(d.after), repr(d.path))

    first, *rest = per_parent
    others = [{key(d) for d in diffs} for diffs in rest]
    return [d for d in first if all(key(d) in keys for keys in others)]


@dataclass(frozen=True)
class Snapshot:
    """The ledger at one revision: its parsed data (what is compared) and its model (who may
    change what); None where there was no ledger."""

    data: Mapping[str, Any] | None
    ledger: Ledger | None


@dataclass(frozen=True)
class Reviewed:
    """One commit's changes to the ledger, each judged."""

    commit: Commit
    units: tuple[str, ...]  # the author's units, as the ledger before it declared them
    verdicts: list[Verdict]

    @property
    def merge(self) -> bool:
        return len(self.commit.parents) > 1

    @property
    def ok(self) -> bool:
        return all(v.ok for v in self.verdicts)


def review(commits: list[Commit], at: Callable[[str], Snapshot]) -> Iterator[Reviewed]:
    """Each commit that changes the ledger, its changes judged against its parent's ledger
    (``at(rev)`` reads a revision). A merge is judged on its own changes only; a commit with
    no parent, or whose parent had no ledger, against its own ledger (the ledger's creation)."""
    for commit in commits:
        after = at(commit.sha)
        if after.data is None:
            continue
        parents = [at(p) for p in commit.parents] or [Snapshot(None, None)]
        changes = own_changes([compare(p.data, after.data) for p in parents])
        if not changes:
            continue
        before = parents[0].ledger or after.ledger
        if before is None:
            continue
        verdicts = judge(before, after.ledger, commit.email, changes)
        yield Reviewed(commit, units_of(before, commit.email), verdicts)
