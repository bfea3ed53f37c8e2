"""The one declaration of what a ledger holds: every section, its fields, their types, what
they refer to, and which sections carry over to next year.

Everything that reads, writes or compares a ledger is driven by this declaration: the model
builder's field lists, the reference rule, ``diff`` and the textconv (one fact a line), the
merge driver's rule check, ``rollover``, the JSON export and the field list in
``docs/ledger-format.md``. Adding a section is one declaration here plus its commands. Pure
data: no I/O, no third-party imports.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property

from reformctl.model import (
    MEMBER_RE,
    NOTICE_KINDS,
    OUTPOST_KINDS,
    PERIOD_RE,
    PILOT_KINDS,
    PUBLICITY_KINDS,
    PUBLICITY_LEVELS,
    QUARTER_RE,
    RATINGS,
    REPORT_KINDS,
)
from reformctl.records import record

# Field kinds: how a value is written in the TOML file.
STRING = "string"  # non-empty text
TEXT = "text"  # text, may be empty
DATE = "date"
BOOL = "bool"
INTEGER = "integer"
STRING_LIST = "string-list"
TABLE_LIST = "table-list"  # an array of inline tables, each with ``item`` fields

# Entry keys: how the entries of a keyed section are named.
ID = "id"  # [A-Za-z0-9_-]+
MONTH = "month"  # YYYY-MM
DAY = "day"  # YYYY-MM-DD


@record
class Field:
    """One key of a table: everything the builder (``ledger/build.py``) checks of its value.

    A value of the wrong kind is a ``field-type`` problem, a missing required one
    ``field-missing``, an empty STRING ``field-empty``; a value of the right kind that
    ``choices``, ``minimum``/``maximum`` or ``pattern`` refuse is an ``invalid`` problem (each
    element of a STRING_LIST for ``pattern``). A refused value is not read: the model gets
    what it gets for a missing one."""

    name: str
    kind: str
    required: bool = False
    ref: tuple[str, ...] = ()  # sections whose keys the value (or each element) must be
    choices: tuple[str, ...] = ()
    item: tuple[Field, ...] = ()  # the fields of each table in a TABLE_LIST
    attr: str | None = None  # the model's attribute, where it is not ``name``
    minimum: int | None = None  # an INTEGER's least value
    maximum: int | None = None  # an INTEGER's greatest value
    pattern: str | None = None  # a regular expression the whole text must match
    invalid: str | None = None  # the problem code of a refused value (else "bad-choice")
    hint: str | None = None  # the hint's message code (else "hint-" and the kind's word)
    expected: str | None = None  # the catalogue's word for the kind (else the kind's word)
    label: str | None = None  # a TABLE_LIST's item in messages (else the owner's label)

    @property
    def attribute(self) -> str:
        return self.attr or self.name

    @property
    def constrained(self) -> bool:
        """Whether a value of its kind may still be refused (by choices, a range or a pattern)."""
        return (
            bool(self.choices)
            or self.pattern is not None
            or self.minimum is not None
            or self.maximum is not None
        )

    def item_field(self, name: str) -> Field:
        """A TABLE_LIST's item field by name."""
        for f in self.item:
            if f.name == name:
                return f
        raise KeyError(name)


@record(eq=False, slots=False)
class Section:
    """A kind of table: ``path`` is its place, ``*`` standing for an entry's key.

    Each section is declared once, so one is equal only to itself (and hashes as fast as an
    object can: ``diff`` keys half a million facts by their section)."""

    name: str  # the label code is f"kind-{name}"
    path: tuple[str, ...]
    fields: tuple[Field, ...] = ()
    key: str = ID
    carry: bool = False  # rollover copies every entry to next year's ledger
    values: str | None = None  # a map of key → value of this kind (progress), not tables
    children: tuple[Section, ...] = ()

    @cached_property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields) + tuple(
            c.path[len(self.path)] for c in self.children
        )

    def field(self, name: str) -> Field | None:
        """A field by name (None: no such field)."""
        for f in self.fields:
            if f.name == name:
                return f
        return None

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()


def _f(name: str, kind: str = STRING, **kw: object) -> Field:
    return Field(name, kind, **kw)  # type: ignore[arg-type]


UNITS = ("units",)
GROUPS = ("groups",)
# "姓名 <email>" or a bare email, spaces around allowed
_MEMBERS: dict[str, object] = {
    "pattern": r"\s*(?:" + MEMBER_RE.pattern + r")\s*",
    "invalid": "bad-member",
    "hint": "hint-members",
}

SETTINGS = Section(
    "ledger",
    ("ledger",),
    (
        _f("title", required=True),
        _f("year", INTEGER, required=True, minimum=2000, maximum=2100, invalid="bad-year"),
        _f("timezone"),  # a zone Python knows (zoneinfo): the builder's own check
        _f("soon_days", INTEGER, minimum=0, maximum=366, invalid="bad-soon-days"),
        _f("lang", choices=("zh", "en"), invalid="bad-lang"),
        _f("office"),  # the office's full name: 落款 of notices and documents
        _f("office_code"),  # 发文机关代字, e.g. 闽改办: notices are numbered 闽改办督〔2026〕12号
        _f("office_unit", ref=UNITS),  # the office's own unit: its members' remit is everything
        _f("cc"),  # 抄送: the 版记's copy line of every document the office sends
        _f("issuer"),  # 印发机关: the 版记's issuing body (default: the office)
        # review: committers judged by the author alone (a platform's web-merge address)
        _f("platform_committers", STRING_LIST, **_MEMBERS),
        # review --require-signed: git's allowed-signers file (a path from the repository root)
        _f("allowed_signers"),
    ),
)

MILESTONES = Section(
    "milestones",
    ("points", "*", "milestones", "*"),
    (
        _f("name", required=True),
        _f("due", DATE, required=True),
        _f("done", DATE),
        _f("evidence"),
        _f(
            "extensions",
            TABLE_LIST,
            expected="extension-list",
            hint="hint-extensions",
            label="kind-extension",
            item=(
                _f("to", DATE, required=True),
                _f("reason", required=True),
                _f("approved_by", ref=UNITS),
                _f("granted", DATE),
                _f("approved_on", DATE),  # 批准日期: `extend --approved-on`, default the day
            ),
        ),
    ),
)

PROGRESS = Section("progress", ("points", "*", "progress", "*"), key=MONTH, values=STRING)

POINTS = Section(
    "points",
    ("points", "*"),
    (
        _f("title", required=True),
        _f("group", required=True, ref=GROUPS),
        _f("lead", required=True, ref=UNITS),
        _f("units", STRING_LIST, required=True, ref=UNITS, expected="unit-list", hint="hint-units"),
        _f("path", TEXT, required=True),
        _f("outcome", TEXT, required=True),
        _f("major", BOOL),
        _f("closed", DATE),
        _f("closing_evidence"),
        _f("carried_from"),
        _f("topic", ref=("topics",)),
        _f("city"),  # 所属市（县）: a workspace split --by city files the point by it
    ),
    children=(MILESTONES, PROGRESS),
)

REVIEWS = Section(
    "reviews",
    ("pilots", "*", "reviews", "*"),
    (_f("rating", required=True, choices=RATINGS), _f("note")),
    key=DAY,
)

# where a unit's reminders go: the robots' webhooks and secrets as "env:NAME" (rules.py refuses
# a literal), mail to `email` (default: the unit's members); only the office may change it
REMIND = Section(
    "remind",
    ("units", "*", "remind"),
    (
        _f("dingtalk"),
        _f("dingtalk_secret"),
        _f("wecom"),
        _f("feishu"),
        _f("feishu_secret"),
        _f("email", STRING_LIST, **_MEMBERS),
    ),
)

SECTIONS: tuple[Section, ...] = (
    Section(
        "units",
        ("units", "*"),
        # members: "姓名 <email>" or a bare email; whose commits `review` trusts for the unit
        (_f("name", required=True), _f("members", STRING_LIST, **_MEMBERS)),
        carry=True,
        children=(REMIND,),
    ),
    Section(
        "groups",
        ("groups", "*"),
        (_f("name", required=True), _f("lead", required=True, ref=UNITS)),
        carry=True,
    ),
    Section(
        "topics",
        ("topics", "*"),
        (
            _f("title", required=True),
            _f("group", ref=GROUPS),
            _f("unit", ref=UNITS),
            _f("source"),
        ),
        carry=True,  # the reserve of agenda topics outlives a year
    ),
    POINTS,
    Section(
        "meetings",
        ("meetings", "*"),
        (_f("on", DATE, required=True), _f("theme", required=True, ref=("topics",))),
    ),
    Section(
        "pilots",
        ("pilots", "*"),
        (
            _f("name", required=True),
            _f("place", required=True),
            _f("kind", required=True, choices=PILOT_KINDS),
            _f("unit", required=True, ref=UNITS),
            _f("since", DATE, required=True),
            _f("review_every", INTEGER, minimum=1, maximum=60, invalid="bad-review-every"),
        ),
        carry=True,  # the rolling library rolls on
        children=(REVIEWS,),
    ),
    Section(
        "cases",
        ("cases", "*"),
        (
            _f("title", required=True),
            _f("from", required=True, ref=("pilots", "points"), attr="source"),
            _f("theme", required=True),
            _f("quarter", required=True, pattern=QUARTER_RE.pattern, invalid="bad-quarter"),
            _f("selections", STRING_LIST),
            _f("practice"),  # 做法: what was done, in prose
            _f("steps", STRING_LIST),  # 路径: the path, a step an entry, in order
            _f("comment"),  # 推广价值点评: why it is worth copying
            _f(
                "promotions",
                TABLE_LIST,
                item=(_f("to", required=True), _f("on", DATE, required=True)),
            ),
        ),
    ),
    Section(
        "outposts",
        ("outposts", "*"),
        (_f("name", required=True), _f("kind", required=True, choices=OUTPOST_KINDS)),
        carry=True,  # outposts report year after year
    ),
    Section(
        "feedback",
        ("feedback", "*"),
        (
            _f("outpost", required=True, ref=("outposts",)),
            _f("on", DATE, required=True),
            _f("point", ref=("points",)),
            _f("text", required=True),
        ),
    ),
    Section(
        "notices",
        ("notices", "*"),
        (
            # 〔YEAR〕N号, YEAR the year of ``on``
            _f("number", INTEGER, required=True, minimum=0, invalid="bad-notice-number"),
            _f("on", DATE, required=True),
            _f("unit", required=True, ref=UNITS),
            _f("kind", required=True, choices=NOTICE_KINDS),
            _f("items", STRING_LIST, required=True),  # milestones, POINT/MS
        ),
    ),
    Section(
        "circulars",
        ("circulars", "*"),
        (
            # 发文字号 CODE〔YEAR〕N号, YEAR the year of ``on``: `report … --record`
            _f(
                "number",
                INTEGER,
                required=True,
                minimum=1,
                maximum=9999,
                invalid="bad-notice-number",
            ),
            _f("on", DATE, required=True),
            _f("report", required=True, choices=REPORT_KINDS),
            # the period reported on: 2026-H1, 2026-Q3, 2026 (the year-end reckoning)
            _f("period", required=True, pattern=PERIOD_RE.pattern, invalid="bad-circular-period"),
        ),
    ),
    Section(
        "publicity",
        ("publicity", "*"),
        (
            _f("outlet", required=True),
            _f("level", required=True, choices=PUBLICITY_LEVELS),
            _f("kind", required=True, choices=PUBLICITY_KINDS),
            _f("on", DATE, required=True),
            _f("title", required=True),
            _f("about", ref=("points", "cases")),
        ),
    ),
)

TOP_KEYS: tuple[str, ...] = ("schema", "ledger", *(s.path[0] for s in SECTIONS))


def section(name: str) -> Section:
    """A section (or a nested one) by name."""
    for top in (SETTINGS, *SECTIONS):
        for s in top.walk():
            if s.name == name:
                return s
    raise KeyError(name)


def every_section() -> Iterator[Section]:
    """Settings, then every section and nested section, in the file's order."""
    yield SETTINGS
    for top in SECTIONS:
        yield from top.walk()


_KIND_WORDS = {
    STRING: "string",
    TEXT: "string (may be empty)",
    DATE: "date",
    BOOL: "bool",
    INTEGER: "integer",
    STRING_LIST: "array of strings",
    TABLE_LIST: "array of inline tables",
}


def _table_name(section: Section) -> str:
    names = {"points": "ID", "milestones": "KEY", "progress": "YYYY-MM", "reviews": "YYYY-MM-DD"}
    parts = []
    for i, part in enumerate(section.path):
        if part == "*":
            owner = section.path[i - 1]
            parts.append(
                names.get(owner, "ID" if owner != "units" and owner != "groups" else "KEY")
            )
        else:
            parts.append(part)
    if section.values:
        return "`[" + ".".join(parts[:-1]) + "]`"
    return "`[" + ".".join(parts) + "]`"


def _kind(field: Field) -> str:
    text = _KIND_WORDS[field.kind]
    if field.choices:
        text = " \\| ".join(f"`{c}`" for c in field.choices)
    if field.ref:
        refs = " or ".join(r.rstrip("s") + " key" for r in field.ref)
        text = f"array of {refs}s" if field.kind == STRING_LIST else refs
    if field.item:
        text += " `{ " + ", ".join(f.name + ("" if f.required else "?") for f in field.item) + " }`"
    return text


def field_table() -> str:
    """The field list of ``docs/ledger-format.md``, made from this declaration (a test keeps
    the two the same)."""
    rows = ["| table | field | type | required | carried over a year |", "|---|---|---|---|---|"]
    rows.append("| top | `schema` | integer | yes | |")
    for section in every_section():
        first = True
        carry = "yes" if section.carry else ""
        if section.values:
            rows.append(
                f"| {_table_name(section)} | `{section.key.upper()}` keys | "
                f"{_KIND_WORDS[section.values]} | no | |"
            )
            continue
        for f in section.fields:
            table = _table_name(section) if first else ""
            rows.append(
                f"| {table} | `{f.name}` | {_kind(f)} | {'yes' if f.required else 'no'} | "
                f"{carry if first else ''} |"
            )
            first = False
    return "\n".join(rows) + "\n"
