"""Adversary of issue 25's speed work (adv25): what was tried against the reads by parts, the
headers found by their lines, the staged writes and diff's proven pair.

Breaks are ``xfail(strict=True)`` with their reason: each passes once fixed (then the mark
goes). The rest are the attacks that held, kept as regressions: hostile documents cut into
parts of every size (:func:`~reformctl.ledger.byparts.by_parts` must answer the whole parse
or nothing), and random edits of a ledger read as ``diff``'s pair
(:func:`~reformctl.ledger.read.parsed_pair`: the whole parses, or the whole parse's error).
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from reformctl.errors import InvalidLedger
from reformctl.ledger import byparts
from reformctl.ledger.parse import TomlError, loads, parse_toml
from reformctl.ledger.read import load_text, parsed_pair
from reformctl.ledger.source import SourceIndex
from tests.conftest import BASE, run, write_ledger
from tests.ledger.test_incremental import generated


def ordered(value: Any) -> Any:
    """The data with every table's keys in their order (dicts compare without it)."""
    if isinstance(value, dict):
        return [(k, ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [ordered(v) for v in value]
    return (type(value).__name__, value)


# -- breaks ------------------------------------------------------------------------------------


def test_a_key_under_a_first_line_header_after_a_bom_is_placed_at_its_line(
    tmp_path: Path,
) -> None:
    """Found by this adversary, older than issue 25: the file's BOM was kept in the text the
    lexer scans, which then found no header, and the problem fell back to line 1."""
    text = "\ufeff" + BASE.replace("schema = 1\n\n", "").replace(
        "[ledger]\n", "[ledger]\nbogus = 1\n", 1
    )
    path = write_ledger(tmp_path, text)
    result = run("--ledger", str(path), "--lang", "en", "check")
    assert result.code == 2
    assert "ledger.toml:2:1: " in result.stdout + result.stderr


# -- what held: by parts -----------------------------------------------------------------------

HOSTILE = {
    "unicode escape of a header's key": '[a]\nx = 1\n["\\u0061"]\ny = 2\n',
    "the escape first": '["\\u0061"]\nx = 1\n[a]\ny = 2\n',
    "quoted and bare": '[a]\nx=1\n["a"]\ny=2\n',
    "a dot in quotes": '[a]\nx=1\n["a.b"]\ny=2\n[a.b]\nz=3\n',
    "super-table after": "[a.b]\nx=1\n[a]\ny=2\n",
    "super-table after, a dotted key": "[a.b.c]\nx=1\n[a]\nb.d = 2\n",
    "a header below a dotted key's table": "[a]\nb.c = 1\n[a.b.d]\nx=1\n",
    "implicit, then explicit": "[a.b]\nx=1\n[c]\ny=1\n[a]\nz=1\n",
    "a header into an inline table": "[a]\nb = {c = 1}\n[a.b.d]\nx=1\n",
    "arrays of tables": "[[a]]\nx=1\n[b]\ny=1\n[[a]]\nx=2\n",
    "a table below an array of tables": "[[a]]\nx=1\n[a.b]\ny=1\n",
    "CRLF": "[a]\r\nx=1\r\n[b]\r\ny=1\r\n[a.c]\r\nz=1\r\n",
    "a BOM": "\ufeff[a]\nx=1\n[b]\ny=2\n",
    "a BOM and a root key": "\ufeffk=1\n[a]\nx=1\n[b]\ny=2\n",
    "a BOM mid-text before a header": "[a]\nx=1\n\ufeff[b]\ny=1\n",
    "comments and blanks in headers": "# c\n[a] # c\nx=1 # c\n[ b ]\ny=1\n[ a . c ] # z\nz=1\n",
    "conflict markers": "[a]\nx=1\n<<<<<<< HEAD\n[b]\ny=1\n=======\n[b]\ny=2\n>>>>>>> o\n",
    "a header in a multi-line string": '[a]\nx = """\n[b]\ny=1\n"""\n[c]\nz=1\n',
    "a header in a multi-line literal": "[a]\nx = '''\n[b]\ny=1\n'''\n[c]\nz=1\n",
    "header-like lines in an array": "[a]\nx = [\n[1],\n[2]\n]\n[c]\nz=1\n",
    "a quoted header-like line in an array": '[a]\nx = [\n["b"]\n]\n[b]\nz=1\n',
    "unicode keys out of order": '[z]\nx=1\n["é"]\ny=1\n[a]\nw=1\n["\\U0001F600"]\nq=1\n',
    "a header at the very end": "[a]\nx=1\n[b]",
    "a key where a header goes": "[a]\nb=1\n[a.b]\nx=1\n",
    "a dotted root key": "a.b = 1\n[a.c]\nx=1\n",
    "an indented header": "[a]\nx=1\n\t[b]\ny=1\n",
    "keys that sort as text": "[a.10]\nx=1\n[a.9]\ny=1\n[a.B]\nz=1\n[a._]\nw=1\n[a.-]\nv=1\n",
    "a date-like key": "[a]\nx=1\n[1979-05-27]\ny=1\n",
    "an inline table, then its header": "[a]\nb = {}\n[c]\nx=1\n[a.b]\n",
    "through an inline table in an array": "[a]\nb = [{c=1}]\n[x]\n[a.b.d]\n",
    "a dotted key's table, then its header": "[a.b]\nc.d=1\n[y]\n[a.b.c]\n",
    "a carriage return alone": "[a]\nx=1\r[b]\ny=1\n",
    "a form feed": "[a]\nx=1\n\x0c[b]\ny=1\n",
}


@pytest.mark.parametrize("text", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_texts_by_parts_of_every_size_are_the_whole_parse(text: str) -> None:
    whole, problems = parse_toml(text, "x.toml")
    for size in range(1, 40):
        found, also = byparts.parse_by_parts(text, "x.toml", SourceIndex(text, "x.toml"), size)
        assert [str(p) for p in also] == [str(p) for p in problems], size
        if whole is None:
            assert found is None, size
        else:
            assert ordered(found) == ordered(whole), size


# -- what held: diff's pair --------------------------------------------------------------------

SNIPPETS = ["[", "]", "\n", '"', ".", "=", " ", "#", "'''", '"""', "[x]\n", "[[a]]\n", "a.b = 2\n"]
SNIPPETS += ["[points.R26-01]\n", "{", "}", ",", "\r\n", "x", "1", "k = 1\n"]
SPICED = BASE + '\narr = [\n  1,\n]\n[x."a.b"]\nk = 1\n[x.c]\nd.e = 1\n[x]\nz = """\n[y]\n"""\n'


def _edited(rnd: random.Random, text: str) -> str:
    for _ in range(rnd.randint(1, 3)):
        i, op = rnd.randrange(len(text)), rnd.random()
        if op < 0.3:
            text = text[:i] + text[i + rnd.randint(1, 40) :]
        elif op < 0.6:
            text = text[:i] + rnd.choice(SNIPPETS) + text[i:]
        elif op < 0.8:
            a = rnd.randrange(len(SPICED))
            text = text[:i] + SPICED[a : a + rnd.randint(1, 80)] + text[i:]
        else:
            lines = text.split("\n")
            a = rnd.randrange(len(lines))
            block = lines[a : a + rnd.randint(1, 6)]
            del lines[a : a + len(block)]
            k = rnd.randrange(len(lines) + 1)
            lines[k:k] = block
            text = "\n".join(lines)
    return text


@pytest.mark.parametrize("seed", range(4))
def test_diffs_pair_after_random_edits_is_the_two_whole_parses(seed: int) -> None:
    rnd = random.Random(seed)
    loads(SPICED)
    for _ in range(150):
        new = _edited(rnd, SPICED)
        try:
            want: dict[str, Any] | None = loads(new)
        except TomlError:
            want = None
        try:
            _, got = parsed_pair(SPICED, "a.toml", new, "b.toml")
        except InvalidLedger as exc:
            assert want is None, new
            assert [str(p) for p in exc.problems] == [str(p) for p in parse_toml(new, "b.toml")[1]]
            continue
        assert want is not None, new
        assert ordered(got) == ordered(want), new


# -- what held: headers found by their lines ---------------------------------------------------


def _placed(loaded: Any) -> Any:
    ledger = loaded.ledger
    if ledger is None:
        return None
    points = [(pid, p.loc, [m.loc for m in p.milestones]) for pid, p in ledger.points.items()]
    return points, [(k, u.loc) for k, u in ledger.units.items()]


def _laid_out(rnd: random.Random, preamble: str, blocks: list[str]) -> str:
    """The tables moved about (swapped, or one taken elsewhere), some headers spelled
    otherwise (blanks, a comment, quotes), some fields missing or unknown."""
    blocks = list(blocks)
    for _ in range(rnd.randint(0, 12)):
        a, b = rnd.randrange(len(blocks)), rnd.randrange(len(blocks))
        if rnd.random() < 0.5:
            blocks[a], blocks[b] = blocks[b], blocks[a]
        else:
            blocks.insert(b, blocks.pop(a))
    for _ in range(rnd.randint(0, 6)):
        k = rnd.randrange(len(blocks))
        block, r = blocks[k], rnd.random()
        head = block.split("\n", 1)[0]
        if r < 0.3:
            blocks[k] = re.sub(r"(?m)^(title|name|due) = .*\n", "", block, count=1)
        elif r < 0.5:
            blocks[k] = block.replace("]\n", "] # c\n", 1)
        elif r < 0.6:
            blocks[k] = block.replace("[points.", "[ points.", 1)
        elif r < 0.8:
            blocks[k] = block.replace("\n", "\nbogus = 1\n", 1)
        elif "milestones." in head:
            blocks[k] = block.replace("milestones.", 'milestones."', 1).replace("]\n", '"]\n', 1)
    return preamble + "".join(blocks)


@pytest.mark.parametrize("seed", range(4))
def test_headers_found_by_their_lines_place_as_the_scan_does(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first read finds the headers it places by their lines (SourceIndex.header_lines):
    every point's, milestone's and unit's place, and every problem, as when the index has
    scanned the text first (then header_lines answers None and the scan places them)."""
    monkeypatch.setenv("REFORMCTL_CACHE", "off")  # (else the second read is the first's model)
    text = generated(40, seed)
    start = text.index("\n[") + 1
    blocks = [b for b in re.split(r"(?m)^(?=\[)", text[start:]) if b]
    blocks = [b if b.endswith("\n") else b + "\n" for b in blocks]
    rnd = random.Random(seed)
    unscanned = 0
    for _ in range(60):
        laid = _laid_out(rnd, text[:start], blocks)
        lines, scanned = SourceIndex(laid, "x.toml"), SourceIndex(laid, "x.toml")
        assert scanned.headers is not None
        by_lines = load_text(laid, "x.toml", lines)
        by_scan = load_text(laid, "x.toml", scanned)
        unscanned += not lines.scanned
        assert [str(p) for p in by_lines.problems] == [str(p) for p in by_scan.problems]
        assert _placed(by_lines) == _placed(by_scan)
    assert unscanned  # (header_lines placed every table of some of them)


# -- what held: the staged write ---------------------------------------------------------------


@pytest.mark.parametrize("when", ["_proven_how", "_no_new_problems"])
def test_a_file_changed_while_the_write_is_proven_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    """git rewrites the ledger while the new bytes are staged and the change proven: the
    write is refused, git's text stands byte for byte, and no temporary file is left."""
    from reformctl.ledger import write

    path = write_ledger(tmp_path, BASE)
    theirs = BASE.replace('title = "测试台账"', 'title = "git 改的"').encode()
    real = getattr(write, when)

    def meanwhile(*args: Any, **kwargs: Any) -> Any:
        path.write_bytes(theirs)
        return real(*args, **kwargs)

    monkeypatch.setattr(write, when, meanwhile)
    result = run("--ledger", str(path), "done", "R26-01/pilot", "-e", "文号")
    assert result.code == 2, result.stderr
    assert "git" in result.stderr  # (changed under it, "e.g. by git", not another refusal)
    assert path.read_bytes() == theirs
    assert not list(tmp_path.glob(".*.tmp"))
