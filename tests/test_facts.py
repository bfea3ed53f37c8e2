"""``facts.compare`` leaves out what is equal on both sides before it flattens; whatever two
ledgers' data are, that gives exactly the differences of comparing them whole."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from reformctl import facts
from reformctl.ledger.parse import loads
from tests.conftest import ROOT, examples

SAMPLE = loads((ROOT / "ledger.toml").read_text(encoding="utf-8"))

scalars = st.one_of(
    st.integers(-3, 3),
    st.booleans(),
    # (not NaN: one NaN object on both sides is "equal" to dict equality, not to !=)
    st.sampled_from([1.0, 2.5]),
    st.text(max_size=4),
    st.dates(dt.date(2025, 12, 1), dt.date(2027, 2, 1)),
    st.lists(st.integers(0, 2), max_size=2),
    st.just({}),
)


@st.composite
def mutated(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` after a few random changes anywhere in it: a value replaced, a key removed, a
    key added, an entry copied under a new key."""
    out = copy.deepcopy(data)
    for _ in range(draw(st.integers(0, 4))):
        node: Any = out
        for _depth in range(draw(st.integers(0, 4))):
            tables = [k for k, v in node.items() if isinstance(v, dict) and v]
            if not tables:
                break
            node = node[draw(st.sampled_from(sorted(tables)))]
        action = draw(st.sampled_from(["replace", "remove", "add", "copy"]))
        keys = sorted(node)
        if action == "add" or not keys:
            node[draw(st.sampled_from(["R26-99", "x", "due", "2026-12", "name"]))] = draw(scalars)
            continue
        key = draw(st.sampled_from(keys))
        if action == "replace":
            node[key] = draw(scalars)
        elif action == "remove":
            del node[key]
        else:
            node[key + "-copy"] = copy.deepcopy(node[key])
    return out


@settings(max_examples=examples(300), deadline=None)
@given(data=st.data())
def test_leaving_out_what_is_equal_changes_no_difference(data: st.DataObject) -> None:
    old = data.draw(mutated(SAMPLE))
    new = data.draw(mutated(old))
    assert facts.compare(old, new) == facts._compare(old, new)


def test_one_change_among_many_points_flattens_only_that_point() -> None:
    new = copy.deepcopy(SAMPLE)
    point = next(iter(new["points"].values()))
    point["title"] = "改了"
    a, b = facts._changed_only(SAMPLE, new)
    assert a.keys() == b.keys() == {"points"}
    assert list(a["points"]) == list(b["points"]) == [next(iter(new["points"]))]
    assert [d.kind for d in facts.compare(SAMPLE, new)] == ["point-changed"]


def test_extensions_that_are_not_tables_are_compared_not_crashed_on() -> None:
    """A ledger with a problem (an extension that is not a table) is still diffed: `diff`
    crashed on it with exit 3 (AttributeError: 'int' object has no attribute 'get')."""
    old = copy.deepcopy(SAMPLE)
    point = next(iter(old["points"].values()))
    milestone = next(iter(point["milestones"].values()))
    milestone["extensions"] = [1]
    for extensions in ([2, 3], [4], [{"to": dt.date(2026, 12, 1), "reason": "x"}], ["y"]):
        new = copy.deepcopy(old)
        next(iter(next(iter(new["points"].values()))["milestones"].values()))["extensions"] = (
            extensions
        )
        found = facts.compare(old, new)
        assert found == facts._compare(old, new)
        assert [d.kind for d in found] in (
            ["extended"],
            ["milestone-changed"],
            ["extensions-changed"],
        )
    grown = copy.deepcopy(old)
    next(iter(next(iter(grown["points"].values()))["milestones"].values()))["extensions"] = [1, 5]
    assert [d.kind for d in facts.compare(old, grown)] == ["extended"]
    assert facts.compare(grown, old)  # shortened: said, not crashed on
