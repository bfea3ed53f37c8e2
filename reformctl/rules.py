"""The ledger's rules: each a small named function over the model, yielding problems.

``check`` runs them after every load, every write runs them on the ledger as it would be (a
write that adds a problem is refused), and the merge driver runs them on its result (a merge
that breaks one is a conflict). The shape of each table (types, required fields, unknown keys)
is the builder's; what relates one fact to another is here.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from itertools import chain
from operator import attrgetter
from typing import Any, Protocol

from reformctl.errors import Problem
from reformctl.i18n import Choices, L
from reformctl.model import ENV_REF_RE, PERIOD_RE, REMIND_ENV_KEYS, Ledger, Loc, Milestone, Point
from reformctl.records import record
from reformctl.schema import (
    MILESTONES,
    SECTIONS,
    SETTINGS,
    STRING_LIST,
    TABLE_LIST,
    Field,
    Section,
)


class Where(Protocol):
    """Where a table or one of its keys is written (the source index)."""

    def loc(self, path: tuple[str, ...], key: str | None = None) -> Loc: ...


# the entries a rule is to judge, by top-level table ("points", "units", "ledger" the
# settings; a point's milestones are its own): None, every entry
Only = Mapping[str, Collection[str]] | None


class Rule(Protocol):
    """A rule: the problems it finds in a ledger (about the entries ``only`` names, when
    given: see :class:`Scope`)."""

    def __call__(self, ledger: Ledger, where: Where, only: Only = None, /) -> Iterable[Problem]: ...


@record
class Scope:
    """What a rule's problems depend on, declared beside it (:func:`scoped`), so that after a
    change only what the change can affect is judged again (:func:`run_rules`).

    - ``judges``: the top-level tables whose entries it judges each on its own: its problems
      about an entry depend on that entry alone (and on what ``reads`` names); given ``only``,
      it judges only those entries;
    - ``reads``: the tables whose keys (which, in which order) it reads: a key added, removed or
      moved there and it judges everything;
    - ``compares``: the tables whose entries it compares with each other (a value used once):
      any entry of them changed and it judges everything.

    A rule that declares nothing judges everything after any change."""

    judges: frozenset[str] = frozenset()
    reads: frozenset[str] = frozenset()
    compares: frozenset[str] = frozenset()


SCOPES: dict[Callable[..., Iterable[Problem]], Scope] = {}


def scoped(
    judges: Iterable[str] = (), reads: Iterable[str] = (), compares: Iterable[str] = ()
) -> Callable[[Rule], Rule]:
    """Declare a rule's :class:`Scope`."""

    def declare(rule: Rule) -> Rule:
        SCOPES[rule] = Scope(frozenset(judges), frozenset(reads), frozenset(compares))
        return rule

    return declare


# what a reference to each section is called when it is missing, and the hint that fixes it
_UNDECLARED = {
    ("units",): ("undeclared-unit", "declare-unit"),
    ("groups",): ("undeclared-group", "declare-group"),
    ("topics",): ("undeclared-topic", "declare-topic"),
    ("points",): ("undeclared-point", None),
    ("outposts",): ("undeclared-outpost", None),
    ("pilots", "points"): ("undeclared-source", None),
    ("points", "cases"): ("undeclared-about", None),
}


def _each(ledger: Ledger, section: Section, only: Only = None) -> Iterator[tuple[Any, str]]:
    """Every entry of a section (of those ``only`` names), with its key (a milestone's: its
    point's ID). How it is named (:func:`_named`) is worked out only for the few a rule finds
    a problem with."""
    if section is SETTINGS:
        if only is None or section.path[0] in only:
            yield ledger.settings, ""
        return
    if section is MILESTONES:
        for point in _pool(ledger.points, only, "points"):
            for ms in point.milestones:
                yield ms, point.id
        return
    pool: Mapping[str, Any] = getattr(ledger, section.name, {})
    if only is None:
        yield from ((entry, key) for key, entry in pool.items())
        return
    for key in only.get(section.path[0], ()):
        if key in pool:
            yield pool[key], key


def _pool(pool: Mapping[str, Any], only: Only, table: str) -> Iterable[Any]:
    """The entries of ``pool`` (top-level table ``table``) that ``only`` names, or all."""
    if only is None:
        return pool.values()
    return [pool[key] for key in only.get(table, ()) if key in pool]


def _named(section: Section, entry: Any, key: str) -> tuple[tuple[str, ...], Any]:
    """An entry's table path and how to name it, from :func:`_each`'s key."""
    if section is SETTINGS:
        return ("ledger",), L("ledger-table")
    if section is MILESTONES:
        return ("points", key, "milestones", entry.key), (L("kind-milestones"), entry.ref)
    return (section.path[0], key), (L(f"kind-{section.name}"), key)


def _values(entry: Any, field: Field) -> list[str]:
    value = getattr(entry, field.attribute, None)
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, tuple):
        return [v for v in value if isinstance(v, str) and v]
    return []


def _referring() -> tuple[set[str], set[str]]:
    """The tables whose entries refer to something, and the tables they refer to."""
    judges: set[str] = set()
    reads: set[str] = set()
    for section in (SETTINGS, *SECTIONS, MILESTONES):
        for field in section.fields:
            for ref in (field.ref, *(sub.ref for sub in field.item)):
                if ref:
                    judges.add(section.path[0])
                    reads.update(ref)
    return judges, reads


_JUDGES, _READS = _referring()


@scoped(judges=_JUDGES, reads=_READS)
def references(ledger: Ledger, where: Where, only: Only = None) -> Iterator[Problem]:
    """Every reference names something declared: units, groups, topics, points, outposts."""
    pools: dict[str, set[str]] = {s.path[0]: set(getattr(ledger, s.name, {})) for s in SECTIONS}
    declared: dict[tuple[str, ...], set[str]] = {}

    def known(ref: tuple[str, ...]) -> set[str]:
        if ref not in declared:
            declared[ref] = set().union(*(pools.get(r, set()) for r in ref))
        return declared[ref]

    def check(
        value: str, field: Field, path: tuple[str, ...], key: str, what: Any
    ) -> Iterator[Problem]:
        code, declare = _UNDECLARED[field.ref]
        candidates = sorted(known(field.ref))
        close = difflib.get_close_matches(value, candidates, n=1)
        hint = "did-you-mean-key" if close else declare
        args = {"what": what, "key": value, "suggestion": close[0] if close else ""}
        yield Problem(code, where.loc(path, key), args, hint)

    for section in (SETTINGS, *SECTIONS, MILESTONES):
        # the fields that refer to something, with the sub-fields of a list of tables that do
        refs = [
            (field, [sub for sub in field.item if sub.ref] if field.kind == TABLE_LIST else [])
            for field in section.fields
        ]
        refs = [(field, subs) for field, subs in refs if field.ref or subs]
        if not refs:
            continue
        # (each field's attribute and what it may name, looked up once, not once an entry;
        # a list of names all declared is one set operation)
        fields = [
            (f, f.attribute, known(f.ref) if f.ref else None, f.kind == STRING_LIST, subs)
            for f, subs in refs
        ]
        if only is None and _all_declared(_entries(ledger, section), fields, known):
            continue  # (the common case: not a value undeclared, seen from C, each distinct once)
        for entry, key in _each(ledger, section, only):
            for field, attribute, named, many, subs in fields:
                value = getattr(entry, attribute, None)
                if not value:
                    continue  # (the common case: nothing to name, in a field or its items)
                if named is not None and not _declared(value, named, many):
                    for value in _values(entry, field):
                        if value not in named:
                            path, what = _named(section, entry, key)
                            yield from check(value, field, path, field.name, what)
                if subs:
                    for item in getattr(entry, attribute, ()) or ():
                        for sub in subs:
                            for value in _values(item, sub):
                                if value not in known(sub.ref):
                                    path, what = _named(section, entry, key)
                                    item_what = (L("kind-extension"), what[1])
                                    yield from check(value, sub, path, field.name, item_what)


def _entries(ledger: Ledger, section: Section) -> list[Any]:
    """Every entry of a section, as :func:`_each` gives them (without their keys)."""
    if section is SETTINGS:
        return [ledger.settings]
    if section is MILESTONES:
        return list(chain.from_iterable(map(attrgetter("milestones"), ledger.points.values())))
    return list(getattr(ledger, section.name, {}).values())


def _declared(value: Any, named: set[str], many: bool) -> bool:
    """Whether a field's value (not empty) is declared at once: one name, or (``many``: a
    list of names) names all declared; else each is judged (:func:`_values`)."""
    return (type(value) is str and value in named) or (
        many and type(value) is tuple and named.issuperset(value)
    )


def _all_declared(
    entries: list[Any],
    fields: list[tuple[Field, str, set[str] | None, bool, list[Field]]],
    known: Callable[[tuple[str, ...]], set[str]],
) -> bool:
    """Whether :func:`references` would find nothing in ``entries``: each distinct value of
    each field declared (a value it cannot tell, or any doubt: False, and it judges each)."""
    try:
        for _field, attribute, named, many, subs in fields:
            values = set(map(attrgetter(attribute), entries)) - {None}
            if named is not None and not all(_declared(v, named, many) for v in values if v):
                return False
            items = [item for value in values for item in value or ()] if subs else []
            if not all(known(sub.ref).issuperset(_values(i, sub)) for sub in subs for i in items):
                return False
    except (AttributeError, TypeError):  # (a value unhashable, an entry without the field)
        return False
    return True


@scoped(judges=["points"])
def no_unit_twice(ledger: Ledger, where: Where, only: Only = None) -> Iterator[Problem]:
    """A point lists each co-operating unit once."""
    for point in _pool(ledger.points, only, "points"):
        units = point.units
        if len(units) > 1 and len(set(units)) != len(units):  # (one or none: never twice)
            what = (L("kind-points"), point.id)
            path = ("points", point.id)
            yield Problem(
                "duplicate-in-list", where.loc(path, "units"), {"what": what, "field": "units"}
            )


@scoped(judges=["points"])
def evidence_needs_done(ledger: Ledger, where: Where, only: Only = None) -> Iterator[Problem]:
    """Evidence belongs to a milestone that is done."""
    # (_each's milestones, without a generator's step for each of 45,000: so below too)
    for point in _pool(ledger.points, only, "points"):
        for ms in point.milestones:
            if ms.evidence is None or ms.done is not None:
                continue
            path, what = _named(MILESTONES, ms, point.id)
            yield Problem(
                "evidence-without-done",
                where.loc(path, "evidence"),
                {"what": what, "ref": ms.ref},
                "hint-done",
            )


@scoped(judges=["points"])
def extensions_move_later(ledger: Ledger, where: Where, only: Only = None) -> Iterator[Problem]:
    """Each extension moves the due date later than the one before it."""
    for ms, pid in _extended(ledger, only):
        before = ms.due
        for ext in ms.extensions:
            if ext.to <= before:
                path, what = _named(MILESTONES, ms, pid)
                args = {"what": what, "to": ext.to, "due": before}
                yield Problem("extension-not-later", where.loc(path, "extensions"), args)
            before = ext.to


def _extended(ledger: Ledger, only: Only) -> Iterator[tuple[Milestone, str]]:
    """:func:`_each`'s milestones that have extensions (a few of 45,000), with the point's ID."""
    for point in _pool(ledger.points, only, "points"):
        for ms in point.milestones:
            if ms.extensions:
                yield ms, point.id


@scoped(judges=["points"])
def extensions_approved_by_their_deadline(
    ledger: Ledger, where: Where, only: Only = None
) -> Iterator[Problem]:
    """An extension is approved (``approved_on``) on or before the due date it grants."""
    for ms, pid in _extended(ledger, only):
        for ext in ms.extensions:
            if ext.approved_on is not None and ext.approved_on > ext.to:
                path, what = _named(MILESTONES, ms, pid)
                args = {"what": what, "date": ext.approved_on, "to": ext.to}
                yield Problem("extension-approved-after", where.loc(path, "extensions"), args)


@scoped(judges=["points"])
def closing_needs_evidence_and_done(
    ledger: Ledger, where: Where, only: Only = None
) -> Iterator[Problem]:
    """A point is struck off only with evidence, once every milestone is done (对账销号)."""
    for point in _pool(ledger.points, only, "points"):
        if point.closed is None and point.closing_evidence is None:
            continue  # (the common case: nothing to judge, without a generator a point)
        yield from _closing(point, where)


def _closing(point: Point, where: Where) -> Iterator[Problem]:
    path = ("points", point.id)
    pid = point.id
    if point.closed is None:
        if point.closing_evidence is not None:
            yield Problem(
                "evidence-without-closed", where.loc(path, "closing_evidence"), {"id": pid}
            )
        return
    # the place is looked up only for a problem: most closed points have none
    if point.closing_evidence is None:
        yield Problem(
            "closed-without-evidence", where.loc(path, "closed"), {"id": pid}, "hint-close"
        )
    still_open = [f"{ms.key}「{ms.name}」" for ms in point.milestones if ms.done is None]
    if still_open:
        yield Problem(
            "closed-with-open",
            where.loc(path, "closed"),
            {"id": pid, "open": Choices(still_open)},
        )
    last_done = max((ms.done for ms in point.milestones if ms.done), default=None)
    if last_done and point.closed < last_done:
        yield Problem(
            "closed-before-done",
            where.loc(path, "closed"),
            {"id": pid, "closed": point.closed, "done": last_done},
        )


@scoped(compares=["meetings"])
def one_meeting_a_topic(ledger: Ledger, where: Where, only: Only = None) -> Iterator[Problem]:
    """Each topic is the theme of one meeting (一会一主题)."""
    first: dict[str, str] = {}
    for key, meeting in ledger.meetings.items():
        if meeting.theme and meeting.theme in first:
            args = {"topic": meeting.theme, "first": first[meeting.theme], "meeting": key}
            yield Problem("topic-twice", where.loc(("meetings", key), "theme"), args)
        first.setdefault(meeting.theme, key)


@scoped(judges=["pilots"])
def reviews_after_start(ledger: Ledger, where: Where, only: Only = None) -> Iterator[Problem]:
    """A pilot is reviewed only after it entered the library."""
    for pilot, key in _each(ledger, _section("pilots"), only):
        for review in pilot.reviews:
            if review.on < pilot.since:
                path = ("pilots", key, "reviews")
                args = {"what": (L("kind-pilots"), key), "on": review.on, "since": pilot.since}
                yield Problem("review-before-since", where.loc(path, review.on.isoformat()), args)


_LEADING_ZEROS = re.compile(r"(?<![0-9])0+(?=[0-9])").sub


def id_shape(value: str) -> str:
    """An ID as compared for look-alikes: case folded, every number without its leading zeros
    (``R26-3`` and ``r26-03`` have one shape)."""
    folded = value.casefold()
    if folded.isascii():  # (the common case, without a call a number: its zeros cut alone)
        return _LEADING_ZEROS("", folded) if "0" in folded else folded
    return re.sub(r"\d+", lambda m: str(int(m.group(0))), folded)


def id_shapes(values: Sequence[str]) -> list[str]:
    """:func:`id_shape` of each value: of ASCII IDs (the common case), with one pass of the
    pattern over them all, joined by a line break (no digit: a number ends at it as at an
    ID's end), unless one of them holds a line break."""
    joined = "\n".join(values)
    if joined.isascii():
        folded = joined.casefold()
        shapes = (_LEADING_ZEROS("", folded) if "0" in folded else folded).split("\n")
        if len(shapes) == len(values):
            return shapes
    return [id_shape(value) for value in values]


def nearest_ids(ids: Iterable[str], value: str, n: int = 3) -> list[str]:
    """Up to ``n`` IDs near ``value`` (a mistyped point or milestone): the same shape first
    (``R26-03`` for ``R26-3``), then the closest by spelling."""
    pool = list(ids)
    shape = id_shape(value)
    out = [i for i in pool if id_shape(i) == shape]
    # 0.75, not difflib's 0.6: IDs share their prefix (R26-), so at 0.6 every R26-xx is "near"
    # R26-99; at 0.75 a six-character ID is near one that differs in one character
    for close in difflib.get_close_matches(value, pool, n=n, cutoff=0.75):
        if close not in out:
            out.append(close)
    return out[:n]


_KEY = attrgetter("key")


@scoped(judges=["points"], reads=[s.path[0] for s in SECTIONS])
def ids_differ_beyond_shape(ledger: Ledger, where: Where, only: Only = None) -> Iterator[Problem]:
    """No two IDs of a section (nor two milestones of a point) differ only by case or by
    zero-padding: ``R26-3`` beside ``R26-03`` is a typing slip, not a second point. Given
    ``only``, the keys of every section are as they were (see :class:`Scope`): only the
    milestones of the points it names are compared."""

    def look_alikes(
        keys: Iterable[str], table: tuple[str, ...], what: L, prefix: str = ""
    ) -> Iterator[Problem]:
        first: dict[str, str] = {}
        keys = list(keys)
        shapes = id_shapes(keys)
        if len(set(shapes)) == len(shapes):
            return  # (the common case: no two of one shape, seen from C)
        for key, shape in zip(keys, shapes, strict=True):
            if shape in first:  # (the prefix, the same for all, ends with "/")
                args = {"what": what, "key": prefix + key, "first": prefix + first[shape]}
                yield Problem("id-look-alike", where.loc((*table, key)), args)
            else:
                first[shape] = key

    for section in SECTIONS if only is None else ():
        pool = getattr(ledger, section.name, None)
        if isinstance(pool, Mapping) and pool:
            yield from look_alikes(pool, section.path[:1], L(f"kind-{section.name}"))
    alike: dict[tuple[str, ...], bool] = {}  # (most points' milestones have the keys of many)
    for point in _pool(ledger.points, only, "points"):
        keys = tuple(map(_KEY, point.milestones))
        twice = alike.get(keys)
        if twice is None:
            twice = alike[keys] = len(set(id_shapes(keys))) < len(keys)
        if twice:  # (two of the same shape: which, and where)
            table = ("points", point.id, "milestones")
            yield from look_alikes(keys, table, L("kind-milestones"), prefix=point.id + "/")


def _numbered_once_a_year(
    entries: Mapping[str, Any], table: str, code: str, where: Where
) -> Iterator[Problem]:
    """Each entry of a register of documents (``number``, ``on``) whose number another entry
    of the same year already has: a document number is never reused."""
    first: dict[tuple[int, int], str] = {}
    for key, entry in entries.items():
        number = (entry.on.year, entry.number)
        if number in first:
            args = {"number": entry.number, "year": entry.on.year, "first": first[number]}
            args["key"] = key
            yield Problem(code, where.loc((table, key), "number"), args)
        first.setdefault(number, key)


@scoped(compares=["notices"])
def one_notice_a_number(ledger: Ledger, where: Where, only: Only = None) -> Iterator[Problem]:
    """A notice number (督〔YEAR〕N号) is used once a year: a document number is never reused."""
    yield from _numbered_once_a_year(ledger.notices, "notices", "notice-number-twice", where)


@scoped(compares=["circulars"])
def one_circular_a_number(ledger: Ledger, where: Where, only: Only = None) -> Iterator[Problem]:
    """A circular's number (CODE〔YEAR〕N号) is used once a year: its own register, apart
    from the notices' 督 one, and never reused."""
    yield from _numbered_once_a_year(ledger.circulars, "circulars", "circular-number-twice", where)


# the period each report kind states: 2026-H1, 2026 (the year), 2026-Q3
_PERIOD_OF = {"half": r"\d{4}-H[12]", "year": r"\d{4}", "quarter": r"\d{4}-Q[1-4]"}


@scoped(judges=["circulars"])
def circulars_agree_with_their_keys(
    ledger: Ledger, where: Where, only: Only = None
) -> Iterator[Problem]:
    """A circular's key is its year and number (2026-003 for 〔2026〕3号, the year of ``on``),
    and its period is one its report states (a half year, a quarter, a year): a key written
    by hand that says another number would stop the next ``--record`` from taking it."""
    for circular in _pool(ledger.circulars, only, "circulars"):
        key = circular.id
        expected = f"{circular.on.year}-{circular.number:03d}"
        if key != expected and 1 <= circular.number <= 9999:  # (else the builder said so)
            args = {"key": key, "expected": expected, "number": circular.number}
            args["year"] = circular.on.year
            yield Problem("circular-key-not-number", where.loc(("circulars", key), "number"), args)
        pattern = _PERIOD_OF.get(circular.report)
        stated = PERIOD_RE.fullmatch(circular.period)  # (else the builder said so)
        if pattern is not None and stated and not re.fullmatch(pattern, circular.period):
            args = {"key": key, "period": circular.period, "report": circular.report}
            yield Problem(
                "circular-period-not-report", where.loc(("circulars", key), "period"), args
            )


# the CI platforms' own variables: a remind target named after one would send to (or reveal)
# what the platform put there, not what the office configured
CI_VARIABLE_PREFIXES = ("CI_", "GITHUB_", "RUNNER_")


@scoped(judges=["units"])
def remind_from_environment(ledger: Ledger, where: Where, only: Only = None) -> Iterator[Problem]:
    """Where a reminder goes and its secrets are ``"env:NAME"``, never the URL or secret
    itself (a ledger is read by everyone who clones it), and never a CI platform's own
    variable."""
    for unit, key in _each(ledger, _section("units"), only):
        if unit.remind is None:
            continue
        for field in REMIND_ENV_KEYS:
            value = getattr(unit.remind, field)
            if value is None:
                continue
            at = where.loc(("units", key, "remind"), field)
            args = {"unit": key, "field": field}
            found = ENV_REF_RE.fullmatch(value)
            if found is None:
                yield Problem("remind-literal", at, args, "hint-remind-env")
            elif found.group(1).upper().startswith(CI_VARIABLE_PREFIXES):
                args["name"] = found.group(1)
                yield Problem("remind-ci-variable", at, args, "hint-remind-env")


RULES: tuple[Rule, ...] = (
    references,
    no_unit_twice,
    evidence_needs_done,
    extensions_move_later,
    extensions_approved_by_their_deadline,
    closing_needs_evidence_and_done,
    one_meeting_a_topic,
    reviews_after_start,
    one_notice_a_number,
    one_circular_a_number,
    circulars_agree_with_their_keys,
    remind_from_environment,
    ids_differ_beyond_shape,
)


assert set(RULES) <= set(SCOPES), "every rule declares its scope (@scoped)"


@record
class Change:
    """What a change made of a ledger that had no problem: ``tables``, by top-level table
    (``""`` for a key at the top of the file), the keys of the entries it changed, added or
    removed (None: the table as a whole); ``keys``, each section's keys, in order, before it."""

    tables: Mapping[str, frozenset[str] | None]
    keys: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, before: Mapping[str, tuple[str, ...]], paths: Iterable[tuple[str, ...]]) -> Change:
        """The change at the tables ``paths`` (what a write's splices name) of a ledger whose
        sections had the keys ``before`` (:func:`keys_of`)."""
        tables: dict[str, set[str] | None] = {}
        for path in paths:
            top = path[0] if path else ""
            if len(path) < 2 or top not in _KEYED:
                tables[top] = None
            elif (entries := tables.setdefault(top, set())) is not None:
                entries.add(path[1])
        frozen = {t: None if k is None else frozenset(k) for t, k in tables.items()}
        return cls(frozen, before)

    def scope(self, ledger: Ledger, scope: Scope) -> dict[str, frozenset[str]] | bool:
        """What a rule of ``scope`` must judge of ``ledger`` (the changed one): the entries
        to judge, or True (everything), or False (nothing)."""
        tables = self.tables
        if "" in tables or any(t in tables for t in scope.compares):
            return True
        for name in scope.reads:
            section = _KEYED.get(name)
            if section is None or tuple(getattr(ledger, section.name)) != self.keys[section.name]:
                return True
        only: dict[str, frozenset[str]] = {}
        for table in scope.judges & tables.keys():
            keys = tables[table]
            if keys is None:
                return True
            only[table] = keys
        return only or False


def keys_of(ledger: Ledger) -> dict[str, tuple[str, ...]]:
    """Each section's keys, in the model's order, by the section's name."""
    return {s.name: tuple(getattr(ledger, s.name)) for s in SECTIONS}


# the sections whose entries are keyed, by top-level table
_KEYED = {s.path[0]: s for s in SECTIONS}


def _section(table: str) -> Section:
    return _KEYED[table]


def run_rules(ledger: Ledger, where: Where, change: Change | None = None) -> list[Problem]:
    """Every problem every rule finds. After a ``change`` of a ledger that had none, each rule
    judges only what its :class:`Scope` says the change can affect: the same problems."""
    if change is None:
        return [problem for rule in RULES for problem in rule(ledger, where)]
    out: list[Problem] = []
    for rule in RULES:
        only = change.scope(ledger, SCOPES[rule])
        if only is True:
            out.extend(rule(ledger, where))
        elif only:
            out.extend(rule(ledger, where, only))
    return out


def dated_problems(ledger: Ledger, today: dt.date) -> list[Problem]:
    """Problems that depend on the day: facts recorded as happening after today."""
    problems = []
    for point in ledger.points.values():
        for ms in point.milestones:
            if ms.done and ms.done > today:
                args = {"ref": ms.ref, "date": ms.done, "today": today}
                problems.append(Problem("done-in-future", ms.loc, args))
            for ext in ms.extensions:
                if ext.approved_on is not None and ext.approved_on > today:
                    args = {"ref": ms.ref, "date": ext.approved_on, "today": today}
                    problems.append(Problem("approved-in-future", ms.loc, args))
        if point.closed and point.closed > today:
            args = {"id": point.id, "date": point.closed, "today": today}
            problems.append(Problem("closed-in-future", point.loc, args))
    return problems


# -- advice: facts that are allowed but worth a second look (warnings, never errors) -----------
def done_before_the_year(ledger: Ledger, where: Where) -> Iterator[Problem]:
    """A milestone done before the ledger's year began (carried over, or a typo in the year)."""
    start = dt.date(ledger.settings.year, 1, 1) if ledger.settings.year else None
    if start is None:
        return
    # (each of 45,000 milestones judged without a step of a generator, named only when found)
    for point in ledger.points.values():
        for ms in point.milestones:
            if ms.done and ms.done < start:
                path, _ = _named(MILESTONES, ms, point.id)
                args = {"ref": ms.ref, "date": ms.done, "year": ledger.settings.year}
                yield Problem("done-before-year", where.loc(path, "done"), args)


def due_after_the_year(ledger: Ledger, where: Where) -> Iterator[Problem]:
    """A milestone due after the ledger's year ends: next year's ledger is where it belongs."""
    end = dt.date(ledger.settings.year, 12, 31) if ledger.settings.year else None
    if end is None:
        return
    for point in ledger.points.values():
        for ms in point.milestones:
            if ms.done is None and ms.due_now > end:
                path, _ = _named(MILESTONES, ms, point.id)
                args = {"ref": ms.ref, "date": ms.due_now, "year": ledger.settings.year}
                key = "extensions" if ms.extensions else "due"
                yield Problem("due-after-year", where.loc(path, key), args)


def done_with_evidence(ledger: Ledger, where: Where) -> Iterator[Problem]:
    """A milestone is struck off with evidence (对账销号): done without it is worth a look."""
    for point in ledger.points.values():
        for ms in point.milestones:
            if ms.done is not None and ms.evidence is None:
                path, _ = _named(MILESTONES, ms, point.id)
                yield Problem("done-without-evidence", where.loc(path, "done"), {"ref": ms.ref})


ADVICE: tuple[Callable[[Ledger, Where], Iterable[Problem]], ...] = (
    done_before_the_year,
    due_after_the_year,
    done_with_evidence,
)


def advice(ledger: Ledger, where: Where) -> list[Problem]:
    """Warnings for ``check``: allowed, but worth a second look."""
    return [problem for rule in ADVICE for problem in rule(ledger, where)]
