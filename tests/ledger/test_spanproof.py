"""A write proven by what it changed (reformctl.ledger.spanproof) is the whole-text parse.

Whenever :func:`~reformctl.ledger.spanproof.prove_changed` gives the new text's data, the whole
new text parses, to exactly that data, keys in the same order (a dict's order is the text's,
and the order of points is the order of the tables): on the write planners over generated,
hand-laid and hostile ledgers (a fake header inside a multi-line string, comments after a
table, CRLF kept aside), and on arbitrary edits of arbitrary documents (sections replaced by
soups of lines: colliding keys, dotted keys into sub-tables, headers moved, duplicated,
opened in a string). The proof does not read what a splice claims, only where it is: the
claims are checked by the caller against :func:`~reformctl.ledger.edit.expected_data`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reformctl.errors import ReformctlError
from reformctl.ledger import changes, spanproof
from reformctl.ledger.changes import Change
from reformctl.ledger.edit import Source, Splice, expected_data
from reformctl.ledger.lexer import scan
from reformctl.ledger.parse import TomlError, loads
from reformctl.ledger.write import _proven
from tests.conftest import BASE, examples
from tests.ledger.test_edit import HAND
from tests.ledger.test_incremental import GOOD, LINES, NAME, TODAY, _one_fact, edited, generated
from tests.ledger.test_lexer import documents


def ordered(value: Any) -> Any:
    """``value`` with every dict as the list of its items: equal only in the same order."""
    if isinstance(value, dict):
        return [(k, ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [ordered(v) for v in value]
    return value


def proven(old: str, new: str, splices: list[Splice]) -> dict[str, Any] | None:
    """What the proof gives for ``old`` (parsed whole) made ``new`` by ``splices``."""
    src = Source.from_text(old, NAME)
    index = src.index.edited(new, [(s.start, s.end, len(s.text)) for s in splices])
    return spanproof.prove_changed(src.text, new, splices, src.index, index, loads(old))


def assert_is_the_whole_parse(text: str, found: dict[str, Any] | None) -> None:
    """``found`` (when an answer is given: a proof's, the parts') is the whole parse of
    ``text``, keys in the same order."""
    if found is None:
        return
    try:
        whole = loads(text)
    except TomlError:
        pytest.fail("answered, but the whole text does not parse")
    assert ordered(found) == ordered(whole)


# -- the planners' writes -------------------------------------------------------------------------

LEDGERS = st.one_of(
    st.builds(generated, st.integers(1, 25), st.integers(0, 10_000)),
    st.sampled_from(
        [BASE, HAND, HAND.replace("\n[points.R26-01.progress]", "\n#\n[points.R26-01.progress]")]
    ),
)


@st.composite
def writes(draw: st.DrawFn) -> tuple[str, Change, Source]:
    text = draw(LEDGERS)
    src = Source.from_text(text, NAME)
    try:
        change = _one_fact(draw, src)
    except ReformctlError:  # refused: nothing to prove
        assume(False)
        raise
    return src.text, change, src


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(writes())
def test_a_planners_write_proven_by_its_sections_is_the_whole_parse(
    case: tuple[str, Change, Source],
) -> None:
    text, change, src = case
    new = src.apply(change.splices)
    found = proven(text, new, change.splices)
    assert_is_the_whole_parse(new, found)
    if found is not None:  # and what the writer compares it with is what it always was
        claimed = expected_data(loads(text), src.index, change.splices)
        assert (found == claimed) == (loads(new) == claimed)


def plan(text: str, make: str) -> tuple[str, str, list[Splice]]:
    src = Source.from_text(text, NAME)
    day = dt.date(2026, 9, 1)
    made = {
        "done": lambda: changes.done(src, "R26-01", "pilot", day, "闽林〔2026〕9号", TODAY),
        "extend": lambda: changes.extend(
            src, "R26-01", "pilot", dt.date(2026, 12, 31), "待核定", None, TODAY
        ),
        "log": lambda: changes.log(src, "R26-01", "新进展", "2026-04", TODAY),
    }[make]()
    return src.text, src.apply(made.splices), list(made.splices)


@pytest.mark.parametrize("make", ["done", "extend", "log"])
@pytest.mark.parametrize("text", [BASE, HAND], ids=["base", "hand"])
def test_the_commands_a_clerk_runs_are_proven_by_their_sections(text: str, make: str) -> None:
    """Not a proof that always steps aside: done, extend and log (a month added to a point's
    progress, or its first month: a table added) on a plain ledger and a hand-laid one."""
    old, new, splices = plan(text, make)
    found = proven(old, new, splices)
    assert found is not None
    assert ordered(found) == ordered(loads(new))


def test_the_first_month_logged_adds_a_table_and_is_proven() -> None:
    text = BASE.replace("[points.R26-01.progress]\n", "[points.R26-01.old]\n")
    assert "progress" not in loads(text)["points"]["R26-01"]
    old, new, splices = plan(text, "log")
    assert "[points.R26-01.progress]" in new
    found = proven(old, new, splices)
    assert found is not None and ordered(found) == ordered(loads(new))


# -- arbitrary edits --------------------------------------------------------------------------------


@st.composite
def sections_replaced(draw: st.DrawFn) -> tuple[str, str, list[Splice]]:
    """A valid document with one to three of its sections (or its preamble) replaced by a soup
    of lines, or a table's body replaced and a table inserted."""
    text = draw(st.one_of(documents(), st.sampled_from([BASE, HAND])))
    try:
        loads(text)
    except TomlError:
        assume(False)
    headers = scan(text).headers
    bounds = sorted({0, *(h.start for h in headers), *(h.body for h in headers), len(text)})
    cuts = sorted(draw(st.lists(st.sampled_from(bounds), min_size=2, max_size=6)))
    if len(cuts) % 2:
        cuts.pop()
    lines = st.lists(st.sampled_from(draw(st.sampled_from([GOOD, LINES]))), max_size=6)
    extra = st.sampled_from(["", "[t0.sub]\n", "[t1]\nk = 2\n", "t0.x = 1\n", "[[t2]]\n"])
    out, splices, pos = [], [], 0
    for a, b in zip(cuts[::2], cuts[1::2], strict=True):
        new = "".join(f"{line}\n" for line in draw(lines)) + draw(extra)
        out += [text[pos:a], new]
        splices.append(Splice(a, b, new))
        pos = b
    out.append(text[pos:])
    return text, "".join(out), splices


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sections_replaced())
def test_any_edit_of_whole_sections_proven_is_the_whole_parse(
    case: tuple[str, str, list[Splice]],
) -> None:
    old, new, splices = case
    assert_is_the_whole_parse(new, proven(old, new, splices))


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited())
def test_any_edit_anywhere_proven_is_the_whole_parse(
    case: tuple[str, str, list[tuple[int, int, int]]],
) -> None:
    old, new, edits = case
    try:
        loads(old)
    except TomlError:
        assume(False)
    splices, pos = [], 0
    for a, b, length in edits:
        start = a + pos
        splices.append(Splice(a, b, new[start : start + length]))
        pos += length - (b - a)
    assert_is_the_whole_parse(new, proven(old, new, splices))


def test_a_change_not_what_its_splice_claims_is_refused() -> None:
    """The proof gives the new text's data; the writer compares it with the claim: a splice
    that says it sets `done` but writes another date is refused, naming the key."""
    old, _, splices = plan(BASE, "done")
    forged = [
        Splice(s.start, s.end, s.text.replace("2026-09-01", "2026-09-02"), s.table, s.expect)
        for s in splices
    ]
    src = Source.from_text(old, NAME)
    forged_text = src.apply(forged)
    index = src.index.edited(forged_text, [(s.start, s.end, len(s.text)) for s in forged])
    assert spanproof.prove_changed(old, forged_text, forged, src.index, index, loads(old))
    with pytest.raises(ReformctlError) as refused:
        _proven(src, forged_text, forged, index, loads(old))
    assert refused.value.problem.code == "write-verify-failed"
    assert refused.value.problem.args["detail"].endswith("pilot.done")


def test_a_write_through_transact_is_proven_without_the_whole_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`done` on a real file, the whole-text proof taken away: written, and read back (whole)
    with exactly the change."""
    from reformctl.ledger import write

    monkeypatch.setenv("REFORMCTL_CACHE", "off")
    path = tmp_path / "ledger.toml"
    path.write_text(HAND, encoding="utf-8")

    def no_whole_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the whole new text was parsed")

    monkeypatch.setattr(write, "prove", no_whole_parse)
    day = dt.date(2026, 9, 1)
    write.transact(path, lambda src: changes.done(src, "R26-01", "pilot", day, "闽林9号", TODAY))
    after = loads(path.read_text(encoding="utf-8"))
    pilot = after["points"]["R26-01"]["milestones"]["pilot"]
    assert pilot["done"] == day and pilot["evidence"] == "闽林9号"
    before = loads(HAND)
    before["points"]["R26-01"]["milestones"]["pilot"].update(done=day, evidence="闽林9号")
    assert after == before
