"""Read one ledger file: its text (:mod:`~reformctl.ledger.parse`) → data → model, with
problems as data; and as much as can be read of a text that does not parse (``salvage``).
A workspace's files are read by :mod:`~reformctl.ledger.workspace`;
:func:`reformctl.ledger.loader.load` picks between the two.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from reformctl.errors import InvalidLedger, Problem
from reformctl.ledger import cache
from reformctl.ledger.build import EarlyPoints, build_ledger
from reformctl.ledger.byparts import parse_by_parts
from reformctl.ledger.combine import Member, build_members, overlay, parsed_members
from reformctl.ledger.parse import (
    Loaded,
    TomlError,
    conflict_markers,
    decode_text,
    display_name,
    loads,
    parse_toml,
    paused_gc,
    read_bytes,
)
from reformctl.ledger.source import Header, SourceIndex
from reformctl.model import Ledger, Point
from reformctl.records import record
from reformctl.rules import Change


def load_file(path: Path) -> Loaded:
    """Read, parse, build and validate the one ledger file at ``path``. Raises only if
    unreadable. (A read keeps no parsed data: :attr:`Loaded.data` is None.)"""
    with paused_gc():
        return _load(path)


def _load(path: Path) -> Loaded:
    name = display_name(path)
    raw, problems = read_bytes(path, name)
    text, problems = (None, problems) if raw is None else decode_text(raw, name)
    if text is None:
        return Loaded(path, "", SourceIndex("", name), None, problems)
    if text.startswith("\ufeff"):
        # (a BOM is no part of the text: kept, the lexer would find no header on the first line)
        return _load_text(path, text.removeprefix("\ufeff"), name, keep=False)
    return _load_text(path, text, name, keep=False, content=raw)  # (its UTF-8: the bytes read)


def load_text(text: str, name: str, index: SourceIndex | None = None) -> Loaded:
    """Build and validate a ledger from text (a git revision's, for one). ``index``, when
    given, is the text's (a write's, which has scanned it already or will)."""
    with paused_gc():
        return _load_text(Path(name), text.removeprefix("\ufeff"), name, index)


def _load_text(
    path: Path,
    text: str,
    name: str,
    index: SourceIndex | None = None,
    keep: bool = True,
    content: bytes | None = None,
) -> Loaded:
    """The model of ``text``: from the cache when these exact bytes were read before under
    this name by this code (:mod:`reformctl.ledger.cache`), else parsed, built and checked.
    ``content``: the text's UTF-8 bytes when at hand (the file's, read). ``keep``: whether
    the parsed data is kept in :attr:`Loaded.data` (a write's proof and
    ``diff`` use it). A read does not keep it (issue 25: the data of 10,000 points is a third
    of a read's peak memory): the data is let go once the model is built, and the process
    that stores the cache's entries parses the text again for its data entry."""
    if index is None or index.text != text or index.file != name:
        index = SourceIndex(text, name)

    parsed: list[dict[str, Any] | None] = []

    def compute() -> tuple[Ledger | None, list[Problem], Any]:
        if len(text) > 1 << 20:
            _freed_blocks_merged_at_once()
        early = None if keep else EarlyPoints(index)  # (points built as their parts parse)
        data, problems = parse_by_parts(text, name, index, taker=early)
        if data is None:
            return None, problems, None
        parsed.append(data if keep else None)
        index.parsed = True  # (TOML 1.0: the build may find headers by their lines)
        built = early.points if early is not None else None
        ledger, problems = build_ledger(data, index, reuse=built, place=False)
        if not keep:
            del data  # (the model holds what it needs of it)
            return ledger, conflict_markers(text, name) + problems, _parsed_again(text, index)
        return ledger, conflict_markers(text, name) + problems, data

    if content is None:
        content = text.encode("utf-8", "surrogatepass")
    ledger, problems = cache.cached_model(content, name, compute)
    if cache.enabled():
        if not index.scanned:
            index.content = content  # its scan, when a place is asked for, from the cache
            if parsed:  # built without a scan: the process that stores the model scans it
                cache.store_scan(content, lambda: _scan_of(index))
        elif parsed:  # scanned to build the model: the next read's places come from the cache
            cache.store_scan(content, index.headers, index.stopped)
    return Loaded(path, text, index, ledger, problems, data=parsed[0] if parsed else None)


def _parsed_again(text: str, index: SourceIndex) -> Callable[[], dict[str, Any] | None]:
    """The data of ``text`` for the cache's entry, parsed when the entry is stored (by the
    process that stores it, after the command: the read let its own parse go)."""
    return lambda: parse_by_parts(text, index.file, index)[0]


def _scan_of(index: SourceIndex) -> tuple[list[Header], int | None]:
    """The headers of the index's text, scanned now (not from the cache) unless they were."""
    found = index if index.scanned else SourceIndex(index.text, index.file)
    return found.headers, found.stopped


def _freed_blocks_merged_at_once() -> None:
    """glibc keeps small freed blocks apart ("fastbins") until a larger block is asked for, then
    merges them all: after the parser frees the millions of nodes of a 10,000-point text, that
    is about 60 ms spent by whatever asks next (the build). Without fastbins each is merged as
    it is freed, for less in all (the parse takes no longer). Elsewhere than glibc: nothing."""
    try:
        # start-up: only the first read of a large text (over a megabyte) loads ctypes
        import ctypes

        ctypes.CDLL(None).mallopt(1, 0)  # M_MXFAST = 1: fastbins of at most 0 bytes
    except (AttributeError, OSError, TypeError):
        pass


def build_from_data(
    data: dict[str, Any],
    text: str,
    name: str,
    index: SourceIndex | None = None,
    reuse: dict[str, Point] | None = None,
    change: Change | None = None,
    place: bool = True,
    only: Collection[str] | None = None,
) -> Loaded:
    """The model and its problems from data already parsed (a write's proven result).
    ``index``, when given, is the text's (a write's: derived from the old text's); ``reuse``,
    points known to be built already, ``change`` what a write changed of a ledger that had no
    problem, ``place`` whether reused points are placed now (see
    :func:`~reformctl.ledger.build.build_ledger`)."""
    if index is None or index.text != text or index.file != name:
        index = SourceIndex(text, name)
    ledger, problems = build_ledger(data, index, reuse, change, place, only)
    return Loaded(Path(name), text, index, ledger, conflict_markers(text, name) + problems)


def parsed(text: str, name: str) -> dict[str, Any]:
    """The data of a TOML 1.0 text; :class:`InvalidLedger` at the syntax error if it is not."""
    data, problems = parse_toml(text.removeprefix("\ufeff"), name)
    if data is None:
        raise InvalidLedger(problems)
    return data


def parsed_data(text: str, name: str) -> dict[str, Any]:
    """:func:`parsed` of ``text``, from the cache's data entry of exactly its bytes when there
    is one (what ``diff`` compares: the working tree's text was read by the command before,
    the revision's when it was the working tree's); else parsed, and the data stored in the
    background for the next time."""
    if not cache.enabled():
        return parsed(text, name)
    content = text.removeprefix("\ufeff").encode("utf-8", "surrogatepass")
    found = cache.cached_data(content)
    if found is not None:
        return found
    data = parsed(text, name)
    cache.store_data(content, data)
    return data


def parsed_pair(
    old: str,
    old_name: str,
    new: str,
    new_name: str,
    old_data: dict[str, Any] | None = None,
    content: bytes | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """:func:`parsed` of two texts of one ledger (what ``diff`` compares), holding one
    text's data and the tables that changed, not two texts' data: the first is parsed by
    parts (or is ``old_data``, the cache's data entry of its bytes, ``content``: its
    headers then come from the cache too when it has them), the second proven from it
    where it differs (:func:`~reformctl.ledger.spanproof.prove_changed`, the proof of a
    write: the texts' common start and end are the text a write kept), its unchanged tables
    the first's; else parsed (by parts) too. Each error as :func:`parsed` says it, the
    first text's first."""
    # start-up: only `diff` compares two texts (the write's proof and splice)
    from reformctl.ledger.edit import Splice
    from reformctl.ledger.spanproof import prove_changed

    old, new = old.removeprefix("\ufeff"), new.removeprefix("\ufeff")
    index = SourceIndex(old, old_name)
    index.content = content
    if old_data is None:
        old_data, problems = parse_by_parts(old, old_name, index)
        if old_data is None:
            raise InvalidLedger(problems)
    if new == old:
        return old_data, old_data
    start, end = _common_ends(old, new)
    splice = Splice(start, len(old) - end, new[start : len(new) - end])
    edited = index.edited(new, [(splice.start, splice.end, len(splice.text))])
    new_data = prove_changed(old, new, [splice], index, edited, old_data)
    if new_data is None:
        new_data, problems = parse_by_parts(new, new_name, SourceIndex(new, new_name))
        if new_data is None:
            raise InvalidLedger(problems)
    return old_data, new_data


def parsed_data_pair(
    old: str, old_name: str, new: str, new_name: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """:func:`parsed_pair`, each side from the cache's data entry of exactly its bytes when
    both have one (as :func:`parsed_data`); else read as a pair (from the first's entry when
    it has one), and what was not in the cache stored in the background (each text's bytes
    encoded again there: two copies of 8.6 MB are not held meanwhile)."""
    if not cache.enabled():
        return parsed_pair(old, old_name, new, new_name)

    def encoded(text: str) -> bytes:
        return text.removeprefix("\ufeff").encode("utf-8", "surrogatepass")

    content = encoded(old)
    found = cache.cached_data(content)
    if found is not None:
        also = cache.cached_data(encoded(new))
        if also is not None:
            return found, also
    else:
        content = b""  # (its headers scanned, not looked up: its bytes are not held)
    old_data, new_data = parsed_pair(old, old_name, new, new_name, found, content or None)
    if found is None:
        cache.store_data(lambda: encoded(old), old_data)
    if new_data is not old_data:
        cache.store_data(lambda: encoded(new), new_data)
    return old_data, new_data


def _common_ends(a: str, b: str, block: int = 1 << 14) -> tuple[int, int]:
    """How many characters ``a`` and ``b`` share at their start, and then at their end (never
    overlapping what the start took, in either)."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i : i + (k := min(block, n - i))] == b[i : i + k]:
        i += k
    while i < n and a[i] == b[i]:
        i += 1
    la, lb, m = len(a), len(b), n - i
    j = 0
    while j < m and a[la - j - (k := min(block, m - j)) : la - j] == b[lb - j - k : lb - j]:
        j += k
    while j < m and a[la - 1 - j] == b[lb - 1 - j]:
        j += 1
    return i, j


@record(frozen=False)
class Salvaged:
    """What can be read of a text that may not parse: the data of every table that does, the
    lines of those that do not, and every problem (syntax, shape and rules)."""

    data: dict[str, Any]
    index: SourceIndex
    raw: list[tuple[int, str]]  # (first line, text) of the parts that do not parse
    problems: list[Problem]
    names: dict[str, Any] | None = None  # a workspace member's: the shared declarations too


def salvage(text: str, name: str, workspace: list[tuple[str, str]] | None = None) -> Salvaged:
    """Read as much of ``text`` as parses (for review: the textconv, history). ``workspace``
    is the other files (name, text; the shared one first) when ``text`` is one file of a
    workspace: their declarations name its references, and it is judged with them (only its
    own problems are shown)."""
    text = text.removeprefix("\ufeff")
    whole, syntax = parse_toml(text, name)
    if whole is not None and workspace:
        member = _as_member(whole, text, name, workspace)
        if member is not None:
            return member
    if whole is not None:  # parsed once: the facts and the model come from the same data
        loaded = build_from_data(whole, text, name)
        return Salvaged(whole, loaded.index, [], loaded.problems)
    index = SourceIndex(text, name)
    # table by table: each header's lines are a TOML document of their own
    bounds = [0, *(h.start for h in index.headers)]
    stop = index.stopped if index.stopped is not None else len(text)
    pieces = [(a, b) for a, b in zip(bounds, [*bounds[1:], stop], strict=True) if a < b]
    if stop < len(text):
        pieces.append((stop, len(text)))
    data: dict[str, Any] = {}
    raw: list[tuple[int, str]] = []
    for a, b in pieces:
        chunk = text[a:b]
        try:
            part = loads(chunk) if a < stop else None
        except TomlError:
            part = None
        if (part is None or not _merge_into(data, part)) and chunk.strip():
            raw.append((text.count("\n", 0, a) + 1, chunk))
    return Salvaged(data, index, raw, syntax)


def _as_member(
    whole: dict[str, Any], text: str, name: str, workspace: list[tuple[str, str]]
) -> Salvaged | None:
    """``text`` judged with the other files of its workspace. A file that holds a table this
    text holds is taken for another revision of this same file and left out."""

    def entries(data: dict[str, Any]) -> set[tuple[str, str]]:
        return {
            (top, key)
            for top, value in data.items()
            if top != "ledger" and isinstance(value, dict)
            for key in value
        }

    parsed, problems = parsed_members((Path(n), n, t.removeprefix("\ufeff")) for n, t in workspace)
    if problems:
        return None
    own = entries(whole)
    others = [
        m
        for i, m in enumerate(parsed)
        # the shared file, when this text is a revision of it; another revision of this file
        if not ((i == 0 and "ledger" in whole) or own & entries(m.data))
    ]
    mine = Member(Path(name), name, text, whole)
    members = [mine, *others] if "ledger" in whole else [*others, mine]
    indexes = [SourceIndex(m.text, m.name) for m in members]
    _, problems, merged = build_members(members, indexes, name)
    found = [p for p in problems if p.loc is not None and p.loc.file == name]
    return Salvaged(whole, indexes[members.index(mine)], [], found, overlay(merged, whole))


def unreadable(raw: bytes, problems: list[Problem]) -> Salvaged:
    """A text that is not UTF-8: nothing is read as facts; every line is shown raw (its bad
    bytes replaced) under the problem that says where the first one is."""
    text = raw.decode("utf-8", errors="replace")
    return Salvaged(
        {}, SourceIndex("", "ledger.toml"), [(1, text)] if text.strip() else [], problems
    )


def _merge_into(data: dict[str, Any], part: dict[str, Any]) -> bool:
    """Merge a table's data into the whole; False (nothing merged) where they clash."""

    def clash(a: dict[str, Any], b: dict[str, Any]) -> bool:
        for key, value in b.items():
            if key in a:
                if not (isinstance(a[key], dict) and isinstance(value, dict)):
                    return True
                if clash(a[key], value):
                    return True
        return False

    def merge(a: dict[str, Any], b: dict[str, Any]) -> None:
        for key, value in b.items():
            if key in a and isinstance(a[key], dict) and isinstance(value, dict):
                merge(a[key], value)
            else:
                a[key] = value

    if clash(data, part):
        return False
    merge(data, part)
    return True
