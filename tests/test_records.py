"""reformctl.records against what ``@dataclass(frozen=True, slots=True)`` makes of the same class:
every record of the model, and generated values (Hypothesis)."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
import pickle
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reformctl import model, records
from reformctl.records import FrozenError, record

MODEL_RECORDS = [
    obj for obj in vars(model).values() if isinstance(obj, type) and records.is_record(obj)
]


def twin(cls: type) -> Any:
    """The dataclass ``dataclass(frozen=True, slots=True)`` makes of the record's declaration."""
    defaults = cls.__record_defaults__  # type: ignore[attr-defined]
    specs: list[Any] = []
    for name in records.fields(cls):
        kind = cls.__annotations__[name]
        if name in defaults:
            specs.append((name, kind, dataclasses.field(default=defaults[name])))
        else:
            specs.append((name, kind))
    made = dataclasses.make_dataclass(cls.__name__, specs, frozen=True, slots=True, eq=True)
    made.__qualname__ = cls.__qualname__
    return made


def test_the_model_declares_its_classes_as_records() -> None:
    """Every class of the model is a record."""
    names = {cls.__name__ for cls in MODEL_RECORDS}
    assert {"Loc", "Unit", "Milestone", "Point", "Extension", "Settings", "Ledger"} <= names
    assert len(MODEL_RECORDS) == 21
    assert not any(dataclasses.is_dataclass(obj) for obj in vars(model).values())


@pytest.mark.parametrize("cls", MODEL_RECORDS, ids=lambda c: c.__name__)
def test_each_model_record_is_what_dataclass_would_make(cls: type) -> None:
    made = twin(cls)
    assert records.fields(cls) == tuple(f.name for f in dataclasses.fields(made))
    assert cls.__match_args__ == made.__match_args__  # type: ignore[attr-defined]
    assert cls.__slots__ == made.__slots__  # type: ignore[attr-defined]
    assert cls.__doc__ == cls.__dict__["__doc__"]
    # the same constructor: required arguments then defaults, by position and by keyword
    values = [f"v{i}" for i in range(len(records.fields(cls)))]
    if cls is model.Ledger:  # (its mappings' defaults are made anew: compared below)
        return
    ours, theirs = cls(*values), made(*values)
    assert repr(ours) == repr(theirs)
    assert records.as_dict(ours) == dataclasses.asdict(theirs)
    assert hash(ours) == hash(cls(**dict(zip(records.fields(cls), values, strict=True))))
    assert not hasattr(ours, "__dict__")
    first = records.fields(cls)[0]
    with pytest.raises(FrozenError):
        setattr(ours, first, "x")
    with pytest.raises(AttributeError):
        delattr(ours, first)
    changed = records.replace(ours, **{first: "changed"})
    assert repr(changed) == repr(dataclasses.replace(theirs, **{first: "changed"}))
    assert pickle.loads(pickle.dumps(ours)) == ours
    assert copy.copy(ours) == ours and copy.deepcopy(ours) == ours


@record
class Sample:
    """A record with every kind of field."""

    name: str
    when: dt.date
    count: int = 0
    tags: tuple[str, ...] = ()
    note: str | None = None

    @property
    def tagged(self) -> bool:
        return bool(self.tags)


@dataclasses.dataclass(frozen=True, slots=True)
class SampleTwin:
    """A record with every kind of field."""

    name: str
    when: dt.date
    count: int = 0
    tags: tuple[str, ...] = ()
    note: str | None = None


samples = st.tuples(
    st.text(max_size=5),
    st.dates(),
    st.integers(-3, 3),
    st.lists(st.text(max_size=3), max_size=3).map(tuple),
    st.none() | st.text(max_size=4),
)


@given(samples, samples)
def test_records_compare_hash_show_and_pickle_as_dataclasses_do(
    a: tuple[Any, ...], b: tuple[Any, ...]
) -> None:
    ours_a, ours_b = Sample(*a), Sample(*b)
    theirs_a, theirs_b = SampleTwin(*a), SampleTwin(*b)
    assert (ours_a == ours_b) == (theirs_a == theirs_b)
    assert (ours_a != ours_b) == (theirs_a != theirs_b)
    assert repr(ours_a).replace("Sample(", "SampleTwin(", 1) == repr(theirs_a)
    if ours_a == ours_b:
        assert hash(ours_a) == hash(ours_b)
    assert pickle.loads(pickle.dumps(ours_a, protocol=5)) == ours_a
    assert records.as_dict(ours_a) == dataclasses.asdict(theirs_a)
    assert ours_a.tagged == bool(a[3])
    assert ours_a != theirs_a  # another class: never equal (as two dataclasses)
    assert ours_a.__eq__(a) is NotImplemented


def test_defaults_keywords_and_errors() -> None:
    day = dt.date(2026, 1, 2)
    assert Sample("a", day) == Sample(name="a", when=day, count=0, tags=(), note=None)
    with pytest.raises(TypeError):
        Sample("a")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Sample("a", day, nope=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="no field 'nope'"):
        records.replace(Sample("a", day), nope=1)
    with pytest.raises(FrozenError, match="cannot assign to field 'count'"):
        Sample("a", day).count = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        Sample("a", day).other = 2  # type: ignore[attr-defined]
    assert isinstance(FrozenError("x"), AttributeError)
    assert records.is_record(Sample) and records.is_record(Sample("a", day))
    assert not records.is_record(SampleTwin)


def test_a_declaration_a_record_cannot_honour_is_refused() -> None:
    with pytest.raises(TypeError, match="without a default, follows a default"):

        @record
        class Wrong:
            a: int = 1
            b: int

    class Base:
        pass

    with pytest.raises(TypeError, match="no base class"):

        @record
        class Derived(Base):
            a: int


def test_the_model_imports_without_compiling_dataclass_methods() -> None:
    """What the records are for: importing the model compiles one method a record and no more.
    Counted in a fresh interpreter."""
    code = (
        "import builtins, sys\n"
        "count = 0\n"
        "real = builtins.exec\n"
        "def counting(*a, **k):\n"
        "    global count\n"
        "    count += isinstance(a[0], str)  # (a module's import runs its code object)\n"
        "    return real(*a, **k)\n"
        "builtins.exec = counting\n"
        "import reformctl.model\n"
        "builtins.exec = real\n"
        "print(count)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # none: each record's __init__ is compiled when its first object is made (135 when every
    # class was a dataclass, 21 when records compiled theirs at once)
    assert int(out.stdout) == 0


def test_a_records_init_is_compiled_at_its_first_object_and_kept() -> None:
    @record
    class Late:
        a: int
        b: str = "x"

    first = Late.__init__
    assert Late(1) == Late(a=1, b="x")
    compiled = Late.__init__
    assert compiled is not first and compiled.__defaults__ == ("x",)
    assert Late(2, "y").b == "y" and Late.__init__ is compiled
    with pytest.raises(TypeError):
        Late()  # type: ignore[call-arg]


def test_a_slotted_records_fields_are_set_by_their_slots() -> None:
    """A slotted record's ``__init__`` sets each field through its slot (a frozen record's
    ``__setattr__`` refuses; the slot's ``__set__`` is what ``object.__setattr__`` ends in),
    a field with a factory as well; a record without slots through ``object.__setattr__``."""

    @record
    class Slotted:
        a: int
        b: list[int] = records.field(default_factory=list)

    one = Slotted(1)
    assert (one.a, one.b) == (1, []) and Slotted(2, [3]).b == [3]
    assert Slotted.__init__.__globals__["_s_a"] == Slotted.__dict__["a"].__set__
    assert WithDict("x").__dict__ == {"name": "x"}
    assert "_s_name" not in WithDict.__init__.__globals__  # (it has no slot)


@pytest.mark.parametrize("cls", [model.Milestone, model.Point, model.Loc, model.Extension])
def test_a_record_made_by_its_setters_is_the_one_its_init_makes(cls: type) -> None:
    """``object.__new__`` and each field set by :func:`records.setters` (in the fields'
    order) is the record its ``__init__`` makes of the same values; None without slots."""
    values = [f"v{i}" for i in range(len(records.fields(cls)))]
    made = object.__new__(cls)
    setters = records.setters(cls)
    assert setters is not None and len(setters) == len(values)
    for setter, value in zip(setters, values, strict=True):
        setter(made, value)
    assert made == cls(*values) and repr(made) == repr(cls(*values))
    assert hash(made) == hash(cls(*values))
    with pytest.raises(records.FrozenError):
        made.line = 2
    assert records.setters(WithDict) is None


def test_defaults_are_each_fields_own_but_a_factorys() -> None:
    assert records.defaults(Sample) == {"count": 0, "tags": (), "note": None}
    assert records.defaults(Mutable) == {"count": 0}
    assert records.defaults(model.Loc) == {"col": 1}


def test_a_factory_default_is_made_anew_for_each_record() -> None:
    ledger = model.Ledger("l.toml", model.Settings("台账", 2026))
    other = model.Ledger("l.toml", model.Settings("台账", 2026))
    assert ledger == other and ledger.points == {} and ledger.points is not other.points
    assert records.fields(model.Ledger)[:3] == ("file", "settings", "units")
    given = {"R1": "p"}
    assert model.Ledger("l.toml", model.Settings("台账", 2026), points=given).points is given


@record(frozen=False)
class Mutable:
    """A record one may change."""

    name: str
    items: list[int] = records.field(default_factory=list)
    count: int = 0


@dataclasses.dataclass(slots=True)
class MutableTwin:
    """A record one may change."""

    name: str
    items: list[int] = dataclasses.field(default_factory=list)
    count: int = 0


@given(st.text(max_size=4), st.lists(st.integers(), max_size=3), st.integers(-2, 2))
def test_a_mutable_record_is_what_a_mutable_dataclass_is(
    name: str, items: list[int], count: int
) -> None:
    ours, theirs = Mutable(name, list(items), count), MutableTwin(name, list(items), count)
    assert repr(ours).replace("Mutable(", "MutableTwin(", 1) == repr(theirs)
    assert records.as_dict(ours) == dataclasses.asdict(theirs)
    ours.count += 1
    theirs.count += 1
    ours.items.append(7)
    theirs.items.append(7)
    assert records.as_tuple(ours) == dataclasses.astuple(theirs)
    assert ours == Mutable(name, [*items, 7], count + 1)
    with pytest.raises(TypeError):
        hash(ours)  # unhashable, as a mutable dataclass is
    with pytest.raises(AttributeError):
        ours.other = 1  # type: ignore[attr-defined]
    assert Mutable("a").items == [] and Mutable("a").items is not Mutable("a").items
    assert pickle.loads(pickle.dumps(ours)) == ours


@record(eq=False)
class Declared:
    name: str


def test_a_record_without_eq_is_equal_only_to_itself() -> None:
    one, same = Declared("a"), Declared("a")
    assert one == one and one != same  # (dataclass(eq=False): by identity)
    assert hash(one) == object.__hash__(one)
    assert {one: 1}[one] == 1
    with pytest.raises(FrozenError):
        one.name = "b"  # type: ignore[misc]


@record(slots=False)
class WithDict:
    name: str

    @functools.cached_property
    def shout(self) -> str:
        return self.name.upper()


def test_a_record_without_slots_keeps_a_cached_property() -> None:
    one = WithDict("a")
    assert one.shout == "A" and one.__dict__ == {"name": "a", "shout": "A"}
    with pytest.raises(FrozenError):
        one.name = "b"  # type: ignore[misc]
