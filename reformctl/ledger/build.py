"""Turn the parsed TOML data into the model, collecting every problem in one pass.

Pure: no file access. The shape of every table is read from its declaration in
:mod:`reformctl.schema` by one generic reader (:meth:`_Builder.read`): each field's kind,
whether it is required, its choices, range or pattern, and the item fields of an array of
tables, by name. A field added to the schema is read with no change here; the model gets it
by its attribute (the model's record must have it). The many points and milestones of a
large ledger are read first by functions compiled from the same declarations
(:mod:`reformctl.ledger.validread`), which answer only for a table the generic reader finds no
problem in. Hand-written code is left only for what the schema cannot say, each with a
comment. Each problem names the line of the table or key it is about, via the
:class:`~reformctl.ledger.source.SourceIndex`. An entry with problems is
still built where it can be (with placeholders), so that later checks can go on and report
more.
"""

from __future__ import annotations

import datetime as dt
import difflib
import operator
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

from reformctl import records, schema
from reformctl.clock import known_zone
from reformctl.errors import Problem
from reformctl.i18n import Choices, L
from reformctl.ledger.placing import Placer, Places
from reformctl.ledger.source import SourceIndex
from reformctl.ledger.validread import refuses, section_maker, section_reader
from reformctl.model import (
    DEFAULT_TIMEZONE,
    MONTH_RE,
    SCHEMA_VERSION,
    Case,
    Circular,
    Extension,
    Feedback,
    Group,
    Ledger,
    Meeting,
    Milestone,
    Notice,
    Outpost,
    Pilot,
    Point,
    ProgressEntry,
    Promotion,
    Publicity,
    Remind,
    Review,
    Settings,
    Topic,
    Unit,
    is_valid_id,
)
from reformctl.rules import Change, run_rules
from reformctl.schema import (
    BOOL,
    DATE,
    DAY,
    ID,
    INTEGER,
    MONTH,
    STRING,
    STRING_LIST,
    TABLE_LIST,
    TEXT,
    Field,
    Section,
)

_MISSING = object()
_MONTH = operator.attrgetter("month")
_EPOCH = dt.date(1970, 1, 1)

# the catalogue's word for each kind (field-type's "expected", and the hint "hint-<word>")
_WORDS = {
    STRING: "string",
    TEXT: "string",
    DATE: "date",
    BOOL: "bool",
    INTEGER: "integer",
    STRING_LIST: "string-list",
    TABLE_LIST: "table-list",
}
_SCALAR_HINTS = {k: f"hint-{w}" for k, w in _WORDS.items() if k not in (STRING_LIST, TABLE_LIST)}
# what a required value the file lacks (or the schema refused) stands in as, by kind
_PLACEHOLDERS: dict[str, Any] = {
    STRING: "",
    TEXT: "",
    DATE: _EPOCH,
    BOOL: False,
    INTEGER: 0,
    STRING_LIST: (),
    TABLE_LIST: (),
}
# the model of each section's entries, and of each array of tables' items
_MODELS: dict[str, type] = {
    "units": Unit,
    "groups": Group,
    "topics": Topic,
    "meetings": Meeting,
    "pilots": Pilot,
    "cases": Case,
    "outposts": Outpost,
    "feedback": Feedback,
    "notices": Notice,
    "circulars": Circular,
    "publicity": Publicity,
    "extensions": Extension,
    "promotions": Promotion,
    "remind": Remind,
}


def _type_label(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, str):
        return "string"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "table"
    return type(value).__name__


def _has_kind(value: Any, kind: str) -> bool:
    if kind in (STRING, TEXT):
        return isinstance(value, str)
    if kind == DATE:
        return type(value) is dt.date
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == INTEGER:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == STRING_LIST:
        return isinstance(value, list) and all(isinstance(x, str) for x in value)
    if kind == TABLE_LIST:
        return isinstance(value, list) and all(isinstance(x, dict) for x in value)
    raise AssertionError(f"a field kind the builder does not read: {kind}")


def _entry_key_ok(kind: str, key: str) -> bool:
    """Whether an entry's key has its section's form (schema.ID, MONTH or DAY)."""
    if kind == ID:
        return is_valid_id(key)
    if kind == MONTH:
        return MONTH_RE.fullmatch(key) is not None
    assert kind == DAY, kind
    try:
        dt.date.fromisoformat(key)
    except ValueError:
        return False
    return True


_Plan = list[tuple[str, str, type | None, Field]]
# by the identity of a fields tuple (the schema's are never freed; the tuple is kept beside its
# plan, so no other tuple can come to have its id)
_PLANS: dict[int, tuple[tuple[Field, ...], _Plan]] = {}
_EXACT = {STRING: str, TEXT: str, DATE: dt.date, BOOL: bool, INTEGER: int}


def _plan(fields: tuple[Field, ...]) -> _Plan:
    """How :meth:`_Builder.read` takes each field: name, attribute, the one type a value
    needs nothing more than (None: every value goes through the checks), the field."""
    kept = _PLANS.get(id(fields))
    if kept is not None and kept[0] is fields:
        return kept[1]
    plan: _Plan = []
    for f in fields:
        plan.append((f.name, f.attribute, None if f.constrained else _EXACT.get(f.kind), f))
    _PLANS[id(fields)] = (fields, plan)
    return plan


def _model(cls: type, fields: tuple[Field, ...], values: dict[str, Any], **fixed: Any) -> Any:
    """``cls`` from ``fixed`` and every value read: a required field without a value takes its
    kind's placeholder, an optional one the model's default."""
    args: dict[str, Any] = {}
    for _, attr, _, f in _plan(fields):
        value = values[attr]
        if value is None:
            if not f.required:
                continue
            value = _PLACEHOLDERS[f.kind]
        args[attr] = value
    args.update(fixed)
    return cls(**args)


class _Builder:
    def __init__(
        self,
        data: dict[str, Any],
        index: SourceIndex,
        reuse: dict[str, Point] | None = None,
        place: bool = True,
        only: Collection[str] | None = None,
    ) -> None:
        self.data = data
        self.index = index
        # points whose table is known to be what it was when these model objects were built
        self.reuse = reuse or {}
        self.place = place  # (False: they are taken as they are, see build_ledger)
        self.only = only  # the points built now (None: all; see build_ledger)
        self.problems: list[Problem] = []
        self.places = Places(index)  # (order and headers, found without a scan when it can)
        self.keys_ok: dict[str, bool] = {}  # whether each milestone key met is an ID's form
        self.months_ok: dict[str, bool] = {}  # whether each monthly entry's key is a month's

    # -- helpers
    def problem(
        self,
        code: str,
        path: tuple[str, ...],
        at_key: str | None = None,
        hint: str | None = None,
        /,
        **args: Any,
    ) -> None:
        """Record a problem with table ``path`` (at its key ``at_key``, if given)."""
        self.problems.append(Problem(code, self.index.loc(path, at_key), args, hint))

    def unknown_keys(
        self, table: dict[str, Any], allowed: tuple[str, ...], path: tuple[str, ...], what: Any
    ) -> None:
        for key in table.keys() - set(allowed):
            close = difflib.get_close_matches(key, allowed, n=1)
            hint, extra = (
                ("did-you-mean", {"suggestion": close[0]})
                if close
                else ("allowed-fields", {"allowed": ", ".join(allowed)})
            )
            self.problem("field-unknown", path, key, hint, what=what, field=key, **extra)

    def table(self, value: Any, path: tuple[str, ...], what: Any) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.problem("not-a-table", path[:-1], path[-1], None, what=what, got=L(_type_label(value)))
        return None

    # -- the one reading of a table from its fields
    def read(
        self,
        fields: tuple[Field, ...],
        table: dict[str, Any],
        path: tuple[str, ...],
        what: Any,
        at_keys: bool = True,
    ) -> dict[str, Any]:
        """Every field of ``table`` by its model attribute: its value, or None where it is
        missing, of the wrong kind or refused (each such problem recorded). Problems are placed
        at the field's key (``at_keys``) or at the table (the items of an array of tables)."""
        values: dict[str, Any] = {}
        get = table.get
        for name, attr, exact, f in _plan(fields):
            value = get(name, _MISSING)
            if type(value) is exact and (type(value) is not str or f.kind == TEXT or value.strip()):
                values[attr] = value  # (the common case: a plain value of its kind)
            elif value is _MISSING:
                if f.required:
                    hint = f.hint or _SCALAR_HINTS.get(f.kind)
                    self.problem("field-missing", path, None, hint, what=what, field=name)
                values[attr] = None
            else:
                values[attr] = self.value(f, value, path, name if at_keys else None, what)
        return values

    def value(self, f: Field, value: Any, path: tuple[str, ...], at: str | None, what: Any) -> Any:
        """One field's value, checked against its declaration (None: not to be read)."""
        if not _has_kind(value, f.kind):
            hint = f.hint or _SCALAR_HINTS.get(f.kind)
            if f.kind == DATE and isinstance(value, str):
                hint = "hint-date-quoted"  # a date written in quotes: say so
            self.wrong_kind(f, value, path, at, what, hint)
            return None
        if f.kind == STRING and not value.strip():
            self.problem("field-empty", path, at, None, what=what, field=f.name)
            return None
        if f.kind == STRING_LIST:
            return self.elements(f, value, path, at, what)
        if f.kind == TABLE_LIST:
            return self.items(f, value, path, what)
        if f.constrained and refuses(f, value):
            self.refused(f, value, path, at, what)
            return None
        return value

    def wrong_kind(
        self, f: Field, value: Any, path: tuple[str, ...], at: str | None, what: Any, hint: Any
    ) -> None:
        """A value that is not of the field's kind: what it must be, and what it is."""
        expected, got = L(f.expected or _WORDS[f.kind]), L(_type_label(value))
        self.problem(
            "field-type", path, at, hint, what=what, field=f.name, expected=expected, got=got
        )

    def refused(
        self, f: Field, value: Any, path: tuple[str, ...], at: str | None, what: Any
    ) -> None:
        """A value of the right kind the field's choices, range or pattern refuse."""
        args: dict[str, Any] = {"what": what, "field": f.name, "value": value}
        if f.choices:
            args["allowed"] = Choices(f.choices)
        self.problem(f.invalid or "bad-choice", path, at, f.hint, **args)

    def elements(
        self, f: Field, value: list[str], path: tuple[str, ...], at: str | None, what: Any
    ) -> tuple[str, ...] | None:
        """A list of text: each element checked as the field says (a refused one left out)."""
        if f.pattern is None:
            if not all(x.strip() for x in value):  # a blank element: not the list it must be
                self.wrong_kind(f, value, path, at, what, f.hint)
                return None
            return tuple(value)
        good = []
        for x in value:
            if refuses(f, x):
                self.refused(f, x, path, at, what)
            else:
                good.append(x)
        return tuple(good)

    def items(
        self, f: Field, value: list[dict[str, Any]], path: tuple[str, ...], what: Any
    ) -> tuple[Any, ...]:
        """An array of tables, each read by the field's item fields into its model; an item
        that lacks a required value is left out (its problem said)."""
        cls = _MODELS[f.name]
        names = tuple(i.name for i in f.item)
        iwhat = (L(f.label), what[1]) if f.label else what
        out = []
        for item in value:
            self.unknown_keys(item, names, path, iwhat)
            values = self.read(f.item, item, path, iwhat, at_keys=False)
            if all(values[i.attribute] is not None for i in f.item if i.required):
                out.append(_model(cls, f.item, values))
        return tuple(out)

    def entries(self, section: Section) -> Iterable[tuple[str, dict[str, Any], tuple[str, ...]]]:
        """The entries of a keyed section, in the file's order: key, table, path."""
        name = section.name
        raw = self.data.get(name, {})
        tables = self.table(raw, (name,), L(f"section-{name}"))
        if not tables:
            return
        what = L(f"kind-{name}")
        for key, value in self.places.in_file_order(tables, (name,)):
            path = (name, key)
            if not _entry_key_ok(section.key, key):
                self.problem("bad-id", path, None, "hint-id", what=what, id=key)
            table = self.table(value, path, what)
            if table is not None:
                yield key, table, path

    def section(self, section: Section) -> dict[str, Any]:
        """Every entry of a keyed section as its model (the model's first field is its key):
        a title or name the entry lacks is its key, any other required field its kind's
        placeholder; each sub-table read as well (:meth:`child`)."""
        out: dict[str, Any] = {}
        cls = _MODELS[section.name]
        key_attr = records.fields(cls)[0]
        named = [f.attribute for f in section.fields if f.name in ("title", "name")]
        for key, table, path in self.entries(section):
            values = self.entry(section, key, table, path)
            for attr in named:
                values[attr] = values[attr] or key
            what = (L(f"kind-{section.name}"), key)
            fixed = {key_attr: key, "loc": self.places.table_loc(path)}
            for child in section.children:
                name = child.path[len(section.path)]
                value = self.child(child, table.get(name), (*path, name), what)
                if value is not None:  # (none: the model's default)
                    fixed[name] = value
            out[key] = _model(cls, section.fields, values, **fixed)
        return out

    def child(self, child: Section, raw: Any, path: tuple[str, ...], what: Any) -> Any:
        """A sub-table of an entry: a table of fields (read as any table is, into its model;
        None where the entry has none) or a pilot's reviews."""
        if child.name == "reviews":
            return self.reviews(raw, path, what)
        if raw is None:
            return None
        table = self.table(raw, path, L(f"section-{child.name}"))
        if table is None:
            return None
        self.unknown_keys(table, child.field_names, path, what)
        values = self.read(child.fields, table, path, what)
        return _model(_MODELS[child.name], child.fields, values)

    def entry(
        self, section: Section, key: str, table: dict[str, Any], path: tuple[str, ...]
    ) -> dict[str, Any]:
        what = (L(f"kind-{section.name}"), key)
        self.unknown_keys(table, section.field_names, path, what)
        return self.read(section.fields, table, path, what)

    # -- the file and its sections
    def build(self) -> Ledger:
        data = self.data
        self.unknown_keys(data, schema.TOP_KEYS, (), L("ledger-file"))
        version = data.get("schema", _MISSING)
        # the top-level schema version is no table's field: its own check
        if version is _MISSING:
            self.problem("schema-missing", (), None, "hint-schema")
        elif not _has_kind(version, INTEGER) or version != SCHEMA_VERSION:
            self.problem(
                "schema-unknown",
                (),
                "schema",
                "hint-schema",
                value=version,
                supported=SCHEMA_VERSION,
            )
        sections: dict[str, Any] = {
            section.name: self.points() if section is schema.POINTS else self.section(section)
            for section in schema.SECTIONS
        }
        return Ledger(
            self.index.file,
            self.settings(),
            schema=version if isinstance(version, int) else SCHEMA_VERSION,
            **sections,
        )

    def settings(self) -> Settings:
        path = ("ledger",)
        what = L("ledger-table")
        raw = self.data.get("ledger", _MISSING)
        if raw is _MISSING:
            self.problem("table-missing", (), None, "hint-ledger-table", table="ledger")
            return Settings(title="", year=0)
        table = self.table(raw, path, what) or {}
        self.unknown_keys(table, schema.SETTINGS.field_names, path, what)
        values = self.read(schema.SETTINGS.fields, table, path, what)
        # a timezone must be one Python knows: no pattern can say that
        tz = values["timezone"]
        if tz is not None and not known_zone(tz):
            self.problem("bad-timezone", path, "timezone", "hint-timezone", value=tz)
            values["timezone"] = DEFAULT_TIMEZONE
        return _model(Settings, schema.SETTINGS.fields, values)  # type: ignore[no-any-return]

    def points(self) -> Mapping[str, Point]:
        points: dict[str, Any] = {}
        reuse, only = self.reuse, self.only
        moved = Placer(self.index).moved if reuse and self.place else None
        pending: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {}
        for pid, table, path in self.entries(schema.POINTS):
            kept = reuse.pop(pid, None)  # (the old point goes as soon as it is placed anew)
            if kept is not None:
                points[pid] = moved(kept, path) if moved is not None else kept
            elif only is not None and pid not in only:
                pending[pid] = table, path
                points[pid] = None
            else:
                points[pid] = self.point(pid, table, path)
        return _Points(self, points, pending) if pending else points

    def point(self, pid: str, table: dict[str, Any], path: tuple[str, ...]) -> Point:
        """One point, built from its table."""
        section = schema.POINTS
        valid = section_reader(section, _MODELS)(table)  # (most: without the generic checks)
        values = self.entry(section, pid, table, path) if valid is None else valid
        what = (L("kind-points"), pid)
        # a point's milestones and monthly entries: tables of their own, with keys checked
        # as a month's or an ID's are (their own problem codes), and a fast path
        milestones = self.milestones(pid, table, path)
        progress = self.progress(table, path, what)
        loc = self.places.table_loc(path)
        if valid is not None:
            return Point(id=pid, loc=loc, milestones=milestones, progress=progress, **valid)
        return _model(  # type: ignore[no-any-return]
            Point,
            section.fields,
            values,
            id=pid,
            loc=loc,
            milestones=milestones,
            progress=progress,
        )

    def valid_point(self, pid: str, table: dict[str, Any]) -> Point | None:
        """:meth:`point`, for a point whose table and tables below have no problem and whose
        header's place the index has (:attr:`SourceIndex.header_places`); else None (any
        problem found on the way is forgotten: the build says it in its order)."""
        places = self.index.header_places
        at = places.points.get(pid) if places is not None else None
        if places is None or at is None:
            return None
        path = ("points", pid)
        said = len(self.problems)
        milestones = self.milestones(pid, table, path)
        # (most points have no monthly entries: no call, nor a name for their problems)
        progress = (
            self.progress(table, path, (L("kind-points"), pid)) if "progress" in table else ()
        )
        loc = places.locs[at]  # (what table_loc gives of a header found so)
        # (the point made by position at once: what :meth:`point` makes of a valid reading;
        # its milestones read first, in vain only for a point with a problem, which is rare)
        make = section_maker(schema.POINTS, _MODELS, Point, ("id", "loc", "milestones", "progress"))
        point: Point | None = make(table, pid, loc, milestones, progress)
        if point is None or len(self.problems) != said:
            del self.problems[said:]
            return None
        return point

    def reviews(self, raw: Any, path: tuple[str, ...], what: Any) -> tuple[Review, ...]:
        """A pilot's reviews: keyed by the day (their own problem code), sorted by it."""
        if raw is None:
            return ()
        section = schema.REVIEWS
        out = []
        for day, entry in (self.table(raw, path, L("section-reviews")) or {}).items():
            if not _entry_key_ok(section.key, day):
                self.problem("bad-review-date", path, day, None, what=what, key=day)
                continue
            if not isinstance(entry, dict):
                self.problem("not-a-table", path, day, None, what=what, got=L(_type_label(entry)))
                continue
            self.unknown_keys(entry, section.field_names, path, what)
            values = self.read(section.fields, entry, (*path, day), what)
            out.append(_model(Review, section.fields, values, on=dt.date.fromisoformat(day)))
        out.sort(key=lambda r: r.on)
        return tuple(out)

    def milestones(
        self, pid: str, point: dict[str, Any], ppath: tuple[str, ...]
    ) -> tuple[Milestone, ...]:
        raw = point.get("milestones")
        if raw is None:
            return ()
        prefix = (*ppath, "milestones")
        # (most points: a table, read without the words a problem would need)
        section = raw if type(raw) is dict else self.table(raw, prefix, L("section-milestones"))
        if not section:
            return ()
        out = []
        fields = schema.MILESTONES.fields
        make_valid = section_maker(schema.MILESTONES, _MODELS, Milestone, ("point", "key", "loc"))
        keys_ok = self.keys_ok
        for key, value, loc in self.places.placed_in_order(section, prefix, ppath):
            ok = keys_ok.get(key)  # (a point's milestones have the keys of many others)
            if ok is None:
                ok = keys_ok[key] = _entry_key_ok(schema.MILESTONES.key, key)
            # (most milestones: a table with no problem, under a header of its own)
            if loc is not None and type(value) is dict and ok:
                made = make_valid(value, pid, key, loc)
                if made is not None:
                    out.append(made)
                    continue
            path = (*prefix, key)
            what = (L("kind-milestones"), f"{pid}/{key}")
            if not ok:
                self.problem("bad-id", path, None, "hint-id", what=what, id=key)
            table = self.table(value, path, what)
            if table is None:
                continue
            self.unknown_keys(table, schema.MILESTONES.field_names, path, what)
            values = self.read(fields, table, path, what)
            if values["name"] is None:
                values["name"] = key  # a milestone without its name is called by its key
            loc = loc if loc is not None else self.index.table_loc(path)
            out.append(_model(Milestone, fields, values, point=pid, key=key, loc=loc))
        return tuple(out)

    def progress(
        self, point: dict[str, Any], ppath: tuple[str, ...], what: Any
    ) -> tuple[ProgressEntry, ...]:
        raw = point.get("progress")
        if raw is None:
            return ()
        path = (*ppath, "progress")
        section = self.table(raw, path, L("section-progress"))
        if not section:
            return ()
        out = []
        months_ok = self.months_ok
        for month, text in section.items():
            ok = months_ok.get(month)  # (the same dozen months in every point that has any)
            if ok is None:
                ok = months_ok[month] = _entry_key_ok(schema.PROGRESS.key, month)
            if not ok:
                self.problem("bad-month", path, month, "hint-month", what=what, key=month)
                continue
            if not isinstance(text, str) or not text.strip():
                self.problem("bad-progress-text", path, month, None, what=what, key=month)
                continue
            out.append(ProgressEntry(month, text))
        out.sort(key=_MONTH)
        return tuple(out)


class EarlyPoints:
    """A large text's points built as its parts are parsed (a read's taker for
    :func:`~reformctl.ledger.byparts.parse_by_parts`): each point with no problem, built as
    the build would, its table let go at once (the data is never whole: its keys need not be
    made one string each). The build takes them as they are (``reuse``, placed already); a
    point with a problem is left to it, which says its problems in their order."""

    def __init__(self, index: SourceIndex) -> None:
        self.index = index
        self.points: dict[str, Point] = {}
        self._builder: _Builder | None = None  # (made when the index's places are known)

    def take(self, pid: str, table: dict[str, Any]) -> bool:
        if self._builder is None:
            self._builder = _Builder({}, self.index)
        point = self._builder.valid_point(pid, table)
        if point is not None:
            self.points[pid] = point
        return point is not None

    def drop(self) -> None:
        self.points.clear()


class _Points(Mapping[str, Point]):
    """A ledger's points, in the file's order, some built and the rest (``pending``: each
    point's table and path) built by ``builder`` when first asked for."""

    def __init__(
        self,
        builder: _Builder,
        points: dict[str, Point | None],
        pending: dict[str, tuple[dict[str, Any], tuple[str, ...]]],
    ) -> None:
        self._builder = builder
        self._points = points  # (None: pending)
        self._pending = pending

    def __getitem__(self, pid: str) -> Point:
        point = self._points[pid]
        if point is None:
            table, path = self._pending.pop(pid)
            point = self._points[pid] = self._builder.point(pid, table, path)
        return point

    def __iter__(self) -> Iterator[str]:
        return iter(self._points)

    def __len__(self) -> int:
        return len(self._points)


def build_ledger(
    data: dict[str, Any],
    index: SourceIndex,
    reuse: dict[str, Point] | None = None,
    change: Change | None = None,
    place: bool = True,
    only: Collection[str] | None = None,
) -> tuple[Ledger, list[Problem]]:
    """The model and every problem found in it (an empty list when it is valid): the shape of
    each table here, then every rule of :mod:`reformctl.rules`.

    ``reuse`` holds points built before (by this code) from tables equal to theirs in
    ``data`` and found with no problem: those are not built again, only placed where the
    index says they now are (a write changes a point or two of thousands); the build takes
    them out of ``reuse`` as it places them. Every other section is built. Every rule runs on
    the whole model; after a ``change`` to a ledger that had no problem (a write's), each on
    what its scope says the change can affect (:func:`reformctl.rules.run_rules`).

    Unless ``place``, the points of ``reuse`` are taken as they are, at their old places (no
    rule and no problem reads a model's places: problems are placed by the index): the
    model is then :func:`placed` before anything else reads it (a write does that only for
    the cache's entry, in the process that stores it), unless they were built from this
    text (:class:`EarlyPoints`: at their places already).

    Given ``only``, the points it does not name are built when first asked for (by a rule
    that judges them): a write whose old model is not at hand builds the points it changed."""
    builder = _Builder(data, index, reuse, place, only)
    ledger = builder.build()
    ruled = run_rules(ledger, index, change)  # (a point built for a rule adds its problems)
    problems = builder.problems + ruled
    # in the file's order, as a reader goes through it
    problems.sort(key=lambda p: (p.loc.line, p.loc.col) if p.loc else (0, 0))
    return ledger, problems
