"""A first read finds the headers it needs by their lines (``SourceIndex.header_lines``) instead
of scanning the whole text; what it finds is what the scan gives, and the model is the same.

- On generated TOML texts built to mislead it (headers out of the keys' order, indented, with
  blanks or comments, quoted keys, the first line a header, tables without a header of their
  own, a sub-table before its table, multi-line arrays whose lines look like headers, a header
  line inside a multi-line string, CRLF lines), for every table of the data and every place
  to start from: ``header_lines`` is None, or the order and lines the scan gives.
- The model and problems built from a text read for the first time (no scan) are those built
  with the scanned index, on real ledgers, on the same with their tables shuffled and on
  generated ones."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reformctl.ledger import cache
from reformctl.ledger.build import build_ledger
from reformctl.ledger.lexer import scan
from reformctl.ledger.parse import TomlError, loads
from reformctl.ledger.read import load_text
from reformctl.ledger.source import SourceIndex
from tests.conftest import BASE, examples
from tests.ledger.test_incremental import SAMPLE, generated

KEYS = ["a", "b", "c", "x1", "R26-2", "R26-10", "m1", "1", "true"]


@st.composite
def tables(draw: st.DrawFn, prefix: str, depth: int) -> list[str]:
    """Lines of the tables under ``prefix``: headers of many forms, in any order."""
    lines: list[str] = []
    keys = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=4))
    for key in keys:
        path = f"{prefix}.{key}"
        form = draw(st.sampled_from(["plain"] * 9 + ["spaced", "comment", "inline"]))
        if form == "inline":
            lines.append(f"[{prefix}]" if draw(st.booleans()) else "")
            lines.append(f"{key} = {{ v = 1 }}")
            continue
        header = {
            "plain": f"[{path}]",
            "spaced": f"[ {prefix} . {key} ]",
            "comment": f"[{path}]  # [x]",
        }[form]
        bodies = ["v = 1", "v = [\n[1],\n[true],\n]", f"v = [\n  [{key}],\n]", ""]
        if draw(st.integers(0, 19)) == 0:  # (a text with one is not sought in at all)
            bodies += [f'v = """\n[{path}]\n"""', "v = '''\n[other]\n'''"]
        body = draw(st.sampled_from(bodies))
        sub = draw(tables(path, depth - 1)) if depth > 0 and draw(st.booleans()) else []
        if sub and draw(st.booleans()):
            lines += [*sub, header, body]  # a sub-table before its table
        else:
            lines += [header, body, *sub]
    return lines


@st.composite
def texts(draw: st.DrawFn) -> str:
    lines = draw(tables("points", 2))
    if draw(st.booleans()):
        lines = draw(tables("units", 0)) + lines
    if draw(st.booleans()):
        lines.insert(0, "top = 1")
    text = "\n".join(lines) + "\n"
    return text.replace("\n", "\r\n") if draw(st.integers(0, 9)) == 0 else text


@st.composite
def ledgerish(draw: st.DrawFn) -> str:
    """Points with milestones, each table's header of any form, tables in any order."""
    pieces: list[list[str]] = []
    for point in draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=4)):
        pieces.append([f"[points.{point}]", "v = 1"])
        for line in draw(tables(f"points.{point}.milestones", 0)):
            if line.startswith("["):
                pieces.append([])
            pieces[-1].append(line)
    order = draw(st.permutations(range(len(pieces)))) if draw(st.booleans()) else range(len(pieces))
    return "\n".join(line for i in order for line in pieces[i]) + "\n"


def dict_tables(data: dict[str, Any], path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for key, value in data.items():
        if isinstance(value, dict):
            out.append((*path, key))
            out += dict_tables(value, (*path, key))
    return out


def table_at(data: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    for key in path:
        data = data[key]
    return data


def parsed_and_scanned(text: str) -> tuple[dict[str, Any], SourceIndex] | None:
    """The text's data and its index as the lexer's scan gives it (None: it does not parse)."""
    try:
        data = loads(text)
    except TomlError:
        return None
    return data, SourceIndex(text, "f")


@settings(max_examples=examples(600), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts(), st.randoms(use_true_random=False))
def test_headers_found_by_their_lines_are_the_scans(text: str, rnd: random.Random) -> None:
    if (parsed := parsed_and_scanned(text)) is None:
        return
    data, scanned = parsed
    headers, by_path = scanned.headers, scanned.by_path
    for prefix in dict_tables(data):
        table = table_at(data, prefix)
        if not all(isinstance(v, dict) for v in table.values()):
            continue  # (a table of values: found by no header, as the build never asks)
        owner = by_path.get(prefix)
        starts = [(0, 1)]
        if owner is not None:  # from the table's own header, as a point's milestones are sought
            starts.append((headers[owner].start, headers[owner].line))
        for start, line in starts:
            index = SourceIndex(text, "f")
            index.parsed = True
            keys = list(table)
            rnd.shuffle(keys)  # (any order the parser may give)
            found = index.header_lines(prefix, keys, start, line)
            assert not index.scanned
            if found is None:
                continue
            paths = [(*prefix, key) for key in table]
            assert all(p in by_path for p in paths)
            assert list(found) == [p[-1] for p in sorted(paths, key=by_path.__getitem__)]
            for key, (at, n) in found.items():
                h = headers[by_path[(*prefix, key)]]
                assert (at, n, 1) == (h.start, h.line, h.col)
                assert scanned.table_loc((*prefix, key)).line == n


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(texts(), ledgerish()))
def test_child_headers_found_in_one_pass_are_the_scans(text: str) -> None:
    if (parsed := parsed_and_scanned(text)) is None:
        return
    data, scanned = parsed
    headers, by_path = scanned.headers, scanned.by_path
    index = SourceIndex(text, "f")
    index.parsed = True
    for child in sorted({p[2] for p in dict_tables(data) if len(p) == 3} | {"milestones"}):
        every = index.child_header_lines("points", child)
        if every is None:
            continue
        for entry, found in every.items():
            assert [at for at, _ in found.values()] == sorted(at for at, _ in found.values())
            for key, (at, n) in found.items():
                h = headers[by_path[("points", entry, child, key)]]
                assert (at, n, 1) == (h.start, h.line, h.col)
    assert not index.scanned


def test_nothing_is_found_in_a_text_not_known_to_parse() -> None:
    index = SourceIndex("[points.a]\nv = 1\n", "f")
    assert index.header_lines(("points",), ["a"]) is None
    index.parsed = True
    assert index.header_lines(("points",), ["a"]) == {"a": (0, 1)}
    assert index.header_lines(("1",), ["5"]) is None  # `[1.5]` may be a line of an array
    assert index.header_lines(("points.a",), ["b"]) is None  # ("points", "a") has that header
    dotted = SourceIndex('[points."a.b"]\nv = 1\n[points.a.b]\nv = 2\n', "f")
    dotted.parsed = True
    assert dotted.header_lines(("points",), ["a.b"]) is None
    assert dotted.header_lines(("points", "a"), ["b"]) == {"b": (21, 3)}


def shuffled(text: str, seed: int) -> str:
    """The text with its tables (each header and the lines up to the next) in another order."""
    index = SourceIndex(text, "f")
    head = text[: index.headers[0].start]
    pieces = [text[slice(*index.span_at(i))] for i in range(len(index.headers))]
    random.Random(seed).shuffle(pieces)
    return head + "".join(p if p.endswith("\n") else p + "\n" for p in pieces)


def test_a_first_read_builds_the_model_the_scan_gives() -> None:
    spaced = BASE.replace("[points.R26-01.milestones.pilot]", "[ points.R26-01.milestones.pilot ]")
    assert spaced != BASE
    texts = (SAMPLE, BASE, generated(300, 7), shuffled(SAMPLE, 1), shuffled(BASE, 2), spaced)
    for text in texts:
        text = text.removeprefix("\ufeff")
        data = loads(text)
        first = SourceIndex(text, "ledger.toml")
        first.parsed = True
        got = build_ledger(data, first)
        scanned = SourceIndex(text, "ledger.toml")
        scanned.headers  # noqa: B018 (scanned before the build)
        assert got == build_ledger(data, scanned)
    big = generated(2000, 3)
    first = SourceIndex(big, "ledger.toml")
    first.parsed = True
    build_ledger(loads(big), first)
    assert not first.scanned  # (a valid ledger as reformctl writes it: not scanned at all)


def test_a_first_read_that_scans_nothing_leaves_the_scan_for_a_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REFORMCTL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("REFORMCTL_CACHE", "sync")
    text = generated(50, 5)
    first = load_text(text, "ledger.toml")
    assert not first.problems and not first.index.scanned
    found = cache.cached_scan(text.encode("utf-8"))
    assert found is not None
    assert [tuple(h) for h in scan(text).headers] == [tuple(r) for r in found[0]]
