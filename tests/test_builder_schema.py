"""The builder reads what the schema declares, field by field: generated from ``schema.py``.

For every section and every field the schema declares (item fields of arrays of tables too),
a ledger is written with one valid entry of each section, then broken one field at a time:
a value of the wrong kind, a required field left out, a choice not in the list, a number out
of range, a text that does not match the field's pattern, an empty text. Each must give
exactly the one problem the declaration says (code, line, column, arguments) from the builder,
and a sample of them the same line through ``reformctl check`` in a real process. The valid
ledger must come back in the model value for value: a field added to the schema that the
builder (or the model) does not read fails here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import pytomlpp

from reformctl import records, schema
from reformctl.errors import Problem
from reformctl.i18n import Choices
from reformctl.ledger import build as build_module
from reformctl.ledger.build import _Builder
from reformctl.ledger.source import SourceIndex
from reformctl.model import REMIND_ENV_KEYS, Ledger, Loc
from reformctl.records import record
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
from tests.conftest import run_process, write_ledger

TODAY = "2026-11-28"
DAY0 = dt.date(2026, 3, 1)
# the form of a valid value where the schema's pattern says it (a pattern is not a generator)
PATTERN_EXAMPLES = {
    "bad-quarter": "2026-Q1",
    "bad-circular-period": "2026-H1",
    "bad-member": "张三 <zhangsan@example.cn>",
}
# values only a hand-written check decides (the builder's timezone, the rules between facts)
SPECIAL: dict[tuple[str, str], Any] = {
    ("ledger", "year"): 2026,
    ("ledger", "timezone"): "Asia/Shanghai",
    ("notices", "items"): ["points-1/milestones-1"],
    ("milestones", "to"): dt.date(2026, 4, 1),  # an extension: after the due date
    # a circular's key is its year and number, its period one its report states
    # (rules.circulars_agree_with_their_keys)
    ("circulars", "number"): 1,
    ("circulars", "report"): "half",
    # a robot's webhook or secret names an environment variable (rules.remind_from_environment)
    **{("remind", key): "env:REMIND_" + key.upper() for key in REMIND_ENV_KEYS},
}
# a value of another kind than the field's
WRONG_KIND: dict[str, Any] = {
    STRING: 1,
    TEXT: 1,
    DATE: "2026-03-01",
    BOOL: "yes",
    INTEGER: "7",
    STRING_LIST: "x",
    TABLE_LIST: "x",
}
# the catalogue's word for each kind in "must be ..." (a field's `expected` overrides it)
WORDS = {
    STRING: "string",
    TEXT: "string",
    DATE: "date",
    BOOL: "bool",
    INTEGER: "integer",
    STRING_LIST: "string-list",
    TABLE_LIST: "table-list",
}


def _key_kinds() -> dict[str, str]:
    """The key kind (ID, MONTH, DAY) of the entries under each path segment."""
    kinds = {}
    for s in schema.every_section():
        if s.path[-1] == "*":
            kinds[s.path[-2]] = s.key
    return kinds


KEY_KINDS = _key_kinds()


def entry_key(segment: str) -> str:
    if segment == "circulars":  # its year and number (rules.circulars_agree_with_their_keys)
        return "2026-001"
    kind = KEY_KINDS[segment]
    return {ID: f"{segment}-1", MONTH: "2026-03", DAY: "2026-03-01"}[kind]


def table_path(section: Section) -> tuple[str, ...]:
    """The one entry of ``section`` in the generated ledger (a values section: its table)."""
    parts: list[str] = []
    for i, part in enumerate(section.path):
        parts.append(entry_key(section.path[i - 1]) if part == "*" else part)
    return tuple(parts[:-1]) if section.values else tuple(parts)


def example(section: Section, f: Field) -> Any:
    """A valid value of the field, from its declaration."""
    if (section.name, f.name) in SPECIAL:
        return SPECIAL[section.name, f.name]
    if f.kind == TABLE_LIST:
        return [{i.name: example(section, i) for i in f.item}]
    if f.kind == DATE:
        return DAY0
    if f.kind == BOOL:
        return True
    if f.kind == INTEGER:
        low = f.minimum if f.minimum is not None else 7
        return max(low, min(7, f.maximum if f.maximum is not None else 7))
    if f.choices:
        text = f.choices[0]
    elif f.ref:
        text = entry_key(f.ref[0])
    elif f.pattern:
        assert f.invalid in PATTERN_EXAMPLES, f"no example for the pattern of {f.name}"
        text = PATTERN_EXAMPLES[f.invalid]
    else:
        text = "文本"
    return [text] if f.kind == STRING_LIST else text


def valid_tables() -> dict[tuple[str, ...], dict[str, Any]]:
    """Every section's one entry, with every field (children: their own tables)."""
    tables: dict[tuple[str, ...], dict[str, Any]] = {}
    for section in schema.every_section():
        path = table_path(section)
        if section.values:
            tables[path] = {entry_key(section.path[-2]): "文本"}
        else:
            tables[path] = {f.name: example(section, f) for f in section.fields}
    return tables


def toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{ " + ", ".join(f"{k} = {toml(v)}" for k, v in value.items()) + " }"


@dataclasses.dataclass
class Written:
    text: str
    headers: dict[tuple[str, ...], int]  # table → the line of its header
    keys: dict[tuple[tuple[str, ...], str], int]  # (table, key) → its line


def write(tables: dict[tuple[str, ...], dict[str, Any]]) -> Written:
    lines = ["schema = 1"]
    headers: dict[tuple[str, ...], int] = {}
    keys: dict[tuple[tuple[str, ...], str], int] = {}
    for path, table in tables.items():
        lines += ["", "[" + ".".join(path) + "]"]
        headers[path] = len(lines)
        for key, value in table.items():
            lines.append(f"{key} = {toml(value)}")
            keys[path, key] = len(lines)
    return Written("\n".join(lines) + "\n", headers, keys)


def build(text: str) -> tuple[Ledger, list[Problem]]:
    builder = _Builder(pytomlpp.loads(text), SourceIndex(text, "ledger.toml"))
    return builder.build(), builder.problems


@dataclasses.dataclass(frozen=True)
class Case:
    """One field broken one way, and the problem its declaration says it gives."""

    name: str
    section: Section
    field: Field
    owner: Field | None  # the array of tables the field is an item of
    value: Any  # the broken value (_GONE: left out)
    code: str
    at_key: bool  # at the field's line (else at its table's header)
    args: dict[str, Any]


_GONE = object()


def cases() -> list[Case]:
    out: list[Case] = []
    for section in schema.every_section():
        for owner in section.fields:
            targets = [(owner, None)]
            if owner.kind == TABLE_LIST:
                targets += [(item, owner) for item in owner.item]
            for f, within in targets:
                out += field_cases(section, f, within)
    return out


def field_cases(section: Section, f: Field, within: Field | None) -> list[Case]:
    label = f"{section.name}.{within.name + '.' if within else ''}{f.name}"
    at_key = within is None  # an item's problems are placed at the table that holds the array
    expected = f.expected or WORDS[f.kind]
    out = [
        Case(
            f"{label}:kind",
            section,
            f,
            within,
            WRONG_KIND[f.kind],
            "field-type",
            at_key,
            {"field": f.name, "expected": expected},
        )
    ]
    if f.required:
        out.append(
            Case(
                f"{label}:missing",
                section,
                f,
                within,
                _GONE,
                "field-missing",
                False,
                {"field": f.name},
            )
        )
    if f.kind == STRING:
        out.append(
            Case(
                f"{label}:empty", section, f, within, " ", "field-empty", at_key, {"field": f.name}
            )
        )
    refused = f.invalid or "bad-choice"
    if f.choices:
        args = {"field": f.name, "value": "不在其中", "allowed": f.choices}
        out.append(Case(f"{label}:choice", section, f, within, "不在其中", refused, at_key, args))
    if f.minimum is not None:
        low = f.minimum - 1
        out.append(
            Case(f"{label}:minimum", section, f, within, low, refused, at_key, {"value": low})
        )
    if f.maximum is not None:
        high = f.maximum + 1
        out.append(
            Case(f"{label}:maximum", section, f, within, high, refused, at_key, {"value": high})
        )
    if f.pattern:
        bad = "不合格式"
        value = [bad] if f.kind == STRING_LIST else bad
        out.append(
            Case(f"{label}:pattern", section, f, within, value, refused, at_key, {"value": bad})
        )
    return out


CASES = cases()


def broken(case: Case) -> tuple[Written, tuple[str, ...]]:
    """The valid ledger with the case's field broken, and the table it is in."""
    tables = valid_tables()
    path = table_path(case.section)
    table = tables[path]
    if case.owner is not None:
        table = table[case.owner.name][0]
    if case.value is _GONE:
        del table[case.field.name]
    else:
        table[case.field.name] = case.value
    return write(tables), path


def expected_line(case: Case, written: Written, path: tuple[str, ...]) -> int:
    if case.at_key:
        return written.keys[path, case.field.name]
    return written.headers[path]


def test_every_field_of_the_schema_has_cases() -> None:
    """Each field of each section (items included) is broken at least by its kind."""
    declared = {
        f"{s.name}.{o.name + '.' if o else ''}{f.name}"
        for s in schema.every_section()
        for f0 in s.fields
        for f, o in [(f0, None), *((i, f0) for i in f0.item)]
    }
    broken_kinds = {c.name.rsplit(":", 1)[0] for c in CASES if c.name.endswith(":kind")}
    assert declared == broken_kinds
    assert len(CASES) > 2 * len(declared)  # missing, choices, ranges, patterns besides


def test_the_valid_ledger_reads_back_value_for_value() -> None:
    """Every field of every section arrives in the model under its attribute: a field the
    schema declares and the builder (or the model) does not read fails here."""
    written = write(valid_tables())
    ledger, problems = build(written.text)
    assert problems == []
    for section in schema.every_section():
        obj = model_of(ledger, section)
        if section.values:
            entries = list(obj)
            assert [(e.month, e.text) for e in entries] == [("2026-03", "文本")]
            continue
        for f in section.fields:
            assert hasattr(obj, f.attribute), f"{section.name}.{f.name}: not in the model"
            got = getattr(obj, f.attribute)
            want = example(section, f)
            if f.kind == TABLE_LIST:
                assert len(got) == 1, f"{section.name}.{f.name}"
                got = {i.name: getattr(got[0], i.attribute) for i in f.item}
                want = want[0]
            elif f.kind == STRING_LIST:
                want = tuple(want)
            assert got == want, f"{section.name}.{f.name}"


def model_of(ledger: Ledger, section: Section) -> Any:
    """The model object of the section's one entry (a values section: its entries)."""
    obj: Any = ledger
    path = table_path(section) if not section.values else (*table_path(section), "*")
    if section is schema.SETTINGS:
        return ledger.settings
    for i, part in enumerate(section.path):
        if part == "*":
            key = path[i]
            if isinstance(obj, dict) or hasattr(obj, "keys"):
                obj = obj[key]
            elif section.values and i == len(section.path) - 1:
                return obj
            else:
                assert len(obj) == 1
                obj = obj[0]
        else:
            obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_broken_field_gives_the_declared_problem(case: Case) -> None:
    written, path = broken(case)
    _, problems = build(written.text)
    assert [p.code for p in problems] == [case.code], [p.line("en") for p in problems]
    problem = problems[0]
    assert problem.loc is not None
    assert (problem.loc.line, problem.loc.col) == (expected_line(case, written, path), 1)
    for name, value in case.args.items():
        got = problem.args[name]
        if name == "allowed":
            assert isinstance(got, Choices)
            assert tuple(got) == value
        else:
            assert str(got) == str(value), name


# through the CLI, in a real process: one case of each kind of problem
SAMPLE = [
    "pilots.kind:choice",
    "points.major:kind",
    "milestones.due:missing",
    "milestones.extensions.to:kind",
    "notices.number:minimum",
    "cases.quarter:pattern",
    "units.name:empty",
    "ledger.lang:choice",
]


def test_the_sample_names_cases() -> None:
    assert set(SAMPLE) <= {c.name for c in CASES}


@pytest.mark.parametrize("name", SAMPLE)
def test_check_reports_the_declared_problem(tmp_path: Path, name: str) -> None:
    case = next(c for c in CASES if c.name == name)
    written, path = broken(case)
    write_ledger(tmp_path, written.text)
    result = run_process(
        "--lang", "en", "--today", TODAY, "check", "--format", "json", cwd=tmp_path
    )
    assert result.code == 2, result.stderr
    errors = json.loads(result.stdout)["errors"]
    _, problems = build(written.text)
    line = expected_line(case, written, path)
    want = {"line": line, "col": 1, "message": problems[0].message("en")}
    assert want in [{k: e[k] for k in ("line", "col", "message")} for e in errors], errors


def test_the_valid_ledger_passes_check(tmp_path: Path) -> None:
    write_ledger(tmp_path, write(valid_tables()).text)
    result = run_process("--today", TODAY, "check", "--format", "json", cwd=tmp_path)
    assert json.loads(result.stdout)["errors"] == [], result.stdout


# -- one separator between choices, in every message ------------------------------------------


def test_choices_are_listed_alike_in_each_language(tmp_path: Path) -> None:
    """A bad choice in the file: 、 in Chinese, a comma in English, the same from a warm cache
    (the choices are kept as data in the cached model, worded when shown)."""
    tables = valid_tables()
    tables["outposts", "outposts-1"]["kind"] = "town"
    write_ledger(tmp_path, write(tables).text)
    for _ in range(2):  # cold, then warm
        zh = run_process("--lang", "zh", "--today", TODAY, "check", cwd=tmp_path)
        en = run_process("--lang", "en", "--today", TODAY, "check", cwd=tmp_path)
        assert "应为：county、enterprise" in zh.stdout, zh.stdout
        assert 'kind is "town"; choose from county, enterprise' in en.stdout, en.stdout


def test_option_choices_are_listed_alike(tmp_path: Path) -> None:
    write_ledger(tmp_path, write(valid_tables()).text)
    zh = run_process("--lang", "zh", "progress", "--by", "x", cwd=tmp_path)
    en = run_process("--lang", "en", "progress", "--by", "x", cwd=tmp_path)
    assert (zh.code, en.code) == (2, 2)
    assert "应为：牵头单位、专项小组、工作要点、配合单位" in zh.stderr, zh.stderr
    assert "choose from unit, group, point, coop" in en.stderr, en.stderr
    # click's own choices (--format) too, in Chinese; its English already lists them with commas
    fmt = run_process("--lang", "zh", "list", "--format", "xx", cwd=tmp_path)
    assert "'table'、'plain'、'markdown'、'csv'、'json'" in fmt.stderr, fmt.stderr
    refused = run_process(
        "--lang", "en", "outpost", "add", "O-2", "--name", "n", "--kind", "x", cwd=tmp_path
    )
    assert refused.code == 2
    assert "choose from county, enterprise" in refused.stderr, refused.stderr


# -- what another field or sub-table takes: its declaration (and its model) -------------------


@record
class _Remind:
    dingtalk: str | None = None
    email: tuple[str, ...] = ()


@record
class _UnitPlus:
    key: str
    name: str
    loc: Loc
    members: tuple[str, ...] = ()
    phone: str | None = None
    remind: _Remind | None = None


def test_a_new_field_and_sub_table_are_read_from_their_declaration(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A field and a sub-table added to a section's declaration (and to its model) are read,
    checked and placed with no other change to the builder."""
    units = schema.section("units")
    remind = Section(
        "remind",
        ("units", "*", "remind"),
        (Field("dingtalk", STRING), Field("email", STRING_LIST)),
    )
    plus = records.replace(
        units, fields=(*units.fields, Field("phone", STRING)), children=(remind,)
    )
    monkeypatch.setitem(build_module._MODELS, "units", _UnitPlus)
    monkeypatch.setitem(build_module._MODELS, "remind", _Remind)
    text = (
        '[units.fgw]\nname = "省发改委"\nphone = "0591"\n\n'
        '[units.fgw.remind]\ndingtalk = "env:FGW"\nemail = ["a@b.cn"]\n'
    )
    builder = _Builder(pytomlpp.loads(text), SourceIndex(text, "ledger.toml"))
    unit = builder.section(plus)["fgw"]
    assert builder.problems == []
    assert (unit.phone, unit.remind) == ("0591", _Remind("env:FGW", ("a@b.cn",)))
    broken_text = text.replace('dingtalk = "env:FGW"', "dingtalk = 1").replace("phone", "phnoe")
    builder = _Builder(pytomlpp.loads(broken_text), SourceIndex(broken_text, "ledger.toml"))
    unit = builder.section(plus)["fgw"]
    found = sorted((p.code, p.loc.line if p.loc else 0, p.args["field"]) for p in builder.problems)
    assert found == [("field-type", 6, "dingtalk"), ("field-unknown", 3, "phnoe")]
    assert unit.remind == _Remind(None, ("a@b.cn",))
