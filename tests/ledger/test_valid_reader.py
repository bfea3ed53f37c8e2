"""The builder's compiled readers (``validread.valid_reader``) are the generic reader's answer.

A reader compiled from a section's declaration answers only for a table the generic reader
(:meth:`~reformctl.ledger.build._Builder.read`, with its unknown-key check) finds no problem
in, and then with exactly the values it reads. Checked for every section and every array of
tables' items the schema declares, over tables generated from the declaration with hostile
values mixed in (missing, blank, of another type, refused, unknown keys); and whole ledgers
of such points and milestones, built with and without the compiled readers, give the same
model and the same problems, in the same order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import pytomlpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reformctl import schema
from reformctl.i18n import L
from reformctl.ledger import build, validread
from reformctl.ledger.read import load_text
from reformctl.ledger.source import SourceIndex
from reformctl.model import Milestone, Point
from reformctl.schema import BOOL, DATE, INTEGER, STRING, STRING_LIST, TABLE_LIST, TEXT, Field
from tests.conftest import BASE, examples

HOSTILE: list[Any] = ["", " ", "\t", 0, -1, True, 1.5, dt.date(2026, 1, 1), "2026-01-01"]
HOSTILE += [[], [""], [1], ["fgw", " "], [{}], {}, {"x": 1}, dt.datetime(2026, 1, 1, 8)]
WORDS = st.sampled_from(["fgw", "wjw", "节点", " 前后 ", "优秀", "2026-Q1", "2026-H1", "x"])


def good(f: Field) -> st.SearchStrategy[Any]:
    """Values of the field's kind, often what its choices or pattern take."""
    taken = [*f.choices, "2026-Q1", "2026-H1", "张三 <zhangsan@example.cn>", "a@b.cn"]
    text = st.one_of(WORDS, st.sampled_from(taken), st.text(max_size=4))
    kinds: dict[str, st.SearchStrategy[Any]] = {
        STRING: text,
        TEXT: text,
        DATE: st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)),
        BOOL: st.booleans(),
        INTEGER: st.integers(-3, 3000),
        STRING_LIST: st.lists(text, max_size=3),
        TABLE_LIST: st.lists(
            st.one_of(tables(f.item), st.sampled_from(HOSTILE)) if f.item else st.just({}),
            max_size=3,
        ),
    }
    return kinds[f.kind]


def value(f: Field) -> st.SearchStrategy[Any]:
    return st.one_of(good(f), good(f), good(f), st.sampled_from(HOSTILE))


def tables(fields: tuple[Field, ...]) -> st.SearchStrategy[dict[str, Any]]:
    """A table of the fields: required ones mostly there, optional ones sometimes, an
    unknown key now and then."""
    required = {f.name: value(f) for f in fields if f.required}
    optional = {f.name: value(f) for f in fields if not f.required}
    base = st.fixed_dictionaries(required, optional=optional)
    extra = st.dictionaries(st.sampled_from(["bogus", "nmae"]), st.just(1), max_size=1)
    dropped = st.lists(st.sampled_from([f.name for f in fields] or ["x"]), max_size=1)
    return st.tuples(base, st.one_of(st.just({}), extra), st.one_of(st.just([]), dropped)).map(
        lambda t: {k: v for k, v in {**t[0], **t[1]}.items() if k not in t[2]}
    )


def declared() -> list[tuple[str, tuple[Field, ...], tuple[str, ...]]]:
    """Every table the schema declares: its fields and the keys read apart (sub-tables)."""
    out = []
    for top in [schema.SETTINGS, *schema.SECTIONS]:
        for section in top.walk():
            names = {f.name for f in section.fields}
            others = tuple(k for k in section.field_names if k not in names)
            out.append((section.name, section.fields, others))
            for f in section.fields:
                if f.kind == TABLE_LIST:
                    out.append((f.name, f.item, ()))
    return out


DECLARED = declared()


@pytest.mark.parametrize("name, fields, others", DECLARED, ids=[d[0] for d in DECLARED])
@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_compiled_reader_answers_only_what_the_generic_reader_reads_with_no_problem(
    name: str, fields: tuple[Field, ...], others: tuple[str, ...], data: st.DataObject
) -> None:
    table = data.draw(tables(fields))
    if others and data.draw(st.booleans()):
        table[others[0]] = {}
    builder = build._Builder({}, SourceIndex("", "x.toml"))
    what = (L("kind-points"), "X")
    builder.unknown_keys(table, (*(f.name for f in fields), *others), ("t",), what)
    values = builder.read(fields, table, ("t",), what)
    args = validread.valid_reader(fields, build._MODELS, others)(table)
    exact = all(type(v) in (str, dt.date, bool, int, list) for v in table.values())
    if args is None:
        # (the compiled readers take every table of plain values with no problem)
        assert builder.problems or not exact or any(type(v) is dict for v in table.values())
        return
    assert builder.problems == []
    assert args == {k: v for k, v in values.items() if v is not None}


# every table the builder reads into its model at once (validread.valid_maker): its model, and
# the arguments it gives first
MADE = [
    (Milestone, schema.MILESTONES, ("point", "key", "loc")),
    (Point, schema.POINTS, ("id", "loc", "milestones", "progress")),
    *[(build._MODELS[f.name], f, ()) for f in schema.MILESTONES.fields if f.kind == TABLE_LIST],
]


@pytest.mark.parametrize("model, declared, fixed", MADE, ids=[m[0].__name__ for m in MADE])
@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_compiled_maker_makes_the_model_of_what_its_reader_answers(
    model: type, declared: Any, fixed: tuple[str, ...], data: st.DataObject
) -> None:
    """``make(table, *fixed)`` is ``model(*fixed, **read(table))``, None where that is None."""
    if isinstance(declared, schema.Section):
        fields, others = declared.fields, tuple(validread.apart(declared))
    else:  # (the items of an array of tables)
        fields, others = declared.item, ()
    table = data.draw(tables(fields))
    if others and data.draw(st.booleans()):
        table[others[0]] = {}
    given_first = [f"{n}-value" for n in fixed]
    args = validread.valid_reader(fields, build._MODELS, others)(table)
    made = validread.valid_maker(fields, build._MODELS, model, fixed, others)(table, *given_first)
    if args is None:
        assert made is None
        return
    assert made == model(**dict(zip(fixed, given_first, strict=True)), **args)
    assert repr(made) == repr(model(**dict(zip(fixed, given_first, strict=True)), **args))


def test_a_maker_refuses_a_model_it_cannot_make_by_position() -> None:
    """A model field neither read, given nor defaulted, or an optional field whose model has
    no default: no maker (a KeyError when it is compiled)."""
    with pytest.raises(KeyError):
        validread.valid_maker(schema.MILESTONES.fields, build._MODELS, build._MODELS["units"], ())
    with pytest.raises(KeyError):  # (the milestone's point, key and place not given)
        validread.valid_maker(schema.MILESTONES.fields, build._MODELS, Milestone, ())


def ledger_text(points: list[dict[str, Any]]) -> str:
    """BASE with these points (each a table as generated, milestones below it)."""
    doc: dict[str, Any] = {"points": {f"R26-{i:03d}": p for i, p in enumerate(points)}}
    # (the dump's sub-tables indented: as a ledger has them, at the start of their lines)
    return BASE + "\n" + "\n".join(line.lstrip() for line in pytomlpp.dumps(doc).splitlines())


MILESTONE_KEYS = st.sampled_from(["m1", "m2", "m-3", "第4", "m 5", "M6"])


@st.composite
def points(draw: st.DrawFn) -> dict[str, Any]:
    point = draw(tables(schema.POINTS.fields))
    if draw(st.integers(0, 4)):
        keys = draw(st.lists(MILESTONE_KEYS, unique=True, max_size=3))
        point["milestones"] = {k: draw(tables(schema.MILESTONES.fields)) for k in keys}
    if not draw(st.integers(0, 3)):
        point["progress"] = draw(
            st.dictionaries(st.sampled_from(["2026-01", "2026-13", "x"]), WORDS, max_size=2)
        )
    return point


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(points(), min_size=1, max_size=4))
def test_a_ledger_built_with_the_compiled_readers_is_the_generic_builds(
    found: list[dict[str, Any]],
) -> None:
    try:
        text = ledger_text(found)
    except (TypeError, ValueError):
        return  # (what TOML cannot say: a mixed array)
    fast = load_text(text, "ledger.toml")
    readers, makers = dict(validread._READERS), dict(validread._MAKERS)
    try:
        validread._READERS.clear()
        validread._READERS.update(dict.fromkeys(readers, lambda table: None))
        validread._MAKERS.clear()
        validread._MAKERS.update(dict.fromkeys(makers, lambda table, *fixed: None))
        for section in (schema.POINTS, schema.MILESTONES):
            validread._READERS[section.name] = lambda table: None
            validread._MAKERS[section.name] = lambda table, *fixed: None
        slow = load_text(text, "ledger.toml")
    finally:
        validread._READERS.clear()
        validread._READERS.update(readers)
        validread._MAKERS.clear()
        validread._MAKERS.update(makers)
    assert fast.ledger == slow.ledger
    assert [(p.code, p.loc, p.args, p.hint) for p in fast.problems] == [
        (p.code, p.loc, p.args, p.hint) for p in slow.problems
    ]
