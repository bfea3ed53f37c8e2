"""A read's points built as their parts are parsed (build.EarlyPoints) are the whole build's.

A first read of a large text offers each point whose tables are all in the part just parsed
to the builder, which builds it if it has no problem (and lets its table go). Whatever it
takes or leaves, the model and the problems (codes, places, arguments, order) must be those of
the whole text parsed at once and built: on generated ledgers cut into parts of many sizes,
with points broken here and there (a problem in a point, a milestone or a monthly entry) and
texts the parts are not taken for (a collision across parts, a syntax error: the points taken
are dropped).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reformctl.ledger import byparts
from reformctl.ledger.build import EarlyPoints, build_ledger
from reformctl.ledger.parse import parse_toml
from reformctl.ledger.source import SourceIndex
from tests.conftest import examples
from tests.ledger.test_incremental import NAME, generated

# lines put just after a header: each a problem of the table it lands in (or none)
BREAKS = [
    'title = ""',
    "bogus = 1",
    'due = "2026-01-01"',
    "major = 3",
    "units = []",
    "units = [1]",
    "2026-13 = 'x'",
    "extensions = [{ to = 2026-01-01 }]",
    'extensions = [{ to = 2026-01-01, reason = "x", granted = "y" }]',
    'evidence = "文号"',
    "",
]
# what makes the parts not taken: a key into another part's point, a syntax error
SPOILERS = ["[points]\nx = 1", "[points.R26-00001]\nbogus = 2", "k = ", ""]


def early_read(text: str, size: int) -> tuple[Any, list[Any], EarlyPoints]:
    index = SourceIndex(text, NAME)
    early = EarlyPoints(index)
    data, problems = byparts.parse_by_parts(text, NAME, index, size, taker=early)
    if data is None:
        return None, problems, early
    index.parsed = True
    ledger, found = build_ledger(data, index, reuse=early.points, place=False)
    return ledger, found, early


def whole_read(text: str) -> tuple[Any, list[Any]]:
    data, problems = parse_toml(text, NAME)
    if data is None:
        return None, problems
    index = SourceIndex(text, NAME)
    index.parsed = True
    return build_ledger(data, index)


def said(problems: list[Any]) -> list[Any]:
    return [(p.code, p.loc, p.args, p.hint) for p in problems]


@st.composite
def texts(draw: st.DrawFn) -> str:
    text = generated(draw(st.integers(2, 30)), draw(st.integers(0, 10_000)))
    lines = text.split("\n")
    headers = [i for i, line in enumerate(lines) if line.startswith("[points.")]
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.sampled_from(headers))
        lines.insert(at + 1, draw(st.sampled_from(BREAKS)))
        headers = [i + (i > at) for i in headers]
    spoiler = draw(st.sampled_from(SPOILERS))
    return "\n".join(lines) + (spoiler + "\n" if spoiler else "")


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts(), st.sampled_from([256, 1024, 4096]))
def test_a_read_that_builds_points_as_it_parses_is_the_whole_build(text: str, size: int) -> None:
    ledger, problems, _ = early_read(text, size)
    want, want_problems = whole_read(text)
    assert said(problems) == said(want_problems)
    assert ledger == want


def test_the_points_of_a_valid_ledger_are_built_as_it_parses() -> None:
    text = generated(40, 3)
    ledger, problems, early = early_read(text, 1024)
    assert ledger is not None and not problems
    taken = len(ledger.points) - len(early.points)  # (what the build took from it: none left)
    assert early.points == {} and taken == len(ledger.points)
    index = SourceIndex(text, NAME)
    early = EarlyPoints(index)
    byparts.parse_by_parts(text, NAME, index, 1024, taker=early)
    assert len(early.points) > len(ledger.points) // 2  # (most: not those cut across parts)
    assert not index.scanned


def test_points_taken_are_dropped_when_the_parts_are_not() -> None:
    text = generated(30, 5) + "[points.R26-00001]\nbogus = 2\n"  # (a table twice)
    index = SourceIndex(text, NAME)
    early = EarlyPoints(index)
    data, problems = byparts.parse_by_parts(text, NAME, index, 1024, taker=early)
    assert data is None and problems and early.points == {}
    assert index.header_places is None
