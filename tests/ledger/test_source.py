from __future__ import annotations

from reformctl.ledger.source import SourceIndex, split_key
from tests.conftest import BASE


def test_headers_lines_and_paths() -> None:
    index = SourceIndex(BASE, "ledger.toml")
    paths = [(h.path, h.line) for h in index.headers]
    assert paths[0] == (("ledger",), 3)
    assert (("points", "R26-01", "milestones", "pilot"), 33) in paths
    assert str(index.loc(("points", "R26-01", "milestones", "pilot"), "due")) == "ledger.toml:35:1"
    assert str(index.loc((), "schema")) == "ledger.toml:1:1"
    assert str(index.loc(("points", "R26-01"))) == "ledger.toml:18:1"


def test_header_on_first_line_and_indented_and_commented() -> None:
    text = "[a.b]\nx = 1\n  [ c . d ]  # note\ny = 2\n[[g]]\n"
    index = SourceIndex(text, "f")
    assert [(h.path, h.line, h.col, h.array) for h in index.headers] == [
        (("a", "b"), 1, 1, False),
        (("c", "d"), 3, 3, False),
        (("g",), 5, 1, True),
    ]
    assert index.stopped is None


def test_lexer_stops_where_the_text_is_not_toml() -> None:
    text = "[a]\nx = 1\n[e]]\n[f]\n"
    index = SourceIndex(text, "f")
    assert [h.path for h in index.headers] == [("a",)]
    assert index.stopped == text.index("[e]]")


def test_quoted_keys_and_multiline_strings() -> None:
    text = 'a = """\n[points.X]\n"""\n[points."Q 1".milestones.a] # c\nx = 1\nb = \'\'\'\n[y]\n\'\'\'\n[z]\n'
    index = SourceIndex(text, "f")
    assert [(h.path, h.line) for h in index.headers] == [
        (("points", "Q 1", "milestones", "a"), 4),
        (("z",), 9),
    ]


def test_crlf_lines() -> None:
    text = BASE.replace("\n", "\r\n")
    index = SourceIndex(text, "f")
    assert index.loc(("points", "R26-01", "milestones", "pilot"), "due").line == 35


def test_split_key() -> None:
    assert split_key("a.b") == ("a", "b")
    assert split_key('a."b.c" . d') == ("a", "b.c", "d")
    assert split_key("a..b") is None
    assert split_key('a."open') is None


def test_spans() -> None:
    from reformctl.ledger.edit import Source

    index = SourceIndex(BASE, "f")
    src = Source.from_text(BASE, "f")
    start = index.headers[index.by_path[("points", "R26-01")]].start
    end = src.subtree_end(("points", "R26-01"))
    assert BASE[start:end].startswith("[points.R26-01]\n")
    assert BASE[start:end].endswith('2026-03 = "实施方案已印发"\n')
    start, end = index.span(("points", "R26-01", "milestones", "plan")) or (0, 0)
    assert BASE[start:end].count("\n") == 6


def test_a_path_twice_is_found_at_its_first_header() -> None:
    """A text that repeats a header (the parser refuses it at the second) indexes each path
    at its first header, and the paths in the order they first appear."""
    index = SourceIndex("[a]\nx = 1\n[b]\n[a]\ny = 2\n[c]\n", "f")
    assert index.by_path == {("a",): 0, ("b",): 1, ("c",): 3}
    assert list(index.by_path) == [("a",), ("b",), ("c",)]
    once = SourceIndex("[a]\n[b]\n[c]\n", "f")
    assert once.by_path == {("a",): 0, ("b",): 1, ("c",): 2}
