"""The ledger as facts: one value of one field of one table, as the schema declares them.

Driven by :mod:`reformctl.schema`, so every section is covered the day it is declared:
``flatten`` turns parsed data (valid or not) into facts in a stable order, for the textconv;
``compare`` lists what changed between two ledgers in ledger terms, for ``diff``;
``ledger_json`` is the whole ledger as JSON, for ``export --format json``. Pure.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from reformctl import records
from reformctl.model import Ledger, natural_key
from reformctl.schema import (
    MILESTONES,
    POINTS,
    PROGRESS,
    SECTIONS,
    SETTINGS,
    TABLE_LIST,
    Section,
    every_section,
)

Path_ = tuple[str, ...]


@dataclass(frozen=True)
class Fact:
    """``section``'s table at ``path`` has ``field`` = ``value``; section None: a key the
    schema does not know (shown as it is, so nothing in the file goes unseen)."""

    section: Section | None
    path: Path_
    field: str
    value: Any

    @property
    def ref(self) -> str:
        return ref_of(self.section, self.path)


def ref_of(section: Section | None, path: Path_) -> str:
    """How a person names a table: R26-01, R26-01/plan, P1@2026-05-01, ledger."""
    if section is None:
        return ".".join(path)
    if section is SETTINGS:
        return "ledger"
    if section is MILESTONES:
        return f"{path[1]}/{path[3]}"
    if section is PROGRESS:
        return path[1]
    if section.path[-2:-1] == ("reviews",):
        return f"{path[1]}@{path[3]}"
    if section.path[-1] != "*":  # one table of an entry's own (a unit's remind): the entry
        return path[-2]
    return path[-1]


def _entries(data: Mapping[str, Any], pattern: Path_) -> Iterator[tuple[Path_, Any]]:
    """Tables of ``data`` whose path matches ``pattern`` (``*``: any key), keys in natural
    order."""

    def walk(node: Any, i: int, path: Path_) -> Iterator[tuple[Path_, Any]]:
        if i == len(pattern):
            yield path, node
            return
        if not isinstance(node, Mapping):
            return
        if pattern[i] == "*":
            for key in sorted(node, key=natural_key):
                yield from walk(node[key], i + 1, (*path, key))
        elif pattern[i] in node:
            yield from walk(node[pattern[i]], i + 1, (*path, pattern[i]))

    yield from walk(data, 0, ())


def _known_paths() -> list[Path_]:
    return [s.path for s in every_section()]


def flatten(data: Mapping[str, Any]) -> list[Fact]:
    """Every fact of parsed ledger data, section by section, in a stable order; keys that no
    section declares come last, as they are."""
    facts: list[Fact] = []
    for section in every_section():
        if section is PROGRESS:
            for path, table in _entries(data, section.path[:-1]):
                if isinstance(table, Mapping):
                    for month in sorted(table):
                        facts.append(Fact(section, path, month, table[month]))
                else:
                    facts.append(Fact(None, path[:-1], path[-1], table))
            continue
        children = {c.path[len(section.path)] for c in section.children}
        for path, table in _entries(data, section.path):
            if not isinstance(table, Mapping):
                facts.append(Fact(None, path[:-1], path[-1], table))
                continue
            known = {f.name for f in section.fields}
            for f in section.fields:
                if f.name not in table:
                    continue
                value = table[f.name]
                if f.kind == TABLE_LIST and isinstance(value, list):
                    for i, item in enumerate(value, 1):
                        facts.append(Fact(section, path, f"{f.name}#{i}", item))
                else:
                    facts.append(Fact(section, path, f.name, value))
            for key in sorted(table):
                if key not in known and key not in children:
                    facts.append(Fact(None, path, key, table[key]))
    # the top level: anything outside the declared sections
    tops = {p[0] for p in _known_paths()} | {"schema"}
    if "schema" in data:
        facts.insert(0, Fact(SETTINGS, ("ledger",), "schema", data["schema"]))
    for key in sorted(data):
        if key not in tops:
            facts.append(Fact(None, (), key, data[key]))
    return facts


# -- differences ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Difference:
    kind: str
    ref: str
    field: str | None = None
    before: Any = None
    after: Any = None
    detail: str | None = None
    section: str | None = None  # the section's name, for the generic kinds
    path: Path_ = ()  # the table it is about (``review`` points at its line)


# Sections whose additions and removals have words of their own; every other section uses the
# generic entry-added / entry-removed / entry-changed, named by its label.
_OWN_WORDS = {"units": "unit", "groups": "group", "points": "point", "milestones": "milestone"}


def _table(data: Mapping[str, Any] | None, path: Path_) -> Any:
    node: Any = data or {}
    for key in path:
        node = node.get(key) if isinstance(node, Mapping) else None
    return node


def compare(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[Difference]:
    """Every difference from ``old`` (None: an empty ledger) to ``new``, in ledger terms."""
    if old is None:
        return _compare(None, new)
    return _compare(*_changed_only(old, new))


_ABSENT: Any = object()
# sections of entries (``points.*``): each entry's facts are its own, so an equal entry can go
_ENTRY_SECTIONS = frozenset(s.path[0] for s in SECTIONS if s.path[1:] == ("*",))


def _changed_only(
    old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The two ledgers' data without what is equal in both: a top-level key, or one entry of
    a declared section (a point with its milestones and progress), that is the same on both
    sides has only equal facts, so no difference; leaving it out of both changes nothing of
    the result (``tests/test_facts.py`` holds them to each other). One change to a
    10,000-point ledger then flattens the point it is in, not 10,000 points twice."""
    a: dict[str, Any] = {}
    b: dict[str, Any] = {}
    for key in [*old, *(k for k in new if k not in old)]:
        x, y = old.get(key, _ABSENT), new.get(key, _ABSENT)
        if _same(x, y):
            continue
        if key in _ENTRY_SECTIONS and type(x) is dict and type(y) is dict:
            x, y = (
                {k: v for k, v in x.items() if not _same(v, y.get(k, _ABSENT))},
                {k: v for k, v in y.items() if not _same(v, x.get(k, _ABSENT))},
            )
        if x is not _ABSENT:
            a[key] = x
        if y is not _ABSENT:
            b[key] = y
    return a, b


def _same(x: Any, y: Any) -> bool:
    """Present on both sides, and equal (of one type: 1 and true, 1 and 1.0 are told apart)."""
    return x is not _ABSENT and y is not _ABSENT and type(x) is type(y) and x == y


def _compare(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[Difference]:
    """:func:`compare` on the whole of both ledgers' data."""
    out: list[Difference] = []
    old_facts = _by_table(flatten(old or {}))
    new_facts = _by_table(flatten(new))
    tables = [*old_facts, *(t for t in new_facts if t not in old_facts)]
    ranks = {section: i for i, section in enumerate(every_section())}
    tables.sort(key=lambda t: _order(t, ranks))
    for table in tables:
        section, path = table
        a = old_facts.get(table)
        b = new_facts.get(table)
        if section is SETTINGS:
            if old is not None:
                for field in _fields(a, b):
                    x, y = (a or {}).get(field), (b or {}).get(field)
                    if x != y:
                        out.append(Difference("settings-changed", "ledger", field, x, y, path=path))
            continue
        out += [dataclasses.replace(d, path=path) for d in _table_diff(section, path, a, b)]
    return out


def _by_table(facts: list[Fact]) -> dict[tuple[Section | None, Path_], dict[str, Any]]:
    tables: dict[tuple[Section | None, Path_], dict[str, Any]] = {}
    for fact in facts:
        tables.setdefault((fact.section, fact.path), {})[fact.field] = fact.value
    return tables


def _order(table: tuple[Section | None, Path_], ranks: dict[Section, int]) -> tuple[Any, ...]:
    section, path = table
    rank = ranks.get(section, len(ranks)) if section is not None else len(ranks)
    top = 0 if section is SETTINGS else 1
    # a point's own tables (milestones, progress) follow it
    if section is not None and section.path[0] == "points" and len(path) >= 2:
        return (
            top,
            ranks[POINTS],
            natural_key(path[1]),
            rank,
            tuple(map(natural_key, path)),
        )
    return (top, rank, (), 0, tuple(map(natural_key, path)))


def _fields(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> list[str]:
    a, b = a or {}, b or {}
    return [*a, *(k for k in b if k not in a)]


def _table_diff(
    section: Section | None, path: Path_, a: dict[str, Any] | None, b: dict[str, Any] | None
) -> list[Difference]:
    ref = ref_of(section, path)
    name = section.name if section is not None else None
    if section is None:  # keys no section declares: one difference a key
        out = []
        for key in _fields(a, b):
            x, y = (a or {}).get(key), (b or {}).get(key)
            where = ".".join((*path, key))
            if x is None and y is not None:
                out.append(Difference("unknown-key-added", where, after=y))
            elif y is None and x is not None:
                out.append(Difference("unknown-key-removed", where, before=x))
            elif x != y:
                out.append(Difference("unknown-key-changed", where, before=x, after=y))
        return out
    if section is PROGRESS:
        out = []
        for month in sorted(set(a or {}) | set(b or {})):
            x, y = (a or {}).get(month), (b or {}).get(month)
            if x is None:
                out.append(Difference("progress-added", ref, month, after=y))
            elif y is None:
                out.append(Difference("progress-removed", ref, month, before=x))
            elif x != y:
                out.append(Difference("progress-changed", ref, month, x, y))
        return out
    own = _OWN_WORDS.get(name or "")
    title = _title(section, b or a or {})
    if a is None and b is not None:
        if own == "point":
            return [Difference("point-added", ref, after=title, detail=b.get("lead"))]
        if own == "milestone":
            out = [Difference("milestone-added", ref, after=title, detail=_iso(b.get("due")))]
            if b.get("done") is not None:
                out.append(Difference("done", ref, after=b["done"], detail=b.get("evidence")))
            return out
        if own:
            return [Difference(f"{own}-added", ref, after=title)]
        return [Difference("entry-added", ref, after=title, section=name)]
    if b is None and a is not None:
        if own:
            return [Difference(f"{own}-removed", ref, before=title)]
        return [Difference("entry-removed", ref, before=title, section=name)]
    assert a is not None and b is not None
    if own == "milestone":
        return _milestone_diff(ref, a, b)
    if own == "point":
        return _point_diff(ref, a, b)
    kind = f"{own}-changed" if own else "entry-changed"
    return [
        Difference(kind, ref, field, a.get(field), b.get(field), section=name)
        for field in _fields(a, b)
        if a.get(field) != b.get(field)
    ]


def _title(section: Section | None, table: Mapping[str, Any]) -> Any:
    for key in ("title", "name", "theme", "text", "rating"):
        if key in table:
            return table[key]
    return None


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _point_diff(ref: str, a: dict[str, Any], b: dict[str, Any]) -> list[Difference]:
    out = [
        Difference("point-changed", ref, field, a.get(field), b.get(field))
        for field in _fields(a, b)
        if field not in ("closed", "closing_evidence") and a.get(field) != b.get(field)
    ]
    x, y = a.get("closed"), b.get("closed")
    if x is None and y is not None:
        out.append(Difference("closed", ref, after=y, detail=b.get("closing_evidence")))
    elif x is not None and y is None:
        out.append(Difference("reopened", ref, before=x))
    elif x != y or a.get("closing_evidence") != b.get("closing_evidence"):
        out.append(
            Difference("close-changed", ref, before=x, after=y, detail=b.get("closing_evidence"))
        )
    return out


def _milestone_diff(ref: str, a: dict[str, Any], b: dict[str, Any]) -> list[Difference]:
    out = []
    for field in ("name", "due"):
        if a.get(field) != b.get(field):
            out.append(Difference("milestone-changed", ref, field, a.get(field), b.get(field)))
    old_ext = [v for k, v in a.items() if k.startswith("extensions#")]
    new_ext = [v for k, v in b.items() if k.startswith("extensions#")]
    due_a = _ext(old_ext[-1], "to") if old_ext else a.get("due")
    if len(new_ext) > len(old_ext) and new_ext[: len(old_ext)] == old_ext:
        before = due_a
        for ext in new_ext[len(old_ext) :]:
            after = _ext(ext, "to")
            out.append(
                Difference("extended", ref, before=before, after=after, detail=_ext(ext, "reason"))
            )
            before = after
    elif len(old_ext) == len(new_ext):
        for i, (x, y) in enumerate(zip(old_ext, new_ext, strict=True), 1):
            if not (isinstance(x, Mapping) and isinstance(y, Mapping)):
                # not a table (a ledger with a problem: diff shows it all the same)
                if x != y:
                    out.append(Difference("milestone-changed", ref, f"extensions#{i}", x, y))
                continue
            for key in [*x, *(k for k in y if k not in x)]:
                if x.get(key) != y.get(key):
                    field = f"extensions#{i}.{key}"
                    out.append(Difference("milestone-changed", ref, field, x.get(key), y.get(key)))
    elif old_ext != new_ext:
        due_b = _ext(new_ext[-1], "to") if new_ext else b.get("due")
        out.append(Difference("extensions-changed", ref, before=due_a, after=due_b))
    x, y = a.get("done"), b.get("done")
    if x is None and y is not None:
        out.append(Difference("done", ref, after=y, detail=b.get("evidence")))
    elif x is not None and y is None:
        out.append(Difference("undone", ref, before=x))
    else:
        if x != y:
            out.append(Difference("done-changed", ref, before=x, after=y))
        if a.get("evidence") != b.get("evidence"):
            out.append(
                Difference("evidence", ref, before=a.get("evidence"), after=b.get("evidence"))
            )
    known = {"name", "due", "done", "evidence"}
    for field in _fields(a, b):
        if (
            field not in known
            and not field.startswith("extensions#")
            and a.get(field) != b.get(field)
        ):
            out.append(Difference("milestone-changed", ref, field, a.get(field), b.get(field)))
    return out


def _ext(extension: Any, key: str) -> Any:
    """A field of an extension's table; None when it is not a table (a ledger's problem)."""
    return extension.get(key) if isinstance(extension, Mapping) else None


def as_record(d: Difference) -> dict[str, Any]:
    def plain(v: Any) -> Any:
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, tuple):
            return list(v)
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        return v

    return {
        "kind": d.kind,
        "ref": d.ref,
        "field": d.field,
        "before": plain(d.before),
        "after": plain(d.after),
        "detail": d.detail,
        "section": d.section,
    }


# -- the whole ledger as JSON --------------------------------------------------------------------
def _record(entry: Any, section: Section) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in section.fields:
        value = getattr(entry, f.attribute, None)
        if f.kind == TABLE_LIST:
            value = [records.as_dict(item) for item in value or ()]
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


def ledger_json(ledger: Ledger) -> dict[str, Any]:
    """Everything the ledger holds, section by section as the schema declares it (points as a
    list with their milestones, each with its due date in force)."""
    out: dict[str, Any] = {
        "schema": ledger.schema,
        "ledger": {f.name: getattr(ledger.settings, f.attribute) for f in SETTINGS.fields},
    }
    for section in SECTIONS:
        pool: Mapping[str, Any] = getattr(ledger, section.name)
        if section is POINTS:
            out["points"] = [
                {
                    "id": p.id,
                    **_record(p, POINTS),
                    "milestones": [
                        {"key": m.key, **_record(m, MILESTONES), "due_now": m.due_now}
                        for m in p.milestones
                    ],
                    "progress": {e.month: e.text for e in p.progress},
                }
                for p in pool.values()
            ]
            continue
        records = {}
        for key, entry in pool.items():
            record = _record(entry, section)
            for child in section.children:  # a unit's remind table, where it has one
                sub = getattr(entry, child.name, None)
                if sub is not None and child.path[-1] != "*":
                    record[child.name] = _record(sub, child)
            if section.name == "pilots":
                record["reviews"] = {
                    r.on.isoformat(): {"rating": r.rating, "note": r.note} for r in entry.reviews
                }
            records[key] = record
        out[section.name] = records
    return out
