"""A write reads again only what it changed, and gets what reading it all would give.

- The lexer's fast pass (:func:`reformctl.ledger.lexer.fast_scan`) gives what the lexer's loop
  gives, or nothing: on generated documents, on soups of lines of every kind (headers good and
  bad, bracketed values flat, nested and open, strings unterminated) and on real ledgers.
- The new text's index is the old one's with the edited lines lexed again
  (:func:`reformctl.ledger.lexer.rescan`): on generated documents (multi-line strings and arrays
  holding lines that look like headers) and random edits of any text, it equals ``scan`` of the
  whole new text.
- The model after a write (below) is the full build's."""

from __future__ import annotations

import datetime as dt
import itertools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from reformctl.errors import ReformctlError
from reformctl.ledger.build import build_ledger
from reformctl.ledger.changes import Change
from reformctl.ledger.edit import Source, prove
from reformctl.ledger.lexer import _scan_from, fast_scan, rescan, scan
from reformctl.ledger.parse import loads
from reformctl.ledger.placing import placed
from reformctl.ledger.source import SourceIndex
from reformctl.rules import Change as RuleChange
from tests.conftest import BASE, examples
from tests.ledger.test_lexer import documents


def the_loop(text: str) -> object:
    """The lexer's own loop, with no fast pass."""
    return _scan_from(text, 0, 1, 0, [])


LINES = [
    *("[a]", "[[a]]", "[ a . b ]", '[a."q b"]', "[a.'l']", "  [x]  # c [y]", '[""]', "[a.b.c]"),
    *("[[a]", "[a]]", '[a."b\\q"]', "[a] x", "[a", "[]", "[a..b]", "[a]\r", "\t[t]"),
    *("k = 1", 'k = "s"', "k = 'l'", "k = 2026-01-01", "a.b = true", "k = 1979-05-27 07:32:00"),
    *("k = [1, 2]", 'k = [{ a = 1, b = "x]" }]', "k = [[1], [2]]", "k = [[[1]]]", "k = []"),
    *("k = {a = {b = 1}}", "k = {}", "a . b = [ 'x' ] # c [", 'k = ["\\\\", "\\"#"]'),
    *("k = [", "]", "  [1],", "  [a]", "  { a = 1 },", "k = {", "}", "k = [1 # c", "k = [1] x"),
    *('k = "open', 'k = "\\q"', "k = 1\r", "= 1", "bad line", "# [x]", '"q" = 1', 'k = "a""b"'),
    *('k = """x', "k = '''y'''", "k = [\"a\", 'b', {c = [1]}]", "k = [1]]", "k = [1}", ""),
    *('k = ["a\\', "k = [ 'x\\' ]", "k = [1]\r", "k = [1] # c\r", "[a]  # c\r", "\t[t]"),
]


# lines the lexer takes on their own (a soup of them goes the fast way, unless it ends badly)
GOOD = [
    *("[a]", "[[a]]", "[ a . b ]", '[a."q b"]', "[a.'l']", "  [x]  # c [y]", "\t[t]", "[a.b.c]"),
    *("k = 1", 'k = "s"', "k = 'l'", "a.b = true", "k = 1979-05-27 07:32:00", "# [x]", ""),
    *("k = [1, 2]", 'k = [{ a = 1, b = "x]" }]', "k = [[1], [2]]", "k = {a = {b = 1}}", "k = []"),
    *("a . b = [ 'x' ] # c [", 'k = ["\\\\", "\\"#"]', "k = [\"a\", 'b', {c = [1]}]", "k = {}"),
    *("k = [1]\r", "k = [1] # c\r", "[a]  # c\r", "k = [ 'x\\' ]"),
]
assert set(GOOD) <= set(LINES)


@st.composite
def soups(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.sampled_from(draw(st.sampled_from([LINES, GOOD]))), max_size=25))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "\n", "\n\n", ""]))


@settings(max_examples=examples(1500), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(soups(), documents(), documents().map(lambda d: d.replace('"""', '"'))))
def test_the_fast_pass_is_the_lexer_or_nothing(text: str) -> None:
    fast = fast_scan(text)
    assert fast is None or fast == the_loop(text)
    assert scan(text) == the_loop(text)


def test_the_fast_pass_reads_real_ledgers() -> None:
    ten_thousand = generated(10_000, 2026)
    for text in (SAMPLE, BASE, ten_thousand):
        assert scan(text) == the_loop(text)
    assert fast_scan(ten_thousand) == the_loop(ten_thousand)  # (taken, not fallen back from)
    assert fast_scan(BASE) is not None


PIECES = st.lists(
    st.sampled_from([*"ab =.#[]{}'\"\\\n\t1-", "[x]\n", '"""', "'''", "\n[a.b]\n", "k = 1\n"]),
    max_size=20,
).map("".join)


@st.composite
def edited(draw: st.DrawFn) -> tuple[str, str, list[tuple[int, int, int]]]:
    """A document (or any text), and the same with up to three edits anywhere."""
    text = draw(st.one_of(documents(), documents().map(lambda d: d * 3), PIECES))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=6)))
    if len(cuts) % 2:
        cuts.pop()
    out, edits, pos = [], [], 0
    for a, b in zip(cuts[::2], cuts[1::2], strict=True):
        new = draw(st.one_of(PIECES, st.sampled_from(["", "x = 1\n", "[t9]\ny = 2\n"])))
        out += [text[pos:a], new]
        edits.append((a, b, len(new)))
        pos = b
    out.append(text[pos:])
    return text, "".join(out), edits


@settings(max_examples=examples(600), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited())
def test_rescan_is_scan_of_the_new_text(case: tuple[str, str, list[tuple[int, int, int]]]) -> None:
    old, new, edits = case
    assert rescan(scan(old), old, new, edits) == scan(new)


# -- the model after a write ---------------------------------------------------------------------
# The new model is built from the new data with the old model's points whose tables the write did
# not touch placed, not built again (``build_ledger(..., reuse=...)``); the rules judge it whole.
# For random ledgers and random edits of one fact (the real planners, and raw field edits that
# may well break a rule or a type), that model and its problems are build_ledger's on the whole
# new data with the whole new text's index.

NAME = "ledger.toml"
TODAY = dt.date(2026, 11, 28)
SAMPLE = (Path(__file__).resolve().parents[2] / "ledger.toml").read_text(encoding="utf-8")


def generated(n: int, seed: int) -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from generate import generate

    return str(generate(n, seed=seed))


LEDGERS = st.one_of(
    st.builds(generated, st.integers(1, 25), st.integers(0, 10_000)),
    st.just(SAMPLE),
    st.just(BASE),
)
VALUES = st.one_of(
    st.dates(dt.date(2025, 6, 1), dt.date(2027, 6, 1)),
    st.sampled_from(["", "闽政〔2026〕1号", "x", "ghost", "fgw", "lyj"]),
    st.lists(st.sampled_from(["fgw", "lyj", "wjw", "ghost"]), max_size=3),
    st.booleans(),
    st.integers(-1, 3),
    st.none(),
)


def _one_fact(draw: st.DrawFn, src: Source) -> Change:
    """A write's change to ``src``: a planner with random arguments, or a raw field edit."""
    from reformctl.ledger import changes

    points = src.data(("points",)) or {}
    pid = draw(st.sampled_from(sorted(points) or ["R26-99"]))
    keys = sorted((points.get(pid) or {}).get("milestones") or {}) or ["m1"]
    key = draw(st.sampled_from(keys))
    day = draw(st.dates(dt.date(2026, 1, 1), TODAY))
    unit = draw(st.sampled_from(["fgw", "lyj", "wjw"]))
    action = draw(st.integers(0, 14))
    plans: list[Callable[[], Change]] = [
        lambda: changes.done(src, pid, key, day, draw(st.sampled_from([None, "闽政"])), TODAY),
        lambda: changes.undone(src, pid, key),
        lambda: changes.extend(src, pid, key, draw(st.dates()), "待核定", None, TODAY),
        lambda: changes.log(src, pid, "推进会召开", f"{day:%Y-%m}", TODAY, replace=True),
        lambda: changes.close(src, pid, "销号", day, TODAY),
        lambda: changes.reopen(src, pid),
        lambda: changes.edit_point(src, pid, {"title": "改", "units": [unit]}),
        lambda: changes.edit_milestone(src, pid, key, {"due": day}),
        lambda: changes.milestone_add(src, pid, "n9", "新节点", day),
        lambda: changes.remove_milestone(src, pid, key, True),
        lambda: changes.remove_point(src, pid, True),
        lambda: changes.point_add(src, "R26-00007", title="新", group="economy", lead=unit),
        lambda: changes.unit_add(src, "zz", "新单位"),
    ]
    if action < len(plans):
        return plans[action]()
    table = ("points", pid) if action == 13 else ("points", pid, "milestones", key)
    fields = "done evidence due name closed closing_evidence units lead group major extensions"
    field = draw(st.sampled_from([*fields.split(), "bogus", "topic"]))
    value = draw(VALUES)
    if field == "extensions" and value is not None:
        value = [{"to": day, "reason": "r"}]
    return Change([src.set_fields(table, {field: value})], "recorded-edit", {})


def _planned(
    draw: st.DrawFn, ledgers: st.SearchStrategy[str], planners: list[Any]
) -> tuple[str, Change, Source]:
    """A ledger and one write one of ``planners`` plans on it (refused: nothing to prove)."""
    text = draw(ledgers)
    src = Source.from_text(text, NAME)
    try:
        change = draw(st.sampled_from(planners))(draw, src)
    except ReformctlError:  # refused (a RefusedChange is one)
        assume(False)
        raise
    return text, change, src


@st.composite
def writes(draw: st.DrawFn) -> tuple[str, Change, Source]:
    return _planned(draw, LEDGERS, [_one_fact])


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(writes())
def test_the_model_after_a_write_is_the_full_builds(case: tuple[str, Change, Source]) -> None:
    from reformctl.ledger.write import _unchanged_points

    text, change, src = case
    old, problems = build_ledger(loads(text), SourceIndex(text, NAME))  # (what the cache holds)
    assume(not problems)
    new_text = src.apply(change.splices)
    try:
        new_data = prove(text, new_text, change.splices, NAME, src.index)
    except ReformctlError:
        assume(False)
        raise
    edits = [(s.start, s.end, len(s.text)) for s in change.splices]
    index = src.index.edited(new_text, edits)
    assert index.headers == SourceIndex(new_text, NAME).headers
    reuse = _unchanged_points(old, change.splices)
    fast = build_ledger(loads(new_text), index, dict(reuse))
    full = build_ledger(new_data, SourceIndex(new_text, NAME))
    assert fast == full
    # as a write builds it (its reused points left where they were), then placed for the cache
    # as the process that stores it places it: every point and milestone where the full build
    # puts it
    taken, problems = build_ledger(loads(new_text), index, reuse, place=False)
    assert problems == full[1]
    assert placed(taken, index) == full[0]
    assert [p.loc for p in placed(taken, index).points.values()] == [
        p.loc for p in full[0].points.values()
    ]


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(documents(), soups()), st.data())
def test_related_headers_are_the_ones_a_look_through_finds(text: str, data: st.DataObject) -> None:
    index = SourceIndex(text, NAME)
    paths = [h.path for h in index.headers]
    grown = [(*p, "x") for p in paths] + [p[:1] for p in paths] + [(), ("t0",), ("a", "b", "c")]
    for prefix in data.draw(st.lists(st.sampled_from(paths + grown), max_size=5)):
        n = len(prefix)
        look = [
            i
            for i, h in enumerate(index.headers)
            if h.path[:n] == prefix or prefix[: len(h.path)] == h.path
        ]
        assert index.related(prefix) == look


@settings(max_examples=examples(1000), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(soups(), documents()), st.data())
def test_first_keys_are_the_statements_or_nothing(text: str, data: st.DataObject) -> None:
    """``first_keys`` (one regex pass over a table's body) gives where each first key's
    statement starts, as :func:`statements` does, or nothing: on any table of any text."""
    from reformctl.ledger.lexer import ScanError, first_keys, statements

    cuts = [0, *(h.body for h in scan(text).headers), len(text)]
    start = data.draw(st.sampled_from(cuts))
    end = data.draw(st.sampled_from([c for c in cuts if c >= start] + [len(text)]))
    fast = first_keys(text, start, end)
    if fast is None:
        return
    slow: dict[str, int] = {}
    try:
        for stmt in statements(text, start, end):
            slow.setdefault(stmt.key[0], stmt.start)
    except ScanError:
        raise AssertionError("first_keys took a body the statements cannot") from None
    assert fast == slow


def test_first_keys_take_a_real_ledgers_tables() -> None:
    from reformctl.ledger.lexer import first_keys

    headers = scan(SAMPLE).headers
    bodies = [(h.body, n.start) for h, n in itertools.pairwise(headers)]
    taken = [first_keys(SAMPLE, s, e) is not None for s, e in bodies]
    assert sum(taken) > 0.9 * len(taken)  # (the fast way is the common one)


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(writes())
def test_the_proof_leaves_the_old_data_as_it_was(case: tuple[str, Change, Source]) -> None:
    """A write hands the old text's data (the read's own, which the cache may store for the
    old text when the command ends) to the proof: it must come back unchanged."""
    import contextlib
    import copy

    text, change, src = case
    old_data = loads(text)
    before = copy.deepcopy(old_data)
    with contextlib.suppress(ReformctlError):
        prove(text, src.apply(change.splices), change.splices, NAME, src.index, old_data)
    assert old_data == before


# -- the rules after a write: each judges only what its scope says the change can affect ----------
# For generated ledgers with no problem and generated writes (every planner above, the
# registers', and a raw edit of any field of any table, which may well break a rule), the
# problems of the rules run on what each rule's scope says the change can affect are the
# problems of every rule run on the whole new model: codes, places, arguments, order.

REGISTERS = (
    SAMPLE
    + """
[notices.N1]
number = 1
on = 2026-03-01
unit = "fgw"
kind = "督办通知"
items = ["R26-01/plan"]

[units.zz]
name = "新单位"

[units.zz.remind]
wecom = "env:ZZ_WECOM"
"""
)
RULE_LEDGERS = st.one_of(LEDGERS, st.just(REGISTERS))
FIELDS = "done evidence due name closed closing_evidence units lead group major extensions theme"
FIELDS += " number on wecom dingtalk since unit office_unit title approved_by topic about"


def _register(draw: st.DrawFn, src: Source) -> Change:
    """A write to another section: a register's planner, or a raw edit of any table."""
    from reformctl.ledger import changes, registers

    day = draw(st.dates(dt.date(2025, 1, 1), TODAY))
    unit = draw(st.sampled_from(["fgw", "FGW", "ghost", "lyj"]))
    plans: list[Callable[[], Change]] = [
        lambda: registers.meeting_add(
            src, draw(st.sampled_from(["M26-9", "m26-01"])), day, "T26-02"
        ),
        lambda: registers.topic_add(
            src, "T26-9", "新", draw(st.sampled_from(["economy", "x"])), unit, None
        ),
        lambda: changes.group_add(src, draw(st.sampled_from(["g9", "ECONOMY"])), "新组", unit),
        lambda: changes.unit_add(src, unit, "单位"),
        lambda: changes.office_set(src, unit=unit),
        lambda: changes.point_add(
            src,
            draw(st.sampled_from(["r26-1", "R26-00001", "R26-0001"])),
            title="新",
            group="economy",
            lead="fgw",
        ),
        lambda: changes.milestone_add(
            src, "R26-01", draw(st.sampled_from(["PLAN", "m01"])), "新", day
        ),
    ]
    action = draw(st.integers(0, len(plans)))
    if action < len(plans):
        return plans[action]()
    path = draw(st.sampled_from([h.path for h in src.index.headers]))
    field = draw(st.sampled_from(FIELDS.split()))
    value = draw(st.one_of(VALUES, st.sampled_from(["T26-01", "env:CI_X", "https://x", "R26-01"])))
    if field == "extensions" and value is not None:
        value = [{"to": day, "reason": "r", "approved_by": unit}]
    return Change([src.set_fields(path, {field: value})], "recorded-edit", {})


@st.composite
def rule_writes(draw: st.DrawFn) -> tuple[str, Change, Source]:
    return _planned(draw, RULE_LEDGERS, [_one_fact, _register])


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule_writes())
def test_the_rules_on_what_a_write_changed_are_the_full_run(
    case: tuple[str, Change, Source],
) -> None:
    from reformctl.ledger.placing import entry_keys
    from reformctl.ledger.write import _changed, _touched_points, _unchanged_points
    from reformctl.rules import keys_of

    text, change, src = case
    old, problems = build_ledger(loads(text), SourceIndex(text, NAME))
    assume(not problems)  # (a write is made only to a ledger with none)
    new_text = src.apply(change.splices)
    try:
        new_data = prove(text, new_text, change.splices, NAME, src.index)
    except ReformctlError:
        assume(False)
        raise
    index = src.index.edited(new_text, [(s.start, s.end, len(s.text)) for s in change.splices])
    scoped = _changed(old, change.splices)
    assert scoped is not None
    # (a write that does not load the old model knows its keys from its data)
    assert entry_keys(loads(text), src.index) == keys_of(old)
    reuse = _unchanged_points(old, change.splices)
    fast = build_ledger(new_data, index, reuse, scoped)
    full = build_ledger(loads(new_text), SourceIndex(new_text, NAME))
    # without the old model: the points the write touched built, the rest when a rule asks
    touched = _touched_points(change.splices)
    lazy = build_ledger(new_data, index, None, scoped, only=touched)
    assert lazy[1] == full[1]
    assert list(lazy[0].points) == list(full[0].points)
    event("a problem" if full[1] else "no problem")
    event("planner: " + change.message)
    assert fast[1] == full[1]
    assert [(p.code, p.loc, p.args, p.hint) for p in fast[1]] == [
        (p.code, p.loc, p.args, p.hint) for p in full[1]
    ]


def test_every_rule_declares_what_it_judges() -> None:
    """A rule without a declared scope would be judged on nothing after a write."""
    from reformctl.rules import RULES, SCOPES

    assert set(RULES) <= set(SCOPES)
    for rule in RULES:
        scope = SCOPES[rule]
        assert scope.judges or scope.compares, rule.__name__


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule_writes())
def test_the_model_the_cache_gets_after_a_write_is_a_cold_build(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[str, Change, Source]
) -> None:
    """What the process that stores the new text's entry builds (from the old model's entry,
    or from nothing when there is none): a cold build of the new text, every place included."""
    from reformctl.ledger import cache
    from reformctl.ledger.placing import entry_keys
    from reformctl.ledger.write import _model_after, _paths

    text, change, src = case
    old, problems = build_ledger(loads(text), SourceIndex(text, NAME))
    assume(not problems)
    new_text = src.apply(change.splices)
    try:
        new_data = prove(text, new_text, change.splices, NAME, src.index)
    except ReformctlError:
        assume(False)
        raise
    full, after = build_ledger(loads(new_text), SourceIndex(new_text, NAME))
    assume(not after)  # (a write that adds a problem stores nothing)
    index = src.index.edited(new_text, [(s.start, s.end, len(s.text)) for s in change.splices])
    changed = RuleChange.of(entry_keys(loads(text), src.index), _paths(change.splices))
    content = text.encode("utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        mp.setenv("REFORMCTL_CACHE", "sync")
        for stored in (False, True):
            if stored:
                cache.store_model(cache.key("model", content, NAME), old, [])
                assert cache.known_clean(content, NAME)
            model = _model_after(content, NAME, new_data, index, change.splices, changed)
            assert model == full
            assert [ms.loc for p in model.points.values() for ms in p.milestones] == [
                ms.loc for p in full.points.values() for ms in p.milestones
            ]
