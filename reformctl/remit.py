"""Who may change what (remit): each change to the ledger judged against the units of those
who made it.

A unit's members may record ``done`` and ``evidence`` on the milestones of points their unit
leads, and monthly ``progress`` on points it leads or co-operates on; everything else (adding
or removing points and milestones, extensions, due dates and names, closing and reopening,
declarations, a unit's ``remind`` table (where its reminders go), settings, the registers, the
ledger's removal) is the office's: the members of
``[ledger] office_unit``, who may change anything. Someone who is a member of no unit is never
trusted.

What each commit is judged on is what it received: its parent's ledger, or for a commit whose
parent had none (a root, a re-creation after a removal or a rename) the ledger at BASE; a merge
three ways against each of its merge bases (:func:`merge_own_all`). Which unit leads a point
and which co-operate are read both there and at BASE: a unit is entitled only where both
entitle it. Every net change BASE..HEAD must be some commit's own (:func:`review`). Who is a
member of which unit, the office, the platform's committers and the allowed signers are always
read at BASE, never from a ledger the range itself wrote. A change is in remit only when every
party that vouches for it may make it: the author and the committer (``--trust``; a platform
committer's commits are judged by the author alone), and with ``--require-signed`` the member
the signing key belongs to. Pure: over the model and the differences of
:func:`reformctl.facts.compare`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from reformctl.facts import Difference, compare
from reformctl.ledger.gitio import Commit, Signature
from reformctl.model import MEMBER_RE, Ledger, Point, member_email

# what a unit's member may record, by the kind of difference (facts.compare's words)
RECORD_KINDS = frozenset({"done", "undone", "done-changed", "evidence"})
PROGRESS_KINDS = frozenset({"progress-added", "progress-changed", "progress-removed"})


@dataclass(frozen=True)
class Verdict:
    """One change and whether it lies in the remit of those who made it; ``reason`` is a
    stable code: in remit ``office`` | ``lead`` | ``co-operating``; out ``office-only`` |
    ``lead-only`` | ``not-involved`` | ``not-member`` | ``unsigned`` | ``unverified`` |
    ``unvouched`` (a net change BASE..HEAD no commit of the range made, its merger's).
    ``party`` says whose remit decided it: the first of author, committer, signer outside
    theirs, else the author."""

    change: Difference
    ok: bool
    reason: str
    point: str | None = None  # the work point it is about, if any
    party: str = "author"


def units_of(ledger: Ledger | None, email: str) -> tuple[str, ...]:
    """The units whose members include ``email`` (compared without case)."""
    if ledger is None:
        return ()
    wanted = member_email(email)
    return tuple(key for key, unit in ledger.units.items() if wanted in unit.emails)


def member_name(ledger: Ledger | None, email: str) -> str:
    """The name a unit's ``members`` give ``email`` ("" where none does): a signer is known
    by the key's principal, an email, and shown by name."""
    wanted = member_email(email)
    for unit in ledger.units.values() if ledger is not None else ():
        for member in unit.members:
            found = MEMBER_RE.fullmatch(member.strip())
            if found and found.group("name") and member_email(member) == wanted:
                return found.group("name")
    return ""


def point_of(change: Difference) -> str | None:
    """The work point a change is about (its milestones and progress included)."""
    if len(change.path) >= 2 and change.path[0] == "points":
        return change.path[1]
    return None


def is_office_member(ledger: Ledger | None, units: tuple[str, ...]) -> bool:
    office = ledger.settings.office_unit if ledger is not None else None
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


# -- who vouches for a commit ------------------------------------------------------------------
TRUSTS = ("author", "committer", "both")


@dataclass(frozen=True)
class Party:
    """One who vouches for a commit's changes: its ``author``, its ``committer`` or its
    ``signer`` (the member the signing key belongs to), with their units at BASE. A party
    that is ``refused`` (an unsigned or unverified commit's signer) makes every change out of
    remit, for that reason."""

    role: str
    name: str
    email: str
    units: tuple[str, ...] = ()
    refused: str | None = None


def is_platform_committer(members: Ledger | None, email: str) -> bool:
    """Whether BASE's ``[ledger] platform_committers`` names ``email`` (without case)."""
    if members is None:
        return False
    wanted = member_email(email)
    return any(member_email(c) == wanted for c in members.settings.platform_committers)


def parties(
    commit: Commit,
    members: Ledger | None,
    trust: str = "both",
    signature: Signature | None = None,
) -> list[Party]:
    """Who must be entitled to each change of ``commit``: by ``trust``, its author, its
    committer or both (a committer BASE names in ``platform_committers`` is judged by the
    author alone); and with a ``signature`` to check (``--require-signed``), the member its
    key belongs to. An author who commits their own change is judged once."""
    author = Party("author", commit.author, commit.email, units_of(members, commit.email))
    committer = Party(
        "committer",
        commit.committer,
        commit.committer_email,
        units_of(members, commit.committer_email),
    )
    platform = is_platform_committer(members, commit.committer_email)
    if trust == "author" or platform:
        out = [author]
    elif trust == "committer":
        out = [committer]
    else:
        out = [author, committer]
    if signature is not None:
        if signature.status != "good" or signature.principal is None:
            out.append(Party("signer", "", "", (), signature.status))
        else:
            principal = signature.principal
            name = member_name(members, principal)
            out.append(Party("signer", name, principal, units_of(members, principal)))
    same = member_email(committer.email) == member_email(author.email)
    if same and len(out) > 1 and out[1].role == "committer":
        del out[1]  # one person, judged once
    return out


def judge(
    members: Ledger | None,
    before: Ledger | None,
    after: Ledger | None,
    by: list[Party],
    changes: list[Difference],
) -> list[Verdict]:
    """Each change judged for every party in ``by``: who is a member of which unit and who
    is the office as ``members`` (BASE's ledger) says; which unit leads each point and which
    co-operate as ``before`` (what the commit received) says, a point the change itself adds
    as ``after``, and as BASE says too: a unit is entitled only where both entitle it (a
    point BASE lacks, added in the range, as the commit received it alone), so a branch
    started before the office moved a point keeps no remit the office took away."""
    out = []
    for change in changes:
        pid = point_of(change)
        point = before.points.get(pid) if pid and before is not None else None
        if point is None and pid and after is not None:
            point = after.points.get(pid)
        at_base = members.points.get(pid) if pid and members is not None else None
        verdict = None
        for party in by:
            reason = _reason(members, party, change, point)
            if reason in IN_REMIT and at_base is not None and at_base is not point:
                also = _reason(members, party, change, at_base)
                if also not in IN_REMIT:
                    reason = also
            if reason not in IN_REMIT:
                verdict = Verdict(change, False, reason, pid, party.role)
                break
            if verdict is None:
                verdict = Verdict(change, True, reason, pid, party.role)
        out.append(verdict or Verdict(change, False, "not-member", pid))
    return out


def _reason(members: Ledger | None, party: Party, change: Difference, point: Point | None) -> str:
    if party.refused is not None:
        return party.refused
    if not party.units:
        return "not-member"
    if is_office_member(members, party.units):
        return "office"
    return rule_for(change)(change, point, party.units)


# -- what a merge did of its own ---------------------------------------------------------------
_ABSENT: Any = object()


def _same(x: Any, y: Any) -> bool:
    """Equal and of one type (1 and true told apart); absent only as absent."""
    if x is _ABSENT or y is _ABSENT:
        return x is y
    return type(x) is type(y) and x == y


def merge_own(
    base: Mapping[str, Any], sides: Sequence[Mapping[str, Any]], merged: Mapping[str, Any]
) -> list[Difference]:
    """A merge's own changes, judged three ways against the merge base, fact by fact: a
    value equal to that of a side that changed it is that side's (judged in its commits); a
    value equal to the base where a side changed it (a side's change undone), or different
    from every side, is the merger's, shown from the side it departs from (the first side
    that changed it, else the base)."""
    kept = _own(dict(base), [dict(s) for s in sides], dict(merged))
    before = kept if isinstance(kept, dict) else {}
    return compare(before, merged)


def merge_own_all(
    bases: Sequence[Mapping[str, Any]],
    sides: Sequence[Mapping[str, Any]],
    merged: Mapping[str, Any],
) -> list[Difference]:
    """:func:`merge_own` against each of several merge bases (a criss-cross merge has more
    than one): a value is a side's only where it is that side's against every base, else it
    is the merger's. One base is :func:`merge_own` itself."""
    return compare(_kept_all(bases, sides, merged), merged)


def _kept_all(
    bases: Sequence[Mapping[str, Any]],
    sides: Sequence[Mapping[str, Any]],
    merged: Mapping[str, Any],
) -> dict[str, Any]:
    """``merged`` with each of the merger's own values (against any base) put back."""
    whole = dict(merged)
    kept = _either(whole, [_own(dict(b), [dict(s) for s in sides], whole) for b in bases])
    return kept if isinstance(kept, dict) else {}


def _either(merged: Any, kept: list[Any]) -> Any:
    """``merged`` with each value any of ``kept`` (what :func:`_own` left against each base)
    puts back as it was, put back as the first that does."""
    if all(_same(k, merged) for k in kept):
        return merged
    nodes = [merged, *kept]
    if all(n is _ABSENT or type(n) is dict for n in nodes) and any(type(n) is dict for n in nodes):
        keys: dict[str, None] = {}
        for n in nodes:
            if n is not _ABSENT:
                keys.update(dict.fromkeys(n))
        out = {}
        for key in keys:
            value = _either(_get(merged, key), [_get(k, key) for k in kept])
            if value is not _ABSENT:
                out[key] = value
        if out or (type(merged) is dict and not merged):
            return out
        return _ABSENT
    return next(k for k in kept if not _same(k, merged))


def _own(base: Any, sides: list[Any], merged: Any) -> Any:
    """``merged`` with each of the merger's own values put back as it was (see
    :func:`merge_own`); _ABSENT where nothing is left."""
    if all(_same(merged, s) for s in sides):
        return merged  # as every side has it: nothing of the merger's own in here
    nodes = [base, *sides, merged]
    if all(n is _ABSENT or type(n) is dict for n in nodes) and any(type(n) is dict for n in nodes):
        keys: dict[str, None] = {}
        for n in nodes:
            if n is not _ABSENT:
                keys.update(dict.fromkeys(n))
        out = {}
        for key in keys:
            value = _own(_get(base, key), [_get(s, key) for s in sides], _get(merged, key))
            if value is not _ABSENT:
                out[key] = value
        if out or (type(merged) is dict and not merged):
            return out
        return _ABSENT
    changed = [s for s in sides if not _same(s, base)]
    if changed:
        own = not any(_same(merged, s) for s in changed)
    else:
        own = not _same(merged, base)
    if not own:
        return merged
    return changed[0] if changed else base


def _get(node: Any, key: str) -> Any:
    return node.get(key, _ABSENT) if type(node) is dict else _ABSENT


# -- the range ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Snapshot:
    """The ledger at one revision: its parsed data (what is compared) and its model (who may
    change what); None where there was no ledger."""

    data: Mapping[str, Any] | None
    ledger: Ledger | None
    files: tuple[str, ...] = ()  # the files it is made of (one, or a workspace's)


@dataclass(frozen=True)
class Reviewed:
    """One commit's changes to the ledger, each judged."""

    commit: Commit
    units: tuple[str, ...]  # the author's units, at BASE
    verdicts: list[Verdict]
    by: tuple[Party, ...] = ()  # who was judged: author, committer, signer

    @property
    def merge(self) -> bool:
        return len(self.commit.parents) > 1

    @property
    def ok(self) -> bool:
        return all(v.ok for v in self.verdicts)

    def party(self, role: str) -> Party | None:
        return next((p for p in self.by if p.role == role), None)


LEDGER_REMOVED = "ledger-removed"
FILES_CHANGED = "ledger-files-changed"


def files_changed(before: tuple[str, ...], after: tuple[str, ...]) -> Difference:
    """The files the ledger is made of changed (a workspace split, joined, a file renamed or
    a configuration naming others): one change, the office's."""
    return Difference(
        FILES_CHANGED, "ledger", None, ", ".join(before), ", ".join(after), path=("ledger",)
    )


UNVOUCHED = "unvouched"
Path_ = tuple[str, ...]


def _leaves(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every value in ``node`` that is not a non-empty table."""
    if type(node) is dict and node:
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    else:
        yield path


def _at(node: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        node = _get(node, key)
    return node


def _net(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> set[Path_]:
    """The paths of the facts that differ between ``before`` and ``after`` (a table empty on
    one side and filled on the other is its entries, not one fact)."""
    one, two = dict(before or {}), dict(after or {})
    paths = set(_leaves(one)) | set(_leaves(two))
    return {
        p
        for p in paths
        if p
        and not _same(_at(one, p), _at(two, p))
        and not any(type(v) is dict and v for v in (_at(one, p), _at(two, p)))
    }


def _put_back(
    head: Mapping[str, Any], base: Mapping[str, Any], paths: set[Path_]
) -> dict[str, Any]:
    """``head`` with the value at each of ``paths`` as ``base`` has it (absent where absent)."""
    import copy

    out: dict[str, Any] = copy.deepcopy(dict(head))
    for path in sorted(paths, key=len):
        value = _at(base, path)
        node: Any = out
        for key in path[:-1]:
            if type(node.get(key)) is not dict:
                node[key] = {}
            node = node[key]
        if value is _ABSENT:
            node.pop(path[-1], None)
        else:
            node[path[-1]] = copy.deepcopy(value)
    return out


def review(
    commits: list[Commit],
    at: Callable[[str], Snapshot],
    base: str,
    merge_base: Callable[[tuple[str, ...]], Sequence[str]],
    vouch: Callable[[Commit, Ledger | None], list[Party]] = lambda c, m: parties(c, m),
    done: Callable[[Commit], None] = lambda c: None,
    head: str | None = None,
) -> Iterator[Reviewed]:
    """Each commit that changes the ledger, its changes judged (``at(rev)`` reads a revision,
    ``merge_base(parents)`` finds every base of a merge, ``vouch(commit, members)`` says who
    must be entitled to its changes). Each commit is judged against what it received: its
    parent's ledger, or BASE's where the parent had none (a root commit, a ledger re-created
    after its removal or a rename); a merge three ways against each of its merge bases
    (BASE's ledger where there is none). The members are always BASE's. ``done(commit)`` is
    told when a commit has been judged (what was read for it may then go).

    With ``head``, every fact that differs between BASE and HEAD must be vouched for by a
    commit of the range whose own change set it to HEAD's value; one none vouches for (it
    came only through merges, from outside the range) is the own change of the HEAD-most
    merge whose result holds HEAD's value while its parents differ, judged as its merger's
    (out of remit: ``unvouched``)."""
    start = at(base)
    final = at(head).data if head is not None else None
    net = _net(start.data, final) if head is not None and final is not None else set()
    vouched: set[Path_] = set()
    brought: dict[Path_, Commit] = {}
    found_all: list[Reviewed] = []
    for commit in commits:
        owned: list[tuple[Any, Any]] = []
        found = _judged(commit, at, start, merge_base, vouch, owned if net else None)
        if net and owned:
            before, after = owned[0]
            for path in net - vouched:
                value = _at(after, path)
                if not _same(value, _at(final, path)):
                    continue
                if not _same(_at(before, path), value):
                    vouched.add(path)
                elif len(commit.parents) > 1:
                    got = [_at(at(p).data or {}, path) for p in commit.parents]
                    if not all(_same(g, got[0]) for g in got):
                        brought[path] = commit
        done(commit)
        if found is not None:
            found_all.append(found)
    unvouched = {p: c for p, c in brought.items() if p not in vouched}
    by_merge: dict[str, set[Path_]] = {}
    for path, commit in unvouched.items():
        by_merge.setdefault(commit.sha, set()).add(path)
    for sha, paths in by_merge.items():
        commit = next(c for c in commits if c.sha == sha)
        assert final is not None
        changes = compare(_put_back(final, start.data or {}, paths), final)
        if not changes:
            continue
        before = at(commit.parents[0]).ledger or start.ledger
        by = vouch(commit, start.ledger)
        verdicts = [
            v if v.ok else replace(v, reason=UNVOUCHED)
            for v in judge(start.ledger, before, at(commit.sha).ledger, by, changes)
        ]
        i = next((i for i, r in enumerate(found_all) if r.commit.sha == sha), None)
        if i is None:
            units = units_of(start.ledger, commit.email)
            found_all.append(Reviewed(commit, units, verdicts, tuple(by)))
        else:
            found_all[i] = replace(found_all[i], verdicts=[*found_all[i].verdicts, *verdicts])
    order = {c.sha: n for n, c in enumerate(commits)}
    yield from sorted(found_all, key=lambda r: order[r.commit.sha])


def _judged(
    commit: Commit,
    at: Callable[[str], Snapshot],
    start: Snapshot,
    merge_base: Callable[[tuple[str, ...]], Sequence[str]],
    vouch: Callable[[Commit, Ledger | None], list[Party]],
    owned: list[tuple[Any, Any]] | None = None,
) -> Reviewed | None:
    """One commit judged (see :func:`review`); None when it changes nothing in the ledger.
    ``owned`` is given what the commit's own change is made against and its result."""
    members = start.ledger

    def received(rev: str | None) -> Snapshot:
        found = at(rev) if rev is not None else Snapshot(None, None)
        return found if found.data is not None else start

    after = at(commit.sha)
    had = any(at(p).data is not None for p in commit.parents)
    if after.data is None and not had:
        return None  # no ledger before or after
    if len(commit.parents) > 1:
        # a criss-cross merge has several bases: it is judged against each
        found: list[str | None] = list(merge_base(commit.parents)) or [None]
        commons = [received(b) for b in found]
        common = commons[0]
        # a side without the ledger brought no change to it
        sides = [at(p) if at(p).data is not None else common for p in commit.parents]
        grounds = [c.data or {} for c in commons]
        kept = _kept_all(grounds, [s.data or {} for s in sides], after.data or {})
        changes = compare(kept, after.data or {})
        if owned is not None and after.data is not None:
            owned.append((kept, after.data))
        moved: tuple[str, ...] = ()
        for c in commons:
            files = _own(c.files, [s.files for s in sides], after.files)
            if files is not after.files:
                moved = files
                break
        before = at(commit.parents[0]).ledger or common.ledger
    else:
        parent = received(commit.parents[0] if commit.parents else None)
        before = parent.ledger
        moved = parent.files if parent.files != after.files else ()
        if after.data is None:
            changes = [Difference(LEDGER_REMOVED, "ledger", path=("ledger",))]
        else:
            changes = compare(parent.data, after.data)
            if owned is not None:
                owned.append((parent.data or {}, after.data))
    if moved and after.data is not None:
        # which files make up the ledger is the office's to change: a file left out of it
        # (a configuration naming other files) is a ledger no review reads any more
        changes.insert(0, files_changed(moved, after.files))
    if after.data is None and changes:
        # the ledger removed: one change, not every table of it
        changes = [Difference(LEDGER_REMOVED, "ledger", path=("ledger",))]
    if not changes:
        return None
    by = vouch(commit, members)
    verdicts = judge(members, before, after.ledger, by, changes)
    return Reviewed(commit, units_of(members, commit.email), verdicts, tuple(by))
