"""`references` first looks at each distinct value of a section at once (rules._all_declared)
and judges entry by entry only when one may be undeclared: the same problems, in the same
order, as judging every entry."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reformctl import rules
from reformctl.model import Extension, Ledger, Loc
from reformctl.records import replace
from tests.conftest import examples
from tests.strategies import ledgers

TODAY = dt.date(2026, 9, 1)
NAMES = ["fgw", "lyj", "nope", "", "g1", "g9"]


class _Where:
    def loc(self, path: tuple[str, ...], key: str | None = None) -> Loc:
        return Loc("ledger.toml", len(path), 1 + len(key or ""))


def _judged(ledger: Ledger) -> list[tuple[str, object, object]]:
    return [(p.code, p.loc, p.args) for p in rules.references(ledger, _Where())]


@st.composite
def _misnamed(draw: st.DrawFn) -> Ledger:
    """A valid ledger with some of its references (a lead, co-operating units, a group, an
    extension's approver), each on its own, changed to names that may not be declared."""
    ledger = draw(ledgers(TODAY))
    points = {}
    for pid, point in ledger.points.items():
        changed: dict[str, object] = {}
        for name, value in (
            ("lead", st.sampled_from(NAMES)),
            ("group", st.sampled_from(NAMES)),
            ("units", st.lists(st.sampled_from(NAMES), max_size=3).map(tuple)),
        ):
            if draw(st.integers(0, 3)) == 0:
                changed[name] = draw(value)
        if draw(st.integers(0, 3)) == 0:
            changed["milestones"] = tuple(
                replace(ms, extensions=(Extension(ms.due, "r", draw(st.sampled_from(NAMES))),))
                if draw(st.booleans())
                else ms
                for ms in point.milestones
            )
        points[pid] = replace(point, **changed)
    return replace(ledger, points=points)


@settings(max_examples=examples(300), deadline=None)
@given(_misnamed())
def test_references_same_as_judging_each(ledger: Ledger) -> None:
    fast = _judged(ledger)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(rules, "_all_declared", lambda *args: False)
        slow = _judged(ledger)
    assert fast == slow


@settings(max_examples=examples(20), deadline=None)
@given(ledgers(TODAY))
def test_an_undeclared_unit_is_found(ledger: Ledger) -> None:
    assert _judged(ledger) == []  # (a valid ledger: every name declared)
    pid = next(iter(ledger.points))
    point = replace(ledger.points[pid], lead="nope")
    ledger = replace(ledger, points={**ledger.points, pid: point})
    assert [code for code, *_ in _judged(ledger)] == ["undeclared-unit"]
