"""Three-way merge of ledgers by key: the git merge driver.

Tables are matched by their key path, never by line position, so two clerks who add different
points, milestones or monthly entries (even at the same place in the file) merge cleanly. The
result starts from *ours* (with its comments and layout) and takes *theirs*' changes relative to
the base: tables they added are copied with their own text, keys they changed are set, tables
they removed are removed. The same key changed to different values on both sides stays a
conflict for a person: marked in the file as git does, and the driver exits non-zero.

Then, so that nothing either side wrote is lost: where git's own line merge is clean and reads
as exactly the same facts, its text is taken (it keeps comments and layout from both sides); a
side that only reformatted (``fmt``) has the result put in canonical form; and the result is
checked by the ledger's rules: a problem that neither side had is a conflict, named by a
comment at its place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from reformctl.errors import ReformctlError
from reformctl.i18n import tr
from reformctl.ledger import tomltext
from reformctl.ledger.canonical import canonical
from reformctl.ledger.edit import Source, Splice, parse_fragment
from reformctl.ledger.lexer import ScanError, content_end, statements
from reformctl.ledger.linemerge import merge_by_table
from reformctl.ledger.lineproof import line_merge_proven
from reformctl.ledger.mergetext import (
    MISSING,
    PLAIN,
    Labels,
    MergeResult,
    entry_value,
    keep_comments,
    markers,
)
from reformctl.ledger.parse import TomlError, loads, paused_gc
from reformctl.ledger.read import build_from_data, load_text, salvage
from reformctl.ledger.source import Path_
from reformctl.model import natural_key


def _own(data: Mapping[str, Any], path: Path_, implicit: set[Path_]) -> dict[str, Any] | None:
    """A table's own keys (sub-tables defined by headers of their own are tables too)."""
    value: Any = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, dict):
        return None
    return {k: v for k, v in value.items() if not (isinstance(v, dict) and (*path, k) in implicit)}


def _render(key: str, value: Any) -> str:
    return f"{tomltext.key(key)} = {tomltext.value_block(value)}\n"


class _Merger:
    def __init__(
        self,
        base: str,
        ours: str,
        theirs: str,
        name: str,
        labels: Labels = PLAIN,
        lang: str = "zh",
    ) -> None:
        self.name = name
        self.lang = lang
        self.labels = labels
        self.o = Source.from_text(base, name)
        self.a = Source.from_text(ours, name)
        self.b = Source.from_text(theirs, name)
        self.od = parse_fragment(self.o.text, name)
        self.ad = parse_fragment(self.a.text, name)
        self.bd = parse_fragment(self.b.text, name)
        self.splices: list[Splice] = []
        self.conflicts: list[str] = []

    def run(self) -> MergeResult:
        # Only the entries (points, units, groups, [ledger]...) that theirs changed need work:
        # one equality test per entry skips the rest of a 10,000-point ledger.
        headers = [h.path for h in self.b.index.headers if not h.array]
        headers += [
            h.path for h in self.o.index.headers if not h.array and not self.b.has_header(h.path)
        ]
        changed = {p[:2] for p in headers if entry_value(self.od, p) != entry_value(self.bd, p)}
        paths = [p for p in headers if p[:2] in changed]
        implicit = {
            p[:i]
            for src in (self.o, self.a, self.b)
            for h in src.index.headers
            if h.path[:2] in changed
            for p in [h.path]
            for i in range(1, len(p) + 1)
        }
        implicit |= {p[:1] for p in headers}
        tables = {}
        for path in [(), *dict.fromkeys(paths)]:
            tables[path] = tuple(_own(d, path, implicit) for d in (self.od, self.ad, self.bd))
        added_subtrees: set[Path_] = set()
        for entry in sorted(changed):
            if self._entry_conflict(entry):
                added_subtrees.add(entry)
        for path, (o, a, b) in tables.items():
            if any(path[: len(p)] == p for p in added_subtrees):
                continue
            if b is not None and o is None and a is None:
                self._add(path, added_subtrees)
            elif b is not None and a is not None:
                self._keys(path, o or {}, a, b)
            elif b is None and o is not None and a is not None:
                if a == o:
                    self.splices.append(self.a.remove_table(path))
                else:
                    self._conflict_table(path, "merge-removed-there")
            elif b is not None and o is not None and a is None and b != o:
                self._conflict_table(path, "merge-removed-here")
        text = self.a.apply(self.splices)
        return MergeResult(self.a.encode(text), self.conflicts)

    # -- keys --------------------------------------------------------------------------------
    def _keys(self, path: Path_, o: dict[str, Any], a: dict[str, Any], b: dict[str, Any]) -> None:
        changes: dict[str, Any] = {}
        conflicts: dict[str, Any] = {}
        for key in [
            *a,
            *(k for k in b if k not in a),
            *(k for k in o if k not in a and k not in b),
        ]:
            ov, av, bv = o.get(key, MISSING), a.get(key, MISSING), b.get(key, MISSING)
            if bv == ov or av == bv:
                continue
            if av == ov:
                changes[key] = None if bv is MISSING else bv
            else:
                conflicts[key] = bv
        if not changes and not conflicts:
            return
        if path == ():
            self._root(changes, conflicts)
            return
        splice = self.a.set_fields(path, changes) if changes else None
        if conflicts:
            splice = self._mark(path, splice, conflicts)
        if splice is not None:
            self.splices.append(splice)

    def _root(self, changes: dict[str, Any], conflicts: dict[str, Any]) -> None:
        end = self.a.index.headers[0].start if self.a.index.headers else len(self.a.text)
        found = {s.key[0]: s for s in statements(self.a.text, 0, end) if len(s.key) == 1}
        for key, value in {**changes, **conflicts}.items():
            stmt = found.get(key)
            new = "" if value is None or value is MISSING else _render(key, value)
            if key in conflicts:
                ours = self.a.text[stmt.start : stmt.end] if stmt else ""
                new = markers(ours, new, self.labels)
                self.conflicts.append(key)
            if stmt is not None:
                self.splices.append(Splice(stmt.start, stmt.end, new))
            else:
                self.splices.append(Splice(end, end, new))

    def _entry_conflict(self, entry: Path_) -> bool:
        """A point (or unit, group...) one side removed and the other changed is one conflict
        over the whole of it: the hunk of the side that kept it holds all its tables, so
        either hunk alone is that side's ledger."""
        if len(entry) < 2 or entry_value(self.od, entry) is MISSING:
            return False
        a, b = entry_value(self.ad, entry), entry_value(self.bd, entry)
        if a is MISSING and b is not MISSING and self.b.has_header(entry):
            theirs = self._block(self.b, entry, True)
            marked = markers("", theirs, self.labels)
            self.splices.append(self.a.insert_block(self._place(entry), marked))
            self._conflicted(entry, "merge-removed-here")
            return True
        if b is MISSING and a is not MISSING and a != entry_value(self.od, entry):
            if not self.a.has_header(entry):
                return False
            start, end = self.a.block_start(entry), self.a.subtree_end(entry)
            self.splices.append(
                Splice(start, end, markers(self.a.text[start:end], "", self.labels))
            )
            self._conflicted(entry, "merge-removed-there")
            return True
        return False

    def _conflicted(self, path: Path_, why: str) -> None:

        self.conflicts.append(f"{'.'.join(path)} ({tr(why, self.lang)})")

    def _mark(self, path: Path_, splice: Splice | None, conflicts: dict[str, Any]) -> Splice:
        """Conflict markers around each conflicting key, in the table's (edited) text."""
        header = self.a.index.headers[self.a.index.by_path[path]]
        start, end = header.start, self.a.content_end(path)
        text = splice.text if splice is not None else self.a.text[start:end]
        body = text.index("\n") + 1 if "\n" in text else len(text)
        found = {s.key[0]: s for s in statements(text, body, len(text)) if len(s.key) == 1}
        pieces, pos = [], 0
        extra = ""
        for key, theirs in sorted(
            conflicts.items(), key=lambda kv: found[kv[0]].start if kv[0] in found else len(text)
        ):
            stmt = found.get(key)
            theirs_text = "" if theirs is MISSING else _render(key, theirs)
            if stmt is None and self._tables_of(self.a, (*path, key)) is not None:
                # an array of tables ([[...]] headers after the table): its blocks, each side's
                # as a whole, so that either hunk alone is that side's array
                self._mark_tables(path, key, theirs)
            elif stmt is None:
                extra += markers("", theirs_text, self.labels)
            else:
                pieces += [
                    text[pos : stmt.start],
                    markers(text[stmt.start : stmt.end], theirs_text, self.labels),
                ]
                pos = stmt.end
            self.conflicts.append(".".join((*path, key)))
        pieces.append(text[pos:])
        new = "".join(pieces)
        if extra:
            new += ("" if new.endswith("\n") else "\n") + extra
        return Splice(start, end, new)

    def _tables_of(self, src: Source, path: Path_) -> tuple[int, int] | None:
        """The span of an array of tables' ``[[path]]`` blocks (from the first one's comments
        to the last one's content), or None when ``src`` has no such header."""
        at = [i for i, h in enumerate(src.index.headers) if h.array and h.path == path]
        if not at:
            return None

        first = src.index.headers[at[0]]
        start = first.start
        floor = src.content_end(src.index.headers[at[0] - 1].path) if at[0] > 0 else 0
        while start > floor:
            prev = src.text.rfind("\n", 0, start - 1) + 1
            if prev < floor or not src.text[prev:start].lstrip().startswith("#"):
                break
            start = prev
        last = src.index.headers[at[-1]]
        return start, content_end(src.text, last.body, src.index.span_at(at[-1])[1])

    def _mark_tables(self, path: Path_, key: str, theirs: Any) -> None:
        """Conflict markers around ours' ``[[path.key]]`` blocks, theirs' array as they wrote
        it (their blocks) or as blocks of the same form."""
        span = self._tables_of(self.a, (*path, key))
        assert span is not None
        start, end = span
        theirs_span = self._tables_of(self.b, (*path, key))
        if theirs_span is not None:
            theirs_text = self.b.text[theirs_span[0] : theirs_span[1]]
        elif isinstance(theirs, list) and all(isinstance(item, dict) for item in theirs):
            header = f"[[{'.'.join(tomltext.key(k) for k in (*path, key))}]]\n"
            theirs_text = "\n".join(
                header + "".join(_render(k, v) for k, v in item.items()) for item in theirs
            )
        else:
            theirs_text = "" if theirs is MISSING else _render(key, theirs)
        self.splices.append(
            Splice(start, end, markers(self.a.text[start:end], theirs_text, self.labels))
        )

    # -- tables ------------------------------------------------------------------------------
    def _block(self, src: Source, path: Path_, subtree: bool) -> str:
        headers = (
            [h for h in src.index.headers if h.path[: len(path)] == path]
            if subtree
            else [src.index.headers[src.index.by_path[path]]]
        )
        start = src.block_start(path)
        end = src.content_end(max(headers, key=lambda h: h.start).path)
        return src.text[start:end]

    def _add(self, path: Path_, added_subtrees: set[Path_]) -> None:
        """Copy a table they added (a whole point with its milestones, if the point is new)."""
        a = self.a
        entry = path[:2]
        if (
            len(path) > 2
            and entry_value(self.ad, entry) is MISSING
            and entry_value(self.od, entry) is not MISSING
        ):
            self._conflict_table(path, "merge-removed-here")
            return
        subtree = len(path) == 2 and path[0] == "points"
        if subtree:
            added_subtrees.add(path)
        block = self._block(self.b, path, subtree)
        pos = self._place(path)
        self.splices.append(a.insert_block(pos, block))

    def _place(self, path: Path_) -> int:
        a = self.a
        headers = a.index.headers
        if len(path) == 2 and path[0] == "points":
            later = [
                h
                for h in headers
                if len(h.path) == 2
                and h.path[0] == "points"
                and natural_key(h.path[1]) > natural_key(path[1])
            ]
            if later:
                return a.block_start(min(later, key=lambda h: natural_key(h.path[1])).path)
        if len(path) >= 3 and path[0] == "points" and a.has_header(path[:2]):
            siblings = [h for h in headers if h.path[: len(path) - 1] == path[:-1]]
            if path[2] == "milestones" and siblings:
                return a.content_end(max(siblings, key=lambda h: h.start).path)
            return a.subtree_end(path[:2])
        same = [h for h in headers if len(h.path) == len(path) and h.path[:-1] == path[:-1]]
        if same:
            return a.subtree_end(max(same, key=lambda h: h.start).path)
        return len(a.text)

    def _conflict_table(self, path: Path_, why: str) -> None:
        self._conflicted(path, why)
        if self.a.has_header(path):
            start, end = self.a.block_start(path), self.a.content_end(path)
            theirs = self._block(self.b, path, False) if self.b.has_header(path) else ""
            marked = markers(self.a.text[start:end], theirs, self.labels)
            self.splices.append(Splice(start, end, marked))
        else:
            theirs = self._block(self.b, path, False)
            marked = markers("", theirs, self.labels)
            self.splices.append(self.a.insert_block(self._place(path), marked))


def merge(
    base: str,
    ours: str,
    theirs: str,
    name: str,
    line_merge: LineMerge | None = None,
    workspace: list[tuple[str, str]] | None = None,
    *,
    proven_first: bool = True,
    labels: Labels = PLAIN,
    lang: str = "zh",
) -> MergeResult:
    """Merge ``theirs`` into ``ours`` relative to ``base`` (all three as text). ``line_merge``
    is git's line merge (clean text, or None), tried for a result that keeps every comment:
    first on its own (:func:`line_merge_proven`), unless ``proven_first`` is False (the
    caller tried). ``workspace`` is the other files (name, text) when the ledger is one file
    of a workspace: the result is judged with them. ``labels`` name the sides in conflict
    markers; ``lang`` is the language conflicts are named in."""

    with paused_gc():
        merged = line_merge(base, ours, theirs) if line_merge is not None else None
        if merged is not None and proven_first:
            fast = line_merge_proven(lambda: (base, ours, theirs), merged, name, workspace)
            if fast is not None:
                return fast
        merger = _Merger(base, ours, theirs, name, labels, lang)
        result = merger.run()
        if result.conflicts:
            return result
        try:
            facts = loads(result.text.removeprefix("\ufeff"))
        except TomlError as exc:  # a form the keyed merge cannot take (arrays of tables)
            raise ReformctlError("merge-unreadable", detail=str(exc).splitlines()[0]) from None
        lined = False
        if merged is not None and merged != result.text and _same_facts(merged, facts):
            result, lined = MergeResult(merged), True
        if not lined:
            # git's line merge conflicted (or read otherwise) where the sides' lines only
            # touch: merged by table and key, each side's text as it wrote it, taken when
            # the whole of it reads as the keyed merge (base + ours' + theirs' changes)

            tabled = merge_by_table(base, ours, theirs)
            if tabled is not None and (tabled == result.text or _same_facts(tabled, facts)):
                result, lined = MergeResult(tabled), True
        if not lined:
            result = _their_layout(merger, result, facts, name)
        # a side that only reformatted has the same facts as the base (checked first: cheap)
        if (merger.bd == merger.od and _only_reformatted(base, theirs)) or (
            merger.ad == merger.od and _only_reformatted(base, ours)
        ):
            src = Source.from_text(result.text, name)
            tidy = src.encode(canonical(src.text))
            if _same_facts(tidy, facts):
                result = MergeResult(tidy)
        result = keep_comments(base, theirs, result, labels, lang)
        result = keep_comments(base, ours, result, labels, lang)
        if result.conflicts:
            return result
        return _check_rules(result, facts, ours, theirs, name, workspace, lang)


def _their_layout(merger: _Merger, result: MergeResult, facts: Any, name: str) -> MergeResult:
    """Hand layout from their side where git's line merge could not be used: a table only
    they rewrote (keys reordered, values realigned, comments) is taken as they wrote it; a
    table both sides rewrote, whose keys they reordered, is a conflict (the order cannot be
    had both ways), its marker saying so. Keys a side added or removed reorder nothing: only
    the keys it kept, in another order than the base's, do."""

    o, a, b = merger.o, merger.a, merger.b

    def block(src: Source, path: Path_) -> str:
        return src.text[src.block_start(path) : src.content_end(path)]

    def order(src: Source, path: Path_) -> list[tuple[str, ...]]:
        h = src.index.headers[src.index.by_path[path]]
        try:
            return [st.key for st in statements(src.text, h.body, src.content_end(path))]
        except ScanError:
            return []

    def reordered(src: Source, path: Path_) -> bool:
        was, now = order(o, path), order(src, path)
        kept, had = set(now), set(was)
        return [k for k in was if k in kept] != [k for k in now if k in had]

    mine = Source.from_text(result.text, name)
    swaps: list[tuple[int, int, str]] = []
    conflicts: list[str] = []
    for i, h in enumerate(b.index.headers):
        path = h.path
        if h.array or not o.has_header(path) or not a.has_header(path):
            continue
        start, end = b.index.span_at(i)
        o_span = o.index.span(path)
        if o_span is not None and b.text[start:end] == o.text[o_span[0] : o_span[1]]:
            continue  # the same text from header to header: nothing of theirs to keep (cheap)
        theirs = block(b, path)
        was = block(o, path)
        if theirs == was:
            continue
        if block(a, path) == was and mine.has_header(path):
            swaps.append((mine.block_start(path), mine.content_end(path), theirs))
        elif reordered(b, path) and mine.has_header(path):
            start, end = mine.block_start(path), mine.content_end(path)
            why = tr("merge-layout-both" if reordered(a, path) else "merge-layout", merger.lang)
            marked = markers(mine.text[start:end], theirs, merger.labels, why)
            swaps.append((start, end, marked))
            conflicts.append(f"{'.'.join(path)} ({tr('merge-why-layout', merger.lang)})")
    if not swaps:
        return result
    out, pos = [], 0
    for start, end, text in sorted(swaps):
        out += [mine.text[pos:start], text]
        pos = end
    out.append(mine.text[pos:])
    candidate = mine.encode("".join(out))
    if conflicts:  # marked for a person, as git marks a conflict
        return MergeResult(candidate, [*result.conflicts, *conflicts])
    return MergeResult(candidate, result.conflicts) if _same_facts(candidate, facts) else result


_WHITESPACE = re.compile(r"\s+")
LineMerge = Callable[[str, str, str], "str | None"]


def _same_facts(text: str, facts: dict[str, Any]) -> bool:
    try:
        return loads(text.removeprefix("\ufeff")) == facts
    except TomlError:
        return False


def _only_reformatted(base: str, side: str) -> bool:
    """A side whose change was ``fmt`` (its facts are the base's): other text, canonical."""

    if side == base or _WHITESPACE.sub("", side) != _WHITESPACE.sub("", base):
        return False  # the same text or more than whitespace changed (a comment, say)
    plain = side.removeprefix("\ufeff").replace("\r\n", "\n")
    return canonical(plain) == plain


def _check_rules(
    result: MergeResult,
    facts: dict[str, Any],
    ours: str,
    theirs: str,
    name: str,
    workspace: list[tuple[str, str]] | None = None,
    lang: str = "zh",
) -> MergeResult:
    """The merged ledger must break no rule that neither side broke; each one it breaks is a
    conflict, named by a comment line above the place (git then leaves the file unmerged)."""

    def problems(text: str) -> list[Any]:
        return (
            salvage(text, name, workspace).problems if workspace else load_text(text, name).problems
        )

    if workspace:
        after = salvage(result.text, name, workspace).problems
    else:
        after = build_from_data(facts, result.text.removeprefix("\ufeff"), name).problems
    if not after:
        return result
    before = {p.identity() for side in (ours, theirs) for p in problems(side)}
    new = [p for p in after if p.identity() not in before]
    if not new:
        return result
    newline = "\r\n" if "\r\n" in result.text else "\n"
    lines = result.text.split(newline)
    conflicts = []
    for problem in sorted(new, key=lambda p: p.loc.line if p.loc else 0, reverse=True):
        line = problem.loc.line if problem.loc else 1
        # above the table the problem is in (a comment inside a multi-line value would change it)
        at = line - 1
        while at > 0 and not lines[at].lstrip().startswith("["):
            at -= 1
        text = tr("merge-breaks-rule", lang, problem=problem.message(lang))
        lines.insert(at, "# " + text.replace("\n", " "))
        conflicts.append(problem.line(lang))
    return MergeResult(newline.join(lines), conflicts)
