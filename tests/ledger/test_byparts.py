"""A text parsed by parts (reformctl.ledger.byparts) is the whole-text parse.

Whenever :func:`~reformctl.ledger.byparts.by_parts` answers, the whole text parses, to exactly
that data, keys in the same order: on generated, hand-laid and sample ledgers and on hostile
documents (soups of lines: arrays of tables, dotted keys and inline tables where another part's
header goes, headers twice, a header inside a multi-line string, the preamble's dotted keys),
each cut into parts of every size from one header a part. A text that does not parse is the
whole parse's error, at its line and column. ``diff``'s pair of texts
(:func:`~reformctl.ledger.read.parsed_pair`) is the two whole parses, or the whole parse's
error; a read keeps no data, and the cache's data entry is still the whole parse.
"""

from __future__ import annotations

import bisect
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reformctl.errors import InvalidLedger
from reformctl.ledger import byparts, cache, read
from reformctl.ledger.parse import loads, parse_toml
from reformctl.ledger.read import load_file, parsed, parsed_data_pair, parsed_pair
from reformctl.ledger.source import SourceIndex
from reformctl.model import Loc
from tests.conftest import BASE, examples
from tests.ledger.test_edit import HAND
from tests.ledger.test_incremental import GOOD, LINES, NAME, SAMPLE, edited, generated
from tests.ledger.test_lexer import documents
from tests.ledger.test_spanproof import assert_is_the_whole_parse, ordered
from tests.test_adversarial_25 import HOSTILE as HOSTILE_25

SIZES = st.one_of(st.integers(1, 40), st.sampled_from([64, 256, 4096]))


class Refuser:
    """A read's taker that takes no point: the parts as a read cuts them (its headers found
    by their lines, without the lexer, where they can be)."""

    def take(self, pid: str, table: dict[str, Any]) -> bool:
        return False

    def drop(self) -> None:
        pass


def by_parts(text: str, size: int) -> dict[str, Any] | None:
    """The parts as a read takes them; those of a write or diff (by the lexer's headers) are
    checked here against the whole parse."""
    assert_is_the_whole_parse(text, byparts.by_parts(text, SourceIndex(text, NAME), size))
    return byparts.by_parts(text, SourceIndex(text, NAME), size, Refuser())


@st.composite
def soups(draw: st.DrawFn) -> str:
    """Lines of every kind, tables among them: what the parts must not take unless the whole
    parse gives the same."""
    pool = draw(st.sampled_from([GOOD, LINES, [*GOOD, *HOSTILE]]))
    lines = draw(st.lists(st.sampled_from(pool), max_size=30))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


# lines that collide across parts: a key where a header goes, a header through a value or an
# inline table, a table twice, a header in a multi-line string, the preamble's dotted keys
HOSTILE = [
    *("[a]", "[a.b]", "[a.b.c]", "[b]", "[b.a]", "[a.x]", "b = 1", "b.c = 1", "x = {c = 1}"),
    *("a.b = 2", "a = 1", "c = [{d = 1}]", "[c.d]", "[[c]]", 's = """', '"""', "[t]", "[t.s]"),
    *("x.y.z = 1", "[x.y]", "[x]", "y = {}", "[ a . b ]", '["a".b]', "'''", "s = '''"),
]

_NAMES = st.sampled_from(["a", "b", "c"])
_VALUES = st.sampled_from(["1", "{c = 1}", "{}", "[1]", "[{a = 1}]", "'''\n[a.b]\n'''", '"s"'])


# a ledger's names, where a read finds a point's and a milestone's headers by their own form
_POINT_NAMES = st.sampled_from(["points", "milestones", "R1", "R2", "m1", "progress"])
_POINT_PATHS = st.one_of(
    st.sampled_from(["points.R1", "points.R2", "points", "points.R1.milestones"]),
    st.builds("points.{}.milestones.{}".format, st.sampled_from(["R1", "R2"]), _POINT_NAMES),
    st.builds("points.{}.{}".format, st.sampled_from(["R1", "R2"]), _POINT_NAMES),
    st.lists(_POINT_NAMES, min_size=1, max_size=5).map(".".join),
)


@st.composite
def layouts(draw: st.DrawFn, names: Any = _NAMES, paths: Any = None) -> str:
    """Tables of a few names at a few depths, each with a few keys (dotted, inline tables,
    arrays of tables, a fake header in a multi-line string): valid often, colliding often."""

    def statements() -> list[str]:
        key = st.lists(names, min_size=1, max_size=3).map(".".join)
        keys = draw(st.lists(key, max_size=3, unique=True))
        return [f"{k} = {draw(st.one_of(st.just('1'), _VALUES))}" for k in keys]

    lines = statements()
    if paths is None:
        paths = st.lists(names, min_size=1, max_size=3).map(".".join)
    for path in draw(st.lists(paths, max_size=8, unique=True)):
        form = draw(st.sampled_from(["[{}]", "[ {} ]", "[{}]  # c", "[[{}]]"]))
        lines.append(form.format(path))
        lines += statements()
    return "\n".join(lines) + "\n"


TEXTS = st.one_of(
    layouts(),
    layouts(_POINT_NAMES, _POINT_PATHS),
    soups(),
    documents(),
    st.builds(generated, st.integers(1, 25), st.integers(0, 10_000)),
    st.sampled_from([BASE, HAND, SAMPLE]),
)


@settings(max_examples=examples(600), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, SIZES)
def test_whatever_the_parts_answer_is_the_whole_parse(text: str, size: int) -> None:
    assert_is_the_whole_parse(text, by_parts(text, size))


@settings(max_examples=examples(600), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(layouts(), layouts(_POINT_NAMES, _POINT_PATHS)))
def test_tables_laid_out_anyhow_in_parts_of_every_size_are_the_whole_parse(text: str) -> None:
    for size in range(1, len(text) // 2 + 2):
        assert_is_the_whole_parse(text, by_parts(text, size))


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 25), st.integers(0, 10_000), SIZES)
def test_a_generated_ledger_is_taken_by_parts(n: int, seed: int, size: int) -> None:
    """The parts are taken on what reformctl writes (or the reads gain nothing)."""
    text = generated(n, seed)
    found = by_parts(text, size)
    assert found is not None
    assert ordered(found) == ordered(loads(text))


@pytest.mark.parametrize(
    "text",
    [
        "[t]\nx = {a = 1}\n[t.x.b]\n",  # a header into an inline table
        "[t]\nx.y = 1\n[t.x]\n",  # a header where a dotted key made a table
        "[t]\nx = 1\n[t.x.y]\n",  # a header through a value
        "a.b = 1\n[a]\n",  # the preamble's dotted key, then its header
        "[a]\n[b]\n[a]\n",  # a table twice
        "[a.b]\nc = 1\n[a]\nb = 2\n",  # a key where a header put a table
        "[a.b.c]\n[a]\nb.d = 1\n",  # a dotted key into a header's table
        "[t]\ns = '''\n[t.s]\n'''\n[u]\n",  # a header in a multi-line string
        "[t]\nx.y = 1\n[t.x.z]\n",  # (TOML, but a dotted key's table: not taken)
        "[a]\nb.z = 1\n[a.b.x]\n[a.b]\nq = 1\n",  # a dotted key's table, then its header
        "[a.b]\nq = 1\n[a]\nb.z = 1\n[a.b.x]\n",  # a dotted key into a header's table
        "[[a]]\nb = 1\n[[a]]\nb = 2\n",  # arrays of tables: not taken
        "[b]\nx = 1\n[a.c]\n[a]\ny = 2\n[a.b]\n",  # TOML: taken, in the parser's order
        "x = 1\n[b.z]\n[b.a]\n[a]\n[b]\nq = 1\n",
        # a dotted key's table through a table of both parts' headers, another's header at it
        "a.b.x = 1\n[a.b.c]\n[a]\n",
        "[t]\na.b.x = 1\n[t.a.b.c]\n[t.a]\n",
        "points.R2.points = 1\n[points.R2.milestones.points]\n[points]\n",
    ],
)
@pytest.mark.parametrize("size", range(1, 30))
def test_collisions_across_parts_are_left_to_the_whole_parse(text: str, size: int) -> None:
    assert_is_the_whole_parse(text, by_parts(text, size))


def test_a_valid_text_with_tables_in_any_order_is_taken() -> None:
    text = "x = 1\n[b.z]\n[b.a]\nk = 'v'\n[a]\n[b]\nq = 1\n"
    found = by_parts(text, 1)
    assert found is not None
    assert list(found) == ["a", "b", "x"] and list(found["b"]) == ["a", "q", "z"]


@pytest.mark.parametrize("bad", ["k = \n", "[points.R26-00003]\n", "k = 1\nk = 2\n"])
def test_a_syntax_error_is_the_whole_parses_at_its_line_and_column(bad: str) -> None:
    text = generated(20, 7)
    at = text.index("[points.R26-00012]")
    text = text[:at] + bad + text[at:]
    found, problems = byparts.parse_by_parts(text, NAME, SourceIndex(text, NAME), size=64)
    assert found is None
    assert problems == parse_toml(text, NAME)[1]


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited())
def test_diffs_pair_of_texts_is_the_two_whole_parses(
    case: tuple[str, str, list[tuple[int, int, int]]],
) -> None:
    old, new, _ = case
    try:
        want: Any = (ordered(parsed(old, "a")), ordered(parsed(new, "b")))
    except InvalidLedger as exc:
        want = [(p.code, p.loc) for p in exc.problems]
    try:
        a, b = parsed_pair(old, "a", new, "b")
        got: Any = (ordered(a), ordered(b))
    except InvalidLedger as exc:
        got = [(p.code, p.loc) for p in exc.problems]
    assert got == want


@pytest.mark.parametrize("seed", [1, 2])
def test_diffs_pair_of_ledgers_one_entry_changed(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One table added: the second text is proven from the first, not parsed."""
    parses: list[str] = []
    real = read.parse_by_parts

    def spy(text: str, name: str, index: SourceIndex) -> Any:
        parses.append(name)
        return real(text, name, index)

    monkeypatch.setattr(read, "parse_by_parts", spy)
    old = generated(40, seed)
    at = old.index("[points.R26-00020]")
    new = old[:at] + "[points.R26-00019.note]\ntext = '进展'\n\n" + old[at:]
    a, b = parsed_pair(old, "a", new, "b")
    assert ordered(a) == ordered(loads(old)) and ordered(b) == ordered(loads(new))
    assert parses == ["a"]


def test_a_read_keeps_no_data_and_the_cache_still_stores_the_whole_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFORMCTL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("REFORMCTL_CACHE", "sync")
    monkeypatch.setattr(byparts, "PART", 256)
    monkeypatch.setattr(byparts, "LARGE", 1024)
    taken: list[dict[str, Any] | None] = []
    real = byparts.by_parts

    def spy(text: str, index: SourceIndex, size: int, *rest: Any) -> dict[str, Any] | None:
        taken.append(real(text, index, size, *rest))
        return taken[-1]

    monkeypatch.setattr(byparts, "by_parts", spy)
    text = generated(30, 3)
    path = tmp_path / "ledger.toml"
    path.write_text(text, encoding="utf-8")
    loaded = load_file(path)
    assert loaded.data is None and not loaded.problems
    assert taken and taken[0] is not None  # (read by parts: the store parsed it again)
    stored = cache.cached_data(text.encode("utf-8"))
    assert stored is not None and ordered(stored) == ordered(loads(text))


def test_diffs_pair_with_the_cache_cold_half_warm_and_warm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cold: both parsed (the second proven) and stored; the first kept, the second new (a
    hand edit): the second proven from the first's entry; warm: both the cache's."""
    monkeypatch.setenv("REFORMCTL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("REFORMCTL_CACHE", "sync")
    old = generated(40, 5)
    at = old.index("[points.R26-00020]")
    new = old[:at] + "[points.R26-00019.note]\ntext = '进展'\n\n" + old[at:]
    other = old[:at] + "[points.R26-00019.note]\ntext = '二'\n\n" + old[at:]
    want = ordered(loads(old)), ordered(loads(new))
    for _ in range(2):  # cold, then warm
        a, b = parsed_data_pair(old, "a", new, "b")
        assert (ordered(a), ordered(b)) == want
        assert ordered(cache.cached_data(new.encode("utf-8"))) == want[1]
    a, b = parsed_data_pair(old, "a", other, "b")
    assert (ordered(a), ordered(b)) == (want[0], ordered(loads(other)))
    assert ordered(cache.cached_data(other.encode("utf-8"))) == ordered(loads(other))


# -- the headers found by their lines (byparts._header_lines), without the lexer ---------------

# lines of arrays that look like headers: the finder must take none of them for one
ARRAY_LINES = ["x = [", "[inf]", "[true]", "[nan]", "[false]", "[1]", "[1.5]", "],", "]"]
ARRAY_LINES += ["  [a]", "\t[a.b]", "[a]  # c", "[ a ]", "[[a]]", "[a]\r", "y = [[1],", "[2]]"]


@settings(max_examples=examples(600), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        TEXTS,
        st.lists(st.sampled_from([*GOOD, *HOSTILE, *ARRAY_LINES])).map(
            lambda lines: "\n".join(lines) + "\n"
        ),
    )
)
def test_the_headers_found_by_their_lines_are_the_lexers(text: str) -> None:
    """Whenever the finder answers on a text that parses and the lexer follows (it stops at
    a last line that is a comment without its newline), they find the same headers (each a
    plain one), at the same places; the places a read's build takes are the lexer's lines,
    and the tables of the headers are those the lexer's headers give, a point's with nothing
    below when all its headers are in one part. (That the parts it cuts are the whole parse:
    above.)"""
    found = byparts._header_lines(text)
    whole, _ = parse_toml(text, NAME)
    index = SourceIndex(text, NAME)
    if found is None or whole is None or index.stopped is not None:
        return
    starts, keys = found
    if ("", "", "") in keys:  # a line that starts with `[` and is no header line
        assert byparts._placed(text, NAME, found, byparts._grid(text, 1)) is None
        return
    headers = index.headers
    paths = map(byparts._path, keys)
    assert [(h.start, h.path) for h in headers] == list(zip(starts, paths, strict=True))
    assert not any(h.array for h in headers)
    for size in (1, 2, 7, 64):
        placed = byparts._placed(text, NAME, found, cuts := byparts._grid(text, size))
        words = any(len(h.path) == 1 and h.path[0] in byparts._WORD_VALUES for h in headers)
        assert (placed is None) == (len(index.by_path) != len(headers) or words)
        if placed is None:
            continue
        places, every = placed
        assert places.every() == [(n, h.path) for n, h in enumerate(headers)]
        assert list(places.starts) == [h.start for h in headers]
        assert places.locs == [Loc(NAME, h.line, h.col) for h in headers]
        assert every == _collapsed(_lexers_trie(headers, cuts))


def test_the_places_locs_made_from_c_are_the_records_own() -> None:
    """:func:`byparts._locs` sets a Loc's slots one by one over all the lines: each place is
    the record ``Loc(file, line)`` makes (equal, same hash and text, frozen), and a Loc has
    no field it would leave unset."""
    lines = [1, 2, 17, 356_830]
    made = byparts._locs(NAME, iter(lines), len(lines))
    expected = [Loc(NAME, n) for n in lines]
    assert made == expected
    assert [(type(m), hash(m), repr(m), str(m)) for m in made] == [
        (Loc, hash(e), repr(e), str(e)) for e in expected
    ]
    assert Loc.__record_fields__ == ("file", "line", "col")  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        made[0].line = 3  # type: ignore[misc]


def _lexers_trie(headers: list[Any], cuts: list[int]) -> Any:
    """The tables of the headers as the lexer's headers give them (a write's), cut at
    ``cuts``."""
    every: Any = {byparts._HEADER: 0}
    for h in headers:
        byparts._add(every, h.path, bisect.bisect_right(cuts, h.start) - 1)
    return every


def _collapsed(every: Any) -> Any:
    """``every`` with each point whose headers are all in one part that part alone."""
    points = every.get("points")
    if type(points) is dict:
        for pid, below in list(points.items()):
            if isinstance(pid, str) and type(below) is dict and type(below[None]) is int:
                points[pid] = below[None]
    return every


@pytest.mark.parametrize(
    "text",
    [
        "[a]\nx = [\n[inf]\n]\n[b]\ny = 1\n",  # an array of arrays, a line like a header
        "[a]\nx = [\n[true],\n[false]\n]\n",
        "[a]\nx = [\n  [1],\n]\n[b]\n",
        "[a]\nx = 1\n  [b]\ny = 2\n",  # an indented header
        "[a]\r\nx = 1\r\n[b]\r\n",
        "[a]\nx = '''\n[b]\n'''\n",
        '[a]\nx = """\n[b]\n"""\n',
        '[a]\nx = """\n[b]\ny = "it\'s"\n"""\n',
        "'''[b]\n'''",
        '"""',
        "[a]\n[a]\n",
        "[a] # c\n[b]\n",
        "[[a]]\n[b]\n",
    ],
)
def test_texts_whose_header_lines_may_mislead_are_left_to_the_lexer(text: str) -> None:
    found = byparts._header_lines(text)
    assert found is None or byparts._placed(text, NAME, found, byparts._grid(text, 1)) is None
    for size in range(1, 12):
        assert_is_the_whole_parse(text, by_parts(text, size))


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ('[a]\nx = "it\'s"\n[b]\n', False),  # a ', no three
        ('[a]\nx = "a"\n[b]\ny = ""\n', False),  # two ", not three
        ("[a]\nx = 'it''s'\n[b]\n", False),
        ("[a]\nx = ''\n'''", True),
        ("'''\n[a]\n", True),
        ('[a]\nx = ""\n"""', True),
        ('"""\n[a]\n', True),
        ("[a]\nx = 1\n[b]\ny = '''", True),
    ],
)
def test_a_multi_line_strings_quote_anywhere_leaves_the_text_to_the_lexer(
    text: str, left: bool
) -> None:
    """Item 1 of the proof: a text with a multi-line string's quote anywhere (sought from
    its end; three ' only in a text with one) is not found by its header lines."""
    assert (byparts._header_lines(text) is None) == left


@pytest.mark.parametrize("scanned", [False, True])
def test_a_ledger_is_taken_by_parts_with_or_without_the_lexers_scan(scanned: bool) -> None:
    """A read's, without a scan (a first read: its build finds headers by their lines, and
    scans nothing) and with one (the index was scanned before: its headers are taken)."""
    text = generated(40, 11)
    index = SourceIndex(text, NAME)
    if scanned:
        assert index.headers
    found = byparts.by_parts(text, index, 256, Refuser())
    assert found is not None and ordered(found) == ordered(loads(text))
    assert index.scanned == scanned
    assert (index.header_places is None) == scanned


@pytest.mark.parametrize("text", list(HOSTILE_25.values()), ids=list(HOSTILE_25))
def test_hostile_texts_read_by_parts_of_every_size_are_the_whole_parse(text: str) -> None:
    """adv25's hostile texts, cut as a read cuts them (headers by their lines)."""
    whole, problems = parse_toml(text, NAME)
    for size in range(1, 40):
        index = SourceIndex(text, NAME)
        found, also = byparts.parse_by_parts(text, NAME, index, size, Refuser())
        assert [str(p) for p in also] == [str(p) for p in problems], size
        assert (found is None) == (whole is None), size
        if whole is not None:
            assert ordered(found) == ordered(whole), size
