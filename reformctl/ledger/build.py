"""Turn the parsed TOML data into the model, collecting every problem in one pass.

Pure: no file access. Each problem names the line of the table or key it is about, via the
:class:`~reformctl.ledger.source.SourceIndex`. A point or milestone with problems is still
built where it can be (with placeholders), so that later checks can go on and report more.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import operator
import zoneinfo
from collections.abc import Iterable
from typing import Any

from reformctl import schema
from reformctl.errors import Problem
from reformctl.i18n import L
from reformctl.ledger.source import SourceIndex
from reformctl.model import (
    DEFAULT_SOON_DAYS,
    DEFAULT_TIMEZONE,
    ID_RE,
    MONTH_RE,
    NOTICE_KINDS,
    OUTPOST_KINDS,
    PILOT_KINDS,
    PUBLICITY_KINDS,
    PUBLICITY_LEVELS,
    QUARTER_RE,
    RATINGS,
    SCHEMA_VERSION,
    Case,
    Extension,
    Feedback,
    Group,
    Ledger,
    Loc,
    Meeting,
    Milestone,
    Notice,
    Outpost,
    Pilot,
    Point,
    ProgressEntry,
    Promotion,
    Publicity,
    Review,
    Settings,
    Topic,
    Unit,
    is_valid_id,
    is_valid_member,
)

TOP_KEYS = schema.TOP_KEYS
TOPIC_KEYS = schema.section("topics").field_names
MEETING_KEYS = schema.section("meetings").field_names
PILOT_KEYS = schema.section("pilots").field_names
REVIEW_KEYS = schema.REVIEWS.field_names
CASE_KEYS = schema.section("cases").field_names
PROMOTION_KEYS = tuple(f.name for f in schema.section("cases").fields[5].item)
OUTPOST_KEYS = schema.section("outposts").field_names
FEEDBACK_KEYS = schema.section("feedback").field_names
NOTICE_KEYS = schema.section("notices").field_names
PUBLICITY_KEYS = schema.section("publicity").field_names
LEDGER_KEYS = schema.SETTINGS.field_names
UNIT_KEYS = schema.section("units").field_names
GROUP_KEYS = schema.section("groups").field_names
POINT_KEYS = schema.POINTS.field_names
MILESTONE_KEYS = schema.MILESTONES.field_names
EXTENSION_KEYS = tuple(f.name for f in schema.MILESTONES.fields[4].item)
LANGS = ("zh", "en")

_FAST_MILESTONE_KEYS = frozenset(MILESTONE_KEYS) - {"extensions"}
_POINT_NAMES = [f.name for f in dataclasses.fields(Point)]
_POINT_FIELDS = operator.attrgetter(*_POINT_NAMES)
_POINT_LOC, _POINT_MILESTONES = _POINT_NAMES.index("loc"), _POINT_NAMES.index("milestones")
_ID_FULLMATCH = ID_RE.fullmatch
_MISSING = object()
_EPOCH = dt.date(1970, 1, 1)


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


def _is(value: Any, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "date":
        return type(value) is dt.date
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "table":
        return isinstance(value, dict)
    raise AssertionError(kind)


class _Builder:
    def __init__(
        self, data: dict[str, Any], index: SourceIndex, reuse: dict[str, Point] | None = None
    ) -> None:
        self.data = data
        self.index = index
        # points whose table is known to be what it was when these model objects were built
        self.reuse = reuse or {}
        self.problems: list[Problem] = []
        self._file = index.file
        # a workspace's index (several files) places each table in its own file
        self._one_file = type(index) is SourceIndex
        self._headers_by_path = {h.path: h for h in index.headers}
        self._headers = index.headers
        self._by_path = index.by_path if self._one_file else None

    def in_file_order(
        self, table: dict[str, Any], prefix: tuple[str, ...]
    ) -> list[tuple[str, Any]]:
        """The entries of a table in the order the file has them (the parser sorts keys);
        entries without a header of their own (inline tables) come last, by key."""
        order = self.index.by_path
        last = len(self.index.headers)
        return sorted(table.items(), key=lambda kv: order.get((*prefix, kv[0]), last))

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
            if close:
                self.problem(
                    "field-unknown",
                    path,
                    key,
                    "did-you-mean",
                    what=what,
                    field=key,
                    suggestion=close[0],
                )
            else:
                self.problem(
                    "field-unknown",
                    path,
                    key,
                    "allowed-fields",
                    what=what,
                    field=key,
                    allowed=", ".join(allowed),
                )

    def field(
        self,
        table: dict[str, Any],
        key: str,
        kind: str,
        path: tuple[str, ...],
        what: Any,
        required: bool = True,
        nonempty: bool = True,
    ) -> Any:
        value = table.get(key, _MISSING)
        if value is _MISSING:
            if required:
                self.problem("field-missing", path, None, f"hint-{kind}", what=what, field=key)
            return None
        if not _is(value, kind):
            hint = (
                "hint-date-quoted" if kind == "date" and isinstance(value, str) else f"hint-{kind}"
            )
            self.wrong_type(path, key, what, kind, value, hint)
            return None
        if nonempty and kind == "string" and not value.strip():
            self.problem("field-empty", path, key, None, what=what, field=key)
            return None
        return value

    def wrong_type(
        self,
        path: tuple[str, ...],
        key: str,
        what: Any,
        expected: str,
        raw: Any,
        hint: str | None = None,
    ) -> None:
        """A field of the wrong type: what it must be, and what it is."""
        self.problem(
            "field-type",
            path,
            key,
            hint,
            what=what,
            field=key,
            expected=L(expected),
            got=L(_type_label(raw)),
        )

    def choice(
        self,
        path: tuple[str, ...],
        key: str,
        what: Any,
        field: str,
        value: str,
        allowed: tuple[str, ...],
        sep: str,
    ) -> None:
        """A value that must be one of a fixed list (a pilot's kind, a rating...)."""
        if value and value not in allowed:
            self.problem(
                "bad-choice",
                path,
                key,
                None,
                what=what,
                field=field,
                value=value,
                allowed=sep.join(allowed),
            )

    def table(self, value: Any, path: tuple[str, ...], what: Any) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.problem("not-a-table", path[:-1], path[-1], None, what=what, got=L(_type_label(value)))
        return None

    def check_id(self, key: str, path: tuple[str, ...], what: Any) -> None:
        if not is_valid_id(key):
            self.problem("bad-id", path, None, "hint-id", what=what, id=key)

    # -- sections
    def build(self) -> Ledger:
        data = self.data
        self.unknown_keys(data, TOP_KEYS, (), L("ledger-file"))
        schema = data.get("schema", _MISSING)
        if schema is _MISSING:
            self.problem("schema-missing", (), None, "hint-schema")
        elif not _is(schema, "integer") or schema != SCHEMA_VERSION:
            self.problem(
                "schema-unknown",
                (),
                "schema",
                "hint-schema",
                value=schema,
                supported=SCHEMA_VERSION,
            )
        settings = self.settings()
        units = self.units()
        groups = self.groups(units)
        topics = self.topics(units, groups)
        points = self.points(units, groups, topics)
        meetings = self.meetings(topics)
        pilots = self.pilots(units)
        cases = self.cases(pilots, points)
        outposts = self.outposts()
        feedback = self.feedback(outposts, points)
        notices = self.notices()
        publicity = self.publicity()
        return Ledger(
            self.index.file,
            settings,
            units,
            groups,
            points,
            schema if isinstance(schema, int) else SCHEMA_VERSION,
            topics,
            meetings,
            pilots,
            cases,
            outposts,
            feedback,
            notices,
            publicity,
        )

    def settings(self) -> Settings:
        path = ("ledger",)
        what = L("ledger-table")
        raw = self.data.get("ledger", _MISSING)
        if raw is _MISSING:
            self.problem("table-missing", (), None, "hint-ledger-table", table="ledger")
            return Settings(title="", year=0)
        table = self.table(raw, path, what) or {}
        self.unknown_keys(table, LEDGER_KEYS, path, what)
        title = self.field(table, "title", "string", path, what) or ""
        year = self.field(table, "year", "integer", path, what) or 0
        if year and not 2000 <= year <= 2100:
            self.problem("bad-year", path, "year", None, value=year)
        tz = self.field(table, "timezone", "string", path, what, required=False) or DEFAULT_TIMEZONE
        try:
            zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self.problem("bad-timezone", path, "timezone", "hint-timezone", value=tz)
            tz = DEFAULT_TIMEZONE
        soon = self.field(table, "soon_days", "integer", path, what, required=False)
        if soon is not None and not 0 <= soon <= 366:
            self.problem("bad-soon-days", path, "soon_days", None, value=soon)
            soon = None
        lang = self.field(table, "lang", "string", path, what, required=False)
        if lang is not None and lang not in LANGS:
            self.problem("bad-lang", path, "lang", None, value=lang)
            lang = None
        office = self.field(table, "office", "string", path, what, required=False)
        code = self.field(table, "office_code", "string", path, what, required=False)
        office_unit = self.field(table, "office_unit", "string", path, what, required=False)
        platform = self.members(table, path, what, "platform_committers")
        signers = self.field(table, "allowed_signers", "string", path, what, required=False)
        cc = self.field(table, "cc", "string", path, what, required=False)
        issuer = self.field(table, "issuer", "string", path, what, required=False)
        soon_days = DEFAULT_SOON_DAYS if soon is None else soon
        return Settings(
            title, year, tz, soon_days, lang, office, code, office_unit, platform, signers, cc,
            issuer,
        )  # fmt: skip

    def _section(self, name: str) -> Iterable[tuple[str, dict[str, Any], tuple[str, ...]]]:
        raw = self.data.get(name, {})
        section = self.table(raw, (name,), L(f"section-{name}"))
        if not section:
            return
        what = L(f"kind-{name}")
        for key, value in self.in_file_order(section, (name,)):
            path = (name, key)
            self.check_id(key, path, what)
            table = self.table(value, path, what)
            if table is not None:
                yield key, table, path

    def units(self) -> dict[str, Unit]:
        units: dict[str, Unit] = {}
        for key, table, path in self._section("units"):
            what = (L("kind-units"), key)
            self.unknown_keys(table, UNIT_KEYS, path, what)
            name = self.field(table, "name", "string", path, what) or key
            members = self.members(table, path, what)
            units[key] = Unit(key, name, self.index.table_loc(path), members)
        return units

    def members(
        self, table: dict[str, Any], path: tuple[str, ...], what: Any, key: str = "members"
    ) -> tuple[str, ...]:
        """A unit's members (or the platform's committers): each "姓名 <email>" or a bare
        email."""
        raw = table.get(key, _MISSING)
        if raw is _MISSING:
            return ()
        if not isinstance(raw, list) or not all(isinstance(m, str) for m in raw):
            self.wrong_type(path, key, what, "string-list", raw, hint="hint-members")
            return ()
        good = []
        for member in raw:
            if is_valid_member(member):
                good.append(member)
            else:
                self.problem("bad-member", path, key, "hint-members", what=what, value=member)
        return tuple(good)

    def groups(self, units: dict[str, Unit]) -> dict[str, Group]:
        groups: dict[str, Group] = {}
        for key, table, path in self._section("groups"):
            what = (L("kind-groups"), key)
            self.unknown_keys(table, GROUP_KEYS, path, what)
            name = self.field(table, "name", "string", path, what) or key
            lead = self.field(table, "lead", "string", path, what) or ""
            groups[key] = Group(key, name, lead, self.index.table_loc(path))
        return groups

    def points(
        self, units: dict[str, Unit], groups: dict[str, Group], topics: dict[str, Topic]
    ) -> dict[str, Point]:
        points: dict[str, Point] = {}
        reuse = self.reuse
        for pid, table, path in self._section("points"):
            kept = reuse.pop(pid, None)  # (the old point goes as soon as it is placed anew)
            if kept is not None:
                points[pid] = self._moved(kept, path)
                continue
            what = (L("kind-points"), pid)
            self.unknown_keys(table, POINT_KEYS, path, what)
            f = self.field
            title = f(table, "title", "string", path, what) or ""
            group = f(table, "group", "string", path, what) or ""
            lead = f(table, "lead", "string", path, what) or ""
            coop = self.unit_list(table, path, what, units)
            # path and outcome may be left empty when a point is first added
            text_path = f(table, "path", "string", path, what, nonempty=False) or ""
            outcome = f(table, "outcome", "string", path, what, nonempty=False) or ""
            major = f(table, "major", "bool", path, what, required=False) or False
            closed = f(table, "closed", "date", path, what, required=False)
            evidence = f(table, "closing_evidence", "string", path, what, required=False)
            carried = f(table, "carried_from", "string", path, what, required=False)
            topic = f(table, "topic", "string", path, what, required=False)
            city = f(table, "city", "string", path, what, required=False)
            milestones = self.milestones(pid, table, path, units)
            progress = self.progress(table, path, what)
            points[pid] = Point(
                pid,
                title,
                group,
                lead,
                self.index.table_loc(path),
                coop,
                text_path,
                outcome,
                major,
                milestones,
                progress,
                closed,
                evidence,
                carried,
                topic,
                city,
            )
        return points

    def _moved(self, point: Point, path: tuple[str, ...]) -> Point:
        """A point built before from this same table, at its place in this text: what
        building it again would give (its table had no problem then, so has none now).
        Its places are the index's (:meth:`SourceIndex.table_loc`), as the build takes them;
        objects whose place did not change are kept as they are."""
        place = self._table_loc
        loc = place(path, point.loc)
        milestones = point.milestones
        prefix = (*path, "milestones")
        by_path, headers, file = self._by_path, self._headers, self._file
        for i, ms in enumerate(milestones):
            # (the common case of _table_loc, inline: a header of its own, in the same place)
            j = by_path.get((*prefix, ms.key)) if by_path is not None else None
            if j is not None:
                h, was = headers[j], ms.loc
                if h.line == was.line and h.col == was.col and was.file == file:
                    continue
            elif place((*prefix, ms.key), ms.loc) is ms.loc:
                continue
            moved = list(milestones[:i])
            for ms in milestones[i:]:
                ms_loc = place((*prefix, ms.key), ms.loc)
                if ms_loc is not ms.loc:
                    ms = Milestone(  # the same milestone, placed anew
                        ms.point,
                        ms.key,
                        ms.name,
                        ms.due,
                        ms_loc,
                        ms.done,
                        ms.evidence,
                        ms.extensions,
                    )
                moved.append(ms)
            milestones = tuple(moved)
            break
        if loc is point.loc and milestones is point.milestones:
            return point
        fields = list(_POINT_FIELDS(point))  # (dataclasses.replace, at a third of the cost)
        fields[_POINT_LOC], fields[_POINT_MILESTONES] = loc, milestones
        return Point(*fields)

    def _table_loc(self, path: tuple[str, ...], was: Loc) -> Loc:
        """``index.table_loc(path)``; ``was`` itself when that is where it was."""
        by_path = self._by_path
        i = by_path.get(path) if by_path is not None else None
        if i is None:
            loc = self.index.table_loc(path)
            return was if loc == was else loc
        h = self._headers[i]
        if was.line == h.line and was.col == h.col and was.file == self._file:
            return was
        return Loc(self._file, h.line, h.col)

    # -- agenda topics and meetings (议题储备库, 一会一主题)
    def topics(self, units: dict[str, Unit], groups: dict[str, Group]) -> dict[str, Topic]:
        out: dict[str, Topic] = {}
        for key, table, path in self._section("topics"):
            what = (L("kind-topics"), key)
            self.unknown_keys(table, TOPIC_KEYS, path, what)
            title = self.field(table, "title", "string", path, what) or key
            group = self.field(table, "group", "string", path, what, required=False)
            unit = self.field(table, "unit", "string", path, what, required=False)
            source = self.field(table, "source", "string", path, what, required=False)
            out[key] = Topic(key, title, self.index.table_loc(path), group, unit, source)
        return out

    def meetings(self, topics: dict[str, Topic]) -> dict[str, Meeting]:
        out: dict[str, Meeting] = {}
        for key, table, path in self._section("meetings"):
            what = (L("kind-meetings"), key)
            self.unknown_keys(table, MEETING_KEYS, path, what)
            on = self.field(table, "on", "date", path, what)
            theme = self.field(table, "theme", "string", path, what) or ""
            out[key] = Meeting(key, on or _EPOCH, theme, self.index.table_loc(path))
        return out

    # -- the rolling library of grassroots innovation projects (基层创新项目滚动库)
    def pilots(self, units: dict[str, Unit]) -> dict[str, Pilot]:
        out: dict[str, Pilot] = {}
        for key, table, path in self._section("pilots"):
            what = (L("kind-pilots"), key)
            self.unknown_keys(table, PILOT_KEYS, path, what)
            f = self.field
            name = f(table, "name", "string", path, what) or key
            place = f(table, "place", "string", path, what) or ""
            kind = f(table, "kind", "string", path, what) or ""
            self.choice(path, "kind", what, "kind", kind, PILOT_KINDS, "、")
            unit = f(table, "unit", "string", path, what) or ""
            since = f(table, "since", "date", path, what) or _EPOCH
            every = f(table, "review_every", "integer", path, what, required=False)
            if every is not None and not 1 <= every <= 60:
                self.problem("bad-review-every", path, "review_every", None, what=what, value=every)
                every = None
            reviews = []
            raw = table.get("reviews")
            if raw is not None:
                rpath = (*path, "reviews")
                section = self.table(raw, rpath, L("section-reviews")) or {}
                for day, entry in section.items():
                    try:
                        on = dt.date.fromisoformat(day)
                    except ValueError:
                        self.problem("bad-review-date", rpath, day, None, what=what, key=day)
                        continue
                    if not isinstance(entry, dict):
                        self.problem(
                            "not-a-table", rpath, day, None, what=what, got=L(_type_label(entry))
                        )
                        continue
                    self.unknown_keys(entry, REVIEW_KEYS, rpath, what)
                    rating = self.field(entry, "rating", "string", rpath, what) or ""
                    self.choice(rpath, day, what, "rating", rating, RATINGS, "、")
                    note = self.field(entry, "note", "string", rpath, what, required=False)
                    reviews.append(Review(on, rating, note))
            reviews.sort(key=lambda r: r.on)
            out[key] = Pilot(
                key,
                name,
                place,
                kind,
                unit,
                since,
                self.index.table_loc(path),
                every or 6,
                tuple(reviews),
            )
        return out

    # -- model cases and replication (典型案例、复制推广)
    def cases(self, pilots: dict[str, Pilot], points: dict[str, Point]) -> dict[str, Case]:
        out: dict[str, Case] = {}
        for key, table, path in self._section("cases"):
            what = (L("kind-cases"), key)
            self.unknown_keys(table, CASE_KEYS, path, what)
            f = self.field
            title = f(table, "title", "string", path, what) or key
            source = f(table, "from", "string", path, what) or ""
            theme = f(table, "theme", "string", path, what) or ""
            quarter = f(table, "quarter", "string", path, what) or ""
            if quarter and not QUARTER_RE.fullmatch(quarter):
                self.problem("bad-quarter", path, "quarter", None, what=what, value=quarter)
            selections = table.get("selections", [])
            if not isinstance(selections, list) or not all(
                isinstance(x, str) and x.strip() for x in selections
            ):
                self.wrong_type(path, "selections", what, "string-list", selections)
                selections = []
            promotions = []
            raw = table.get("promotions", [])
            if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
                self.wrong_type(path, "promotions", what, "table-list", raw)
                raw = []
            for item in raw:
                self.unknown_keys(item, PROMOTION_KEYS, path, what)
                to = self.field(item, "to", "string", path, what)
                on = self.field(item, "on", "date", path, what)
                if to and on:
                    promotions.append(Promotion(to, on))
            out[key] = Case(
                key,
                title,
                source,
                theme,
                quarter,
                self.index.table_loc(path),
                tuple(selections),
                tuple(promotions),
            )
        return out

    # -- outposts and their feedback (前哨站、侦察岗)
    def outposts(self) -> dict[str, Outpost]:
        out: dict[str, Outpost] = {}
        for key, table, path in self._section("outposts"):
            what = (L("kind-outposts"), key)
            self.unknown_keys(table, OUTPOST_KEYS, path, what)
            name = self.field(table, "name", "string", path, what) or key
            kind = self.field(table, "kind", "string", path, what) or ""
            self.choice(path, "kind", what, "kind", kind, OUTPOST_KINDS, " | ")
            out[key] = Outpost(key, name, kind, self.index.table_loc(path))
        return out

    def feedback(
        self, outposts: dict[str, Outpost], points: dict[str, Point]
    ) -> dict[str, Feedback]:
        out: dict[str, Feedback] = {}
        for key, table, path in self._section("feedback"):
            what = (L("kind-feedback"), key)
            self.unknown_keys(table, FEEDBACK_KEYS, path, what)
            outpost = self.field(table, "outpost", "string", path, what) or ""
            on = self.field(table, "on", "date", path, what) or _EPOCH
            point = self.field(table, "point", "string", path, what, required=False)
            text = self.field(table, "text", "string", path, what) or ""
            out[key] = Feedback(key, outpost, on, text, self.index.table_loc(path), point)
        return out

    # -- supervision notices (督办通知) and publicity (改革宣传)
    def notices(self) -> dict[str, Notice]:
        out: dict[str, Notice] = {}
        for key, table, path in self._section("notices"):
            what = (L("kind-notices"), key)
            self.unknown_keys(table, NOTICE_KEYS, path, what)
            f = self.field
            number = f(table, "number", "integer", path, what) or 0
            if number < 0:
                self.problem("bad-notice-number", path, "number", None, what=what, value=number)
            on = f(table, "on", "date", path, what) or _EPOCH
            unit = f(table, "unit", "string", path, what) or ""
            kind = f(table, "kind", "string", path, what) or ""
            self.choice(path, "kind", what, "kind", kind, NOTICE_KINDS, " | ")
            items = table.get("items", [])
            if not isinstance(items, list) or not all(
                isinstance(x, str) and x.strip() for x in items
            ):
                self.wrong_type(path, "items", what, "string-list", items)
                items = []
            loc = self.index.table_loc(path)
            out[key] = Notice(key, number, on, unit, kind, tuple(items), loc)
        return out

    def publicity(self) -> dict[str, Publicity]:
        out: dict[str, Publicity] = {}
        for key, table, path in self._section("publicity"):
            what = (L("kind-publicity"), key)
            self.unknown_keys(table, PUBLICITY_KEYS, path, what)
            f = self.field
            outlet = f(table, "outlet", "string", path, what) or ""
            level = f(table, "level", "string", path, what) or ""
            self.choice(path, "level", what, "level", level, PUBLICITY_LEVELS, " | ")
            kind = f(table, "kind", "string", path, what) or ""
            self.choice(path, "kind", what, "kind", kind, PUBLICITY_KINDS, " | ")
            on = f(table, "on", "date", path, what) or _EPOCH
            title = f(table, "title", "string", path, what) or ""
            about = f(table, "about", "string", path, what, required=False)
            loc = self.index.table_loc(path)
            out[key] = Publicity(key, outlet, level, kind, on, title, loc, about)
        return out

    def unit_list(
        self, table: dict[str, Any], path: tuple[str, ...], what: Any, units: dict[str, Unit]
    ) -> tuple[str, ...]:
        raw = table.get("units", _MISSING)
        if raw is _MISSING:
            self.problem("field-missing", path, None, "hint-units", what=what, field="units")
            return ()
        if not isinstance(raw, list) or not all(isinstance(u, str) for u in raw):
            self.wrong_type(path, "units", what, "unit-list", raw, hint="hint-units")
            return ()
        return tuple(raw)

    def milestones(
        self, pid: str, point: dict[str, Any], ppath: tuple[str, ...], units: dict[str, Unit]
    ) -> tuple[Milestone, ...]:
        raw = point.get("milestones")
        if raw is None:
            return ()
        section = self.table(raw, (*ppath, "milestones"), L("section-milestones"))
        if not section:
            return ()
        out = []
        f = self.field
        for key, value in self.in_file_order(section, (*ppath, "milestones")):
            path = (*ppath, "milestones", key)
            fast = self._well_formed_milestone(pid, key, value, path)
            if fast is not None:
                out.append(fast)
                continue
            what = (L("kind-milestones"), f"{pid}/{key}")
            self.check_id(key, path, what)
            table = self.table(value, path, what)
            if table is None:
                continue
            self.unknown_keys(table, MILESTONE_KEYS, path, what)
            name = f(table, "name", "string", path, what) or key
            due = f(table, "due", "date", path, what)
            done = f(table, "done", "date", path, what, required=False)
            evidence = f(table, "evidence", "string", path, what, required=False)
            extensions = self.extensions(table, path, what, due, units)
            out.append(
                Milestone(
                    pid,
                    key,
                    name,
                    due or _EPOCH,
                    self.index.table_loc(path),
                    done,
                    evidence,
                    extensions,
                )
            )
        return tuple(out)

    def _well_formed_milestone(
        self, pid: str, key: str, table: Any, path: tuple[str, ...]
    ) -> Milestone | None:
        """The milestone, when it is plainly valid; None sends it through the checks above.

        Most milestones of a real ledger are like this; skipping the generic per-field checks
        for them halves the time to build a 45,000-milestone ledger.
        """
        if type(table) is not dict:
            return None
        for field_key in table:
            if field_key not in _FAST_MILESTONE_KEYS:
                return None
        name = table.get("name")
        due = table.get("due")
        done = table.get("done")
        evidence = table.get("evidence")
        if (
            type(name) is not str
            or type(due) is not dt.date
            or not name.strip()
            or (done is not None and type(done) is not dt.date)
            or (
                evidence is not None
                and (type(evidence) is not str or not evidence.strip() or done is None)
            )
            or not _ID_FULLMATCH(key)
        ):
            return None
        header = self._headers_by_path.get(path)
        if header is None:
            return None
        loc = (
            Loc(self._file, header.line, header.col)
            if self._one_file
            else self.index.table_loc(path)
        )
        return Milestone(pid, key, name, due, loc, done, evidence)

    def extensions(
        self,
        table: dict[str, Any],
        path: tuple[str, ...],
        what: Any,
        due: dt.date | None,
        units: dict[str, Unit],
    ) -> tuple[Extension, ...]:
        raw = table.get("extensions")
        if raw is None:
            return ()
        if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
            self.wrong_type(path, "extensions", what, "extension-list", raw, hint="hint-extensions")
            return ()
        out = []
        for item in raw:
            ewhat = (L("kind-extension"), what[1])
            self.unknown_keys(item, EXTENSION_KEYS, path, ewhat)
            to = self.field(item, "to", "date", path, ewhat)
            reason = self.field(item, "reason", "string", path, ewhat)
            approved = self.field(item, "approved_by", "string", path, ewhat, required=False)
            granted = self.field(item, "granted", "date", path, ewhat, required=False)
            if to is None:
                continue
            out.append(Extension(to, reason or "", approved, granted))
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
        for month, text in section.items():
            if not MONTH_RE.fullmatch(month):
                self.problem("bad-month", path, month, "hint-month", what=what, key=month)
                continue
            if not isinstance(text, str) or not text.strip():
                self.problem("bad-progress-text", path, month, None, what=what, key=month)
                continue
            out.append(ProgressEntry(month, text))
        out.sort(key=lambda e: e.month)
        return tuple(out)


def build_ledger(
    data: dict[str, Any], index: SourceIndex, reuse: dict[str, Point] | None = None
) -> tuple[Ledger, list[Problem]]:
    """The model and every problem found in it (an empty list when it is valid): the shape of
    each table here, then every rule of :mod:`reformctl.rules`.

    ``reuse`` holds points built before (by this code) from tables equal to theirs in
    ``data`` and found with no problem: those are not built again, only placed where the
    index says they now are (a write changes a point or two of thousands); the build takes
    them out of ``reuse`` as it places them. Every other section is built, and every rule
    runs on the whole model, as ever."""
    from reformctl.rules import run_rules

    builder = _Builder(data, index, reuse)
    ledger = builder.build()
    problems = builder.problems + run_rules(ledger, index)
    # in the file's order, as a reader goes through it
    problems.sort(key=lambda p: (p.loc.line, p.loc.col) if p.loc else (0, 0))
    return ledger, problems
