"""Writes are atomic, locked and verified.

Under the lock: write the new text to a temporary file beside the ledger, fsync it, give it the
old file's mode, read it back and verify it (bytes as intended, and the caller's check of the
parsed result), then rename it over the ledger and fsync the folder (:mod:`reformctl.ledger.
atomic`). On any failure the old file stands, byte for byte.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reformctl.errors import InvalidLedger, ReformctlError, RefusedChange
from reformctl.ledger import cache, spanproof, tomltext
from reformctl.ledger.atomic import fsync_dir, replace_verified, staging, tmp_path, write_verified
from reformctl.ledger.canonical import canonical, same_facts
from reformctl.ledger.combine import Member, build_members, overlay, parsed_members
from reformctl.ledger.config import is_config
from reformctl.ledger.edit import Source, expected_data, prove, within_limit
from reformctl.ledger.loader import load
from reformctl.ledger.lock import LedgerLock
from reformctl.ledger.parse import display_name, paused_gc
from reformctl.ledger.parse import display_name as shown
from reformctl.ledger.placing import entry_keys, placed
from reformctl.ledger.read import build_from_data, load_text
from reformctl.ledger.route import route
from reformctl.ledger.source import SourceIndex
from reformctl.ledger.workspace import content_of, load_workspace, read_config, read_texts
from reformctl.model import SCHEMA_VERSION
from reformctl.rules import Change as RuleChange
from reformctl.rules import keys_of

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from reformctl.errors import Problem
    from reformctl.ledger.changes import Change
    from reformctl.ledger.combine import Member
    from reformctl.ledger.config import Workspace
    from reformctl.ledger.edit import Source, Splice
    from reformctl.ledger.source import SourceIndex
    from reformctl.model import Ledger, Point


def initial_text(
    year: int, title: str, timezone: str, settings: Mapping[str, str | None] | None = None
) -> str:
    extra = "".join(
        f"{key} = {tomltext.string(value)}\n"
        for key, value in (settings or {}).items()
        if value is not None
    )
    return (
        "# 改革工作要点台账 — reformctl ledger (docs/ledger-format.md)\n"
        f"schema = {SCHEMA_VERSION}\n"
        "\n"
        "[ledger]\n"
        f"title = {tomltext.string(title)}\n"
        f"year = {year}\n"
        f"timezone = {tomltext.string(timezone)}\n"
        f"{extra}"
    )


def first_text(
    path: Path,
    head: str,
    plan: Callable[[Source], Change],
) -> str:
    """A new ledger's text: ``head`` (see :func:`initial_text`) with ``plan``'s change made
    and proven as a write to an existing ledger is (the whole text parsed, its data the head's
    plus exactly the change)."""

    src = Source.from_bytes(head.encode("utf-8"), path)
    change = plan(src)
    new_text = src.apply(change.splices)
    prove(src.text, new_text, change.splices, src.name, src.index)
    return new_text


def create_ledger(path: Path, year: int, title: str, timezone: str, text: str | None = None) -> str:
    """Create a new ledger (``text``, else an empty one); refuses if the file exists, or if
    the text has any problem. Returns its display name."""

    name = display_name(path)
    if path.exists():
        raise ReformctlError("ledger-exists", file=name)
    text = text if text is not None else initial_text(year, title, timezone)

    def verify(written: str) -> None:
        if written != text:
            raise ReformctlError("write-verify-failed", file=name, detail="text")
        problems = load_text(written, name).problems  # (named as the ledger, not its temp)
        if problems:
            raise InvalidLedger(problems)

    if not path.parent.exists():
        raise ReformctlError("ledger-unreadable", file=name, reason="no such folder")
    with LedgerLock(path):
        tmp = tmp_path(path)
        try:
            write_verified(tmp, text.encode("utf-8"), None)
            verify(tmp.read_text(encoding="utf-8"))
            try:
                os.link(tmp, path)  # fails if the ledger appeared meanwhile: never overwrite
            except FileExistsError:
                raise ReformctlError("ledger-exists", file=name) from None
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        fsync_dir(path.parent.resolve())
    return name


def target(path: Path) -> Path:
    """The file a write goes to: a symlinked ledger (a shared folder) is followed, so that the
    target is written and locked, whichever path a clerk used."""
    return Path(os.path.realpath(path))


def _writable(path: Path, name: str) -> os.stat_result:
    """The ledger's status, refusing what cannot or must not be rewritten."""
    import stat

    try:
        st = path.stat()
    except FileNotFoundError:
        raise ReformctlError("ledger-missing", file=name) from None
    if not stat.S_ISREG(st.st_mode):
        raise ReformctlError("ledger-not-file", file=name)
    if not st.st_mode & 0o222:
        raise ReformctlError("ledger-read-only", hint="hint-read-only", file=name)
    return st


def _clean_temp_files(path: Path) -> None:
    """Temporary files of writers that died: the lock is held, so no live writer owns one."""
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()


def _unchanged_since(path: Path, st: os.stat_result, raw: bytes, name: str) -> None:
    """Compare-and-swap: git (which takes no lock of ours) may have rewritten the file since it
    was read; then the write is refused rather than undoing git's change."""
    try:
        now = path.stat()
        same = (now.st_size, now.st_mtime_ns, now.st_ino) == (st.st_size, st.st_mtime_ns, st.st_ino)
        if same:
            same = path.read_bytes() == raw
    except OSError:
        same = False
    if not same:
        raise ReformctlError("ledger-changed-under", file=name)


def transact(
    path: Path, plan: Callable[[Source], Change], within: Workspace | None = None
) -> Change:
    """Make one change to the ledger: under the lock, read, plan, splice, prove, replace.

    ``plan`` reads what it needs from the :class:`Source` and returns the splices (or raises a
    refusal). Before the new text replaces the ledger it is proven: parsed whole as TOML 1.0,
    its data must equal the old data with exactly the intended change; then the ledger's rules
    (:mod:`reformctl.rules`, the ones ``check`` runs) must find no problem the old text did not
    have. The file must not have changed since it was read. On any failure the old file stands.

    ``within`` a workspace, ``path`` is one of its files: lookups see the other files' tables,
    and the rules judge the whole workspace as it would be.
    """

    path = target(path)
    name = display_name(path)
    _writable(path, name)
    with LedgerLock(path), paused_gc():
        _clean_temp_files(path)
        st = _writable(path, name)
        raw = path.read_bytes()
        # start-up: loaded with the cache already (a name, not a module, imported here)
        from reformctl.ledger.store import digest_ahead

        digest_ahead(raw)  # (for the keys of its cache entries: hashed while it is decoded)
        src = Source.from_bytes(raw, path)
        # a ledger with a problem takes no change until it is fixed: the write would be
        # planned on facts that are not what they seem (and check names the problem first)
        others: list[Member] = []
        old_ledger: Ledger | None = None
        old_data: dict[str, Any] | None = None
        # the text's UTF-8 bytes: the file's own, when it has no BOM and no CRLF to drop
        plain = not src.bom and src.newline == "\n"
        content = raw if plain else src.text.encode("utf-8", "surrogatepass")
        if within is None:
            # (the old model is loaded only when the cache cannot say the text had no problem)
            old_data = _known_clean(src, content)
            if old_data is not None:
                before = []
            else:
                loaded = load_text(src.text, src.name, src.index)
                before, old_ledger, old_data = loaded.problems, loaded.ledger, loaded.data
                del loaded
        else:
            before, others = _workspace_before(within, path)
            src.context = _context(others)
            src.context_files = _holders(others)
        if before:
            raise InvalidLedger(before)
        change = plan(src)
        new_text = src.apply(change.splices)
        data = src.encode_spliced(change.splices, new_text)
        encoded = data.encode("utf-8")  # (strict: as within_limit was, a surrogate refused here)
        within_limit(new_text, src.name, len(encoded) if plain else None)
        # the new bytes go to the temporary file, and to the disk, while the change is proven
        # and checked: renamed over the ledger only once both have passed (else removed)
        with staging(tmp_path(path), encoded, st.st_mode) as staged:
            # the old text's data as the parser gave it for these exact bytes (just now, when the
            # model was not in the cache; else before, if cached)
            if old_data is None:
                old_data = cache.cached_data(content)
            # the new text's index: the old one's, with the edited lines lexed again
            index = src.index.edited(
                new_text, [(s.start, s.end, len(s.text)) for s in change.splices]
            )
            new_data, by_sections = _proven_how(src, new_text, change.splices, index, old_data)
            # (the old data from the cache's entry: each distinct string and date one object)
            shared = by_sections and within is None and old_ledger is None
            if within is None and old_ledger is None and old_data is not None:
                # the points the write changed are built, the rest when a rule asks for them
                known = RuleChange.of(entry_keys(old_data, src.index), _paths(change.splices))
                touched = _touched_points(change.splices)
                new_ledger = _no_new_problems(
                    src, new_text, new_data, index, changed=known, only=touched
                )
                model: Callable[[], Ledger | None] = functools.partial(
                    _model_after, content, src.name, new_data, index, change.splices, known
                )
            elif within is None:
                reuse = _unchanged_points(old_ledger, change.splices)
                changed = _changed(old_ledger, change.splices)
                old_ledger = None  # (the build takes the points it places from ``reuse``)
                # (its reused points at their old places: only the cache's entry is read again)
                new_ledger = _no_new_problems(src, new_text, new_data, index, reuse, changed)
                model = functools.partial(_placed, new_ledger, index)
            else:
                new_ledger = _no_new_problems_in(within, others, src, new_text, new_data, index)

            def verify(written: str) -> None:
                if written != data:
                    raise ReformctlError("write-verify-failed", file=src.name, detail="bytes")
                _unchanged_since(path, st, raw, src.name)

            replace_verified(path, data, verify, encoded, staged)
    if within is not None and cache.enabled():
        _store_workspace(within, others, src, data, new_ledger)
    elif data == new_text and cache.enabled():
        # what the next read will find: its model is the one just checked, each point placed
        # where the new text has it (by the process that stores it), its data the one proven
        # (its key, a hash of the whole new text, is made by the process that stores it; its
        # data and that it is clean go first, then its headers: what the next write reads)
        entry = functools.partial(cache.key, "model", encoded, src.name)
        scan = cache.store_scan(encoded, index.headers, index.stopped, now=False)
        # (proven by its sections from the old text's cached data: the next write's entries
        # go first as steps from the old text's, a fraction of their cost: cache.store_step)
        step = None
        if shared and old_data is not None and src.index.scanned:
            step = functools.partial(
                cache.store_step,
                encoded,
                content,
                old_data,
                new_data,
                src.index.headers,
                index.headers,
            )
        cache.store_model(
            entry,
            model,
            [],
            data=(encoded, new_data),
            shared=shared,
            checked=True,
            then=scan,
            step=step,
            current=functools.partial(_still_written, path, _identity(path)),
        )
    return change


def _identity(path: Path) -> tuple[int, int, int] | None:
    """The file at ``path`` as the system knows it: inode, size, modification time."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def _still_written(path: Path, written: tuple[int, int, int] | None) -> bool:
    """Whether the file at ``path`` is still the one a write left (no other write, restore or
    checkout since): else its text's model would be read by no one."""
    return written is None or _identity(path) == written


def _proven(
    src: Source,
    new_text: str,
    splices: Sequence[Splice],
    index: SourceIndex,
    old_data: dict[str, Any] | None,
) -> dict[str, Any]:
    """The new text's data, proven to be the old data with exactly the splices' change: from
    the sections the change touched when :mod:`reformctl.ledger.spanproof` can prove it (the
    old text parsed whole before), else by parsing the whole new text
    (:func:`~reformctl.ledger.edit.prove`, which also names the first difference when the
    change is not what the splices say)."""
    return _proven_how(src, new_text, splices, index, old_data)[0]


def _proven_how(
    src: Source,
    new_text: str,
    splices: Sequence[Splice],
    index: SourceIndex,
    old_data: dict[str, Any] | None,
) -> tuple[dict[str, Any], bool]:
    """:func:`_proven`, and whether by the sections (the new data then shares with the old
    data every table the change did not touch)."""
    if old_data is not None:
        found = spanproof.prove_changed(src.text, new_text, splices, src.index, index, old_data)
        if found is not None and found == expected_data(old_data, src.index, splices):
            return found, True
    return prove(src.text, new_text, splices, src.name, src.index, old_data), False


def transact_at(
    path: Path, plan: Callable[[Source], Change], at: tuple[str, ...] | None = None
) -> Change:
    """:func:`transact` on a ledger or a workspace (``path`` its ``reformctl.toml``): there the
    write goes to the file that holds table ``at`` (see :func:`~reformctl.ledger.route.route`)."""

    if not is_config(path):
        return transact(path, plan)
    ws = read_config(path)
    return transact(route(ws, at), plan, ws)


def _store_workspace(
    ws: Workspace, others: list[Member], src: Source, written: str, ledger: Ledger | None
) -> None:
    """What the next command will read: the workspace's model after this write, stored under
    the files' texts as they now are (as :func:`workspace.load_workspace` keys it)."""

    texts = {m.path: (m.name, m.text) for m in others}
    texts[src.path] = (src.name, written.removeprefix("\ufeff"))
    named = []
    for file in ws.files:
        real = Path(os.path.realpath(file))
        found = texts.get(real) or texts.get(file)
        if found is None or found[0] != display_name(file):
            return  # a name differs from the one the next read will use: no entry is better
        named.append(found)
    entry = cache.key(cache.WORKSPACE, content_of(named), display_name(ws.config))
    cache.store_model(entry, ledger, [])


def _workspace_before(ws: Workspace, path: Path) -> tuple[list[Problem], list[Member]]:
    """The workspace's problems now, and its other files as read."""

    loaded = load_workspace(ws)
    if loaded.problems:
        return loaded.problems, []
    texts, problems = read_texts(ws, skip=path)
    if problems:
        return problems, []
    members, problems = parsed_members(texts)
    return problems, members


def workspace_context(ws: Workspace, path: Path) -> dict[str, Any]:
    """What a write to ``path`` sees of the workspace's other files (their data)."""
    _, others = _workspace_before(ws, target(path))
    return _context(others)


def _holders(others: list[Member]) -> dict[tuple[str, str], str]:
    """Which of the other files holds each table (the first, as the build takes it)."""
    out: dict[tuple[str, str], str] = {}
    for member in others:
        for top, value in member.data.items():
            if isinstance(value, dict):
                for key in value:
                    out.setdefault((top, key), member.name)
    return out


def _context(others: list[Member]) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for member in reversed(others):  # the first file's table wins, as the build takes it
        context = overlay(context, member.data)
    return context


def _no_new_problems_in(
    ws: Workspace,
    others: list[Member],
    src: Source,
    new_text: str,
    new_data: dict[str, Any],
    index: SourceIndex,
) -> Ledger | None:
    """As :func:`_no_new_problems`, on the whole workspace with this file as it would be."""

    mine = Member(src.path, src.name, new_text, new_data)
    members = []
    for file in ws.files:
        if Path(os.path.realpath(file)) == src.path:
            members.append(mine)
        else:
            members += [m for m in others if m.path == file]
    indexes = [index if m is mine else SourceIndex(m.text, m.name) for m in members]
    ledger, after, _ = build_members(members, indexes, shown(ws.config))
    if after:
        raise RefusedChange("write-breaks-rule", problem=after[0], more=len(after) - 1)
    return ledger  # type: ignore[no-any-return]


def _unchanged_points(old: Ledger | None, splices: Sequence[Splice]) -> dict[str, Point]:
    """The old model's points whose tables no splice touches. The proof
    (:func:`~reformctl.ledger.edit.prove`) has shown the new data to be the old data with
    exactly the splices' changes, each to the table it names (or the tables it adds or
    removes): every other point's table is the same, so its model object is too."""
    if old is None:
        return {}
    touched: set[str] = set()
    for s in splices:
        for path in (s.table, s.removes, *(p for p, _ in s.adds)):
            if path is not None and path[:1] == ("points",):
                if len(path) < 2:
                    return {}  # the whole section: nothing is known to stay
                touched.add(path[1])
    return {pid: p for pid, p in old.points.items() if pid not in touched}


def _known_clean(src: Source, content: bytes) -> dict[str, Any] | None:
    """The old text's data, when the cache says this code read exactly these bytes under this
    name and found no problem (:func:`~reformctl.ledger.cache.known_clean`) and holds their
    data: then the old model is not loaded (the write builds the points it changes; the
    process that stores the new text's entry, the rest). Else None."""
    if not cache.enabled() or not cache.known_clean(content, src.name):
        return None
    data = cache.cached_data(content)
    if data is not None and not src.index.scanned:
        src.index.content = content  # (its headers from the cache as well)
    return data


def _paths(splices: Sequence[Splice]) -> list[tuple[str, ...]]:
    """The tables the splices change, add or remove."""
    paths = [p for s in splices for p in (s.table, s.removes, *(a for a, _ in s.adds))]
    return [p for p in paths if p is not None]


def _touched_points(splices: Sequence[Splice]) -> set[str] | None:
    """The points whose tables the splices change, add or remove (None: the whole section)."""
    touched: set[str] = set()
    for path in _paths(splices):
        if path[:1] == ("points",):
            if len(path) < 2:
                return None
            touched.add(path[1])
    return touched


def _changed(old: Ledger | None, splices: Sequence[Splice]) -> RuleChange | None:
    """What the splices change of the old model, for the rules (each judges only what its
    scope says the change can affect): the tables they name, which the proof has shown are
    the only ones that differ. None (every rule judges everything) without the old model."""
    if old is None:
        return None
    return RuleChange.of(keys_of(old), _paths(splices))


def _placed(ledger: Ledger | None, index: SourceIndex) -> Ledger | None:
    return None if ledger is None else placed(ledger, index)


def _model_after(
    old_content: bytes,
    name: str,
    new_data: dict[str, Any],
    index: SourceIndex,
    splices: Sequence[Splice],
    changed: RuleChange,
) -> Ledger:
    """The new text's model, for the cache (run by the process that stores it): the old
    model's points that no splice touched (from its entry; the proof has shown their tables
    unchanged), placed at their new lines, and the rest built from the new data."""
    found = cache.model_of(old_content, name)
    old = found[0] if found is not None and not found[1] else None
    built = build_from_data(
        new_data, index.text, name, index, _unchanged_points(old, splices), changed
    )
    return built.ledger  # type: ignore[return-value]


def _no_new_problems(
    src: Source,
    new_text: str,
    new_data: dict[str, object],
    index: SourceIndex | None = None,
    reuse: dict[str, Point] | None = None,
    changed: RuleChange | None = None,
    only: set[str] | None = None,
) -> Ledger | None:
    """The rules ``check`` runs, on the ledger as it would be: a write that adds a problem is
    refused, naming the rule and the place. Returns the new ledger. ``reuse``: the old
    model's points whose tables the write left as they were (see :func:`_unchanged_points`)
    are taken, not built again, at their old places (:func:`~reformctl.ledger.build.placed`
    puts them where the new text has them); ``changed``: what the write changed of the old
    model (which had no problem), so that each rule judges only what its scope says it can
    affect."""

    built = build_from_data(
        new_data, new_text, src.name, index, reuse, changed, place=False, only=only
    )
    after = built.problems
    if after:  # the ledger had none before
        raise RefusedChange("write-breaks-rule", problem=after[0], more=len(after) - 1)
    return built.ledger


def format_all(path: Path, write: bool) -> list[tuple[str, bool]]:
    """:func:`format_ledger` on a ledger, or on every file of a workspace (judged whole
    first: a workspace with a problem is refused at its first one)."""

    if not is_config(path):
        return [format_ledger(path, write)]
    ws = read_config(path)
    loaded = load_workspace(ws)
    if loaded.problems:
        raise InvalidLedger(loaded.problems)
    return [format_ledger(f, write, judged=True) for f in ws.files]


def format_ledger(path: Path, write: bool, judged: bool = False) -> tuple[str, bool]:
    """Put the ledger in canonical form (if ``write``); returns its name and whether it was not.

    Only a ledger that parses and is valid is judged or reformatted: a file that does not
    parse, breaks a rule or holds conflict markers is refused (exit 2, at its first problem).
    """

    path = target(path)
    name = display_name(path)
    if not judged:  # (a workspace's file is judged with the others, by the caller)
        loaded = load(path)
        if loaded.problems:
            raise InvalidLedger(loaded.problems)
    if not write:
        src = Source.read(path)
        return src.name, canonical(src.text) != src.text
    _writable(path, name)
    with LedgerLock(path):
        st = _writable(path, name)
        raw = path.read_bytes()
        src = Source.from_bytes(raw, path)
        new_text = canonical(src.text)
        if new_text == src.text:
            return src.name, False
        data = src.encode(new_text)

        def verify(written: str) -> None:
            if written != data or not same_facts(src.text, new_text, src.name):
                raise ReformctlError("write-verify-failed", file=src.name, detail="fmt")
            _unchanged_since(path, st, raw, src.name)

        replace_verified(path, data, verify)
    return src.name, True
