"""A workspace: several ledger files read as one ledger.

A ``reformctl.toml`` at the root of a repository names the files::

    [workspace]
    shared = "shared.toml"            # [ledger] settings, units and groups, declared once
    ledgers = ["groups/*.toml"]       # one file per special group or per city; globs allowed

    [ledgers."groups/economy.toml"]   # optional, per file
    group = "economy"                 # `point add --group economy` writes here
    lead = "fgw"                      # the unit that owns the file (CODEOWNERS)

Every file is a TOML document of its own; read together they are one ledger: the shared file's
settings, units and groups, and every file's points and registers. Each table keeps its own
file's place, so every message names the right ``file:line:col``; an ID in two files is a
problem naming both places. A write goes to the one file that holds what it changes (new
points to their group's file, new declarations and office registers to the shared file), and
is proven against the whole workspace as it would be.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reformctl.errors import InvalidLedger, Problem, ReformctlError
from reformctl.i18n import L
from reformctl.ledger.source import Header, Path_, SourceIndex
from reformctl.model import ImportPlan, Loc, UpdatePlan

if TYPE_CHECKING:
    from reformctl.ledger.read import Loaded

CONFIG_NAME = "reformctl.toml"
# what lives once, in the shared file
SHARED_ONLY = ("ledger", "units", "groups")


@dataclass(frozen=True)
class Workspace:
    """The files of a workspace, as its ``reformctl.toml`` names them."""

    config: Path
    shared: Path
    ledgers: tuple[Path, ...]
    groups: Mapping[str, Path] = field(default_factory=dict)  # declared: group -> its file
    leads: Mapping[Path, str] = field(default_factory=dict)  # declared: file -> its lead unit
    patterns: tuple[str, ...] = ()  # the ledgers' patterns, as written

    @property
    def root(self) -> Path:
        return self.config.parent

    @property
    def files(self) -> tuple[Path, ...]:
        """The shared file first, then every ledger file in name order."""
        return (self.shared, *self.ledgers)

    def pathspecs(self) -> list[str]:
        """Git pathspecs (from the repository's root) of every file the workspace may hold,
        globs included: what ``git log`` follows for its history."""
        from reformctl.ledger.gitio import relative_to_repo

        _, folder = relative_to_repo(self.config)
        base = folder.rpartition("/")[0]
        specs = [self.relative(self.shared), *self.patterns]
        return [f":(glob){base + '/' if base else ''}{spec}" for spec in specs]

    def relative(self, path: Path) -> str:
        """A member's path as the configuration writes it (POSIX, from the root)."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


def is_config(path: Path) -> bool:
    return path.name == CONFIG_NAME


def find_config(start: Path) -> Path | None:
    """The nearest ``reformctl.toml`` in ``start`` or a folder above it."""
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def containing(path: Path) -> Path | None:
    """The configuration of the workspace that lists ``path`` as a member, if any."""
    config = find_config(path.resolve().parent)
    if config is None:
        return None
    try:
        ws = read_config(config)
    except ReformctlError:
        # a configuration that is not one: a file with no [ledger] of its own is one of its
        # files (read alone it would be dozens of problems that are not the problem), so the
        # workspace is read and the configuration's error said; a ledger of its own (next
        # year's, beside it) is still read alone
        return None if own_ledger(path) else config
    real = path.resolve()
    return config if any(f.resolve() == real for f in ws.files) else None


def own_ledger(path: Path) -> bool:
    """Whether the file declares a ledger of its own (a top-level ``[ledger]`` table)."""
    from reformctl.ledger.read import parse_toml

    try:
        text = path.read_bytes().decode("utf-8", "surrogateescape").removeprefix("\ufeff")
    except OSError:
        return True
    data, _ = parse_toml(text, path.name)
    return data is not None and isinstance(data.get("ledger"), dict)


def read_config(config: Path) -> Workspace:
    """The workspace a ``reformctl.toml`` describes; exit 2 at ``file:line:col`` if it is not
    one."""
    from reformctl.ledger.read import display_name, read_text

    name = display_name(config)
    text, problems = read_text(config, name)
    if text is None:
        raise InvalidLedger(problems)
    return config_from_text(config, text, name, None)


def config_from_text(config: Path, text: str, name: str, listing: list[str] | None) -> Workspace:
    """The workspace that a configuration's ``text`` describes. ``listing`` is every file
    under its folder (POSIX paths relative to it) at a git revision; None means the working
    tree."""
    from reformctl.ledger.read import parse_toml

    text = text.removeprefix("\ufeff")
    data, problems = parse_toml(text, name)
    if data is None:
        raise InvalidLedger(problems)
    index = SourceIndex(text, name)

    def bad(where: Path_, at: str | None, code: str, /, **args: Any) -> InvalidLedger:
        return InvalidLedger([Problem(code, index.loc(where, at), args, "hint-workspace")])

    table = data.get("workspace")
    if not isinstance(table, dict):
        raise bad((), None, "workspace-table-missing")
    for key in table:
        if key not in ("shared", "ledgers"):
            raise bad(("workspace",), key, "workspace-unknown-key", key=key)
    shared_rel = table.get("shared")
    if not isinstance(shared_rel, str) or not shared_rel.strip():
        raise bad(("workspace",), "shared", "workspace-shared-missing")
    patterns = table.get("ledgers")
    if not isinstance(patterns, list) or not all(isinstance(p, str) and p for p in patterns):
        raise bad(("workspace",), "ledgers", "workspace-ledgers-missing")
    for rel in (shared_rel, *patterns):
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            raise bad(
                ("workspace",), "shared" if rel == shared_rel else "ledgers", "workspace-outside"
            )
    root = config.parent
    shared_rel = Path(shared_rel).as_posix()
    if not _exists(root, shared_rel, listing):
        raise bad(("workspace",), "shared", "workspace-file-missing", path=shared_rel)
    if not _inside(root, shared_rel, listing):
        raise bad(("workspace",), "shared", "workspace-outside")
    found: set[str] = set()
    for pattern in patterns:
        matched = _matches(root, pattern, listing)
        if not matched and not glob.has_magic(pattern):
            raise bad(("workspace",), "ledgers", "workspace-file-missing", path=pattern)
        # a configuration (this one, or a nested workspace's) is never a ledger file
        matched = [m for m in matched if m.rpartition("/")[2] != CONFIG_NAME]
        if not all(_inside(root, m, listing) for m in matched if m != shared_rel):
            raise bad(("workspace",), "ledgers", "workspace-outside")
        found.update(matched)
    found.discard(shared_rel)
    members = sorted(found)
    groups: dict[str, Path] = {}
    leads: dict[Path, str] = {}
    extra = data.get("ledgers", {})
    if not isinstance(extra, dict):
        raise bad((), "ledgers", "workspace-unknown-key", key="ledgers")
    for key, spec in extra.items():
        rel = Path(key).as_posix()  # "./groups/a.toml" is groups/a.toml, as in ledgers
        if rel not in found:
            raise bad(("ledgers", key), None, "workspace-not-member", path=key)
        if not isinstance(spec, dict):
            raise bad(("ledgers",), key, "workspace-unknown-key", key=key)
        for name, value in spec.items():
            if name not in ("group", "lead") or not isinstance(value, str):
                raise bad(("ledgers", key), name, "workspace-unknown-key", key=name)
        if "group" in spec:
            if spec["group"] in groups:  # which file would its new points go to?
                other = groups[spec["group"]].relative_to(root).as_posix()
                raise bad(
                    ("ledgers", key),
                    "group",
                    "workspace-group-twice",
                    group=spec["group"],
                    other=other,
                )
            groups[spec["group"]] = root / rel
        if "lead" in spec:
            leads[root / rel] = spec["lead"]
    for key in data:
        if key not in ("workspace", "ledgers"):
            raise bad((), key, "workspace-unknown-key", key=key)
    return Workspace(
        config,
        root / shared_rel,
        tuple(root / m for m in members),
        groups,
        leads,
        tuple(Path(p).as_posix() for p in patterns),
    )


def _inside(root: Path, rel: str, listing: list[str] | None) -> bool:
    """Whether a member really lies under the root: a symlink to a file elsewhere would have
    every write go outside the workspace (and outside its repository)."""
    if listing is not None:
        return True
    return (root / rel).resolve().is_relative_to(root.resolve())


def _exists(root: Path, rel: str, listing: list[str] | None) -> bool:
    return (root / rel).is_file() if listing is None else rel in listing


def _matches(root: Path, pattern: str, listing: list[str] | None) -> list[str]:
    """The files a pattern names (relative POSIX paths): ``*``, ``?`` and ``[..]`` within one
    folder, a ``**`` component across folders, as ``Path.glob`` (a ``**`` inside a name is a
    ``*``); the same in the working tree and in a revision's listing."""
    parts = [_plain_stars(part) for part in Path(pattern).as_posix().split("/")]
    pattern = "/".join(parts)
    if listing is None:
        if not glob.has_magic(pattern):
            return [pattern] if (root / pattern).is_file() else []
        return [p.relative_to(root).as_posix() for p in root.glob(pattern) if p.is_file()]
    return [f for f in listing if _glob_match(parts, f.split("/"))]


def _plain_stars(part: str) -> str:
    """A path component with ``**`` inside a name read as ``*`` (``Path.glob`` of Python 3.11
    refuses it with a ValueError)."""
    return part if part == "**" else re.sub(r"\*{2,}", "*", part)


def _glob_match(parts: list[str], names: list[str]) -> bool:
    """Whether a path's components match a pattern's (each by ``fnmatch``, whose character
    classes never fail to compile; ``**`` for any number of folders)."""
    import fnmatch

    if not parts:
        return not names
    if parts[0] == "**":
        return any(_glob_match(parts[1:], names[i:]) for i in range(len(names) + 1))
    return (
        bool(names)
        and fnmatch.fnmatchcase(names[0], parts[0])
        and _glob_match(parts[1:], names[1:])
    )


# -- one ledger of many files -------------------------------------------------------------------


class MultiIndex(SourceIndex):
    """The source indexes of a workspace's files as one: a table's place is in the file that
    holds it. Offers what the builder and the messages ask of a :class:`SourceIndex` (its
    headers, their order and places); spans and edits belong to one file's own index."""

    def __init__(self, indexes: list[SourceIndex], owner: dict[Path_, int], file: str) -> None:
        super().__init__("", file)
        self.indexes = indexes
        self.owner = owner  # (section, key) or (section,) -> which index
        self._all: list[Header] | None = None
        self._order: dict[Path_, int] | None = None

    def index_of(self, path: Path_) -> SourceIndex:
        for cut in (2, 1):
            i = self.owner.get(path[:cut])
            if i is not None and len(path) >= cut:
                return self.indexes[i]
        return self.indexes[0]

    @property
    def headers(self) -> list[Header]:
        if self._all is None:
            self._all = [h for index in self.indexes for h in index.headers]
        return self._all

    @property
    def stopped(self) -> int | None:
        return None

    @property
    def by_path(self) -> dict[Path_, int]:
        """The order entries are read in: each file's own, except that the entries of a
        section held by several files (points of every group file) come in ID order."""
        if self._order is None:
            from reformctl.model import natural_key

            order: dict[Path_, int] = {}
            files: dict[str, set[int]] = {}
            for n, index in enumerate(self.indexes):
                for h in index.headers:
                    order.setdefault(h.path, len(order))
                    if len(h.path) == 2:
                        files.setdefault(h.path[0], set()).add(n)
            spread = {section for section, held in files.items() if len(held) > 1}
            entries = sorted(
                (p for p in order if len(p) == 2 and p[0] in spread),
                key=lambda p: (p[0], natural_key(p[1])),
            )
            for rank, path in enumerate(entries):
                order[path] = rank
            self._order = order
        return self._order

    def table_loc(self, path: Path_) -> Loc:
        return self.index_of(path).table_loc(path)

    def loc(self, path: Path_, key: str | None = None) -> Loc:
        return self.index_of((*path, key) if key is not None else path).loc(path, key)

    def index_named(self, file: str) -> SourceIndex | None:
        """The index of the file a message names."""
        return next((i for i in self.indexes if i.file == file), None)


@dataclass
class Member:
    """One file of a workspace as read: its display name, text and parsed data."""

    path: Path
    name: str
    text: str
    data: dict[str, Any]


def combine(
    members: list[Member], indexes: list[SourceIndex], config_name: str
) -> tuple[dict[str, Any], MultiIndex, list[Problem]]:
    """One ledger's data from its files' data: the shared file's settings and declarations,
    every file's tables. A table in two files is a problem naming both; the first stays."""
    from reformctl.ledger.build import _type_label

    merged: dict[str, Any] = {}
    owner: dict[Path_, int] = {}
    problems: list[Problem] = []
    for i, member in enumerate(members):
        for top, value in member.data.items():
            if top == "schema":
                if i == 0 or "schema" not in merged:
                    merged.setdefault("schema", value)
                    owner.setdefault(("schema",), i)
                elif value != merged["schema"]:
                    # a member of another format version would be read as this one's
                    problems.append(
                        Problem(
                            "workspace-schema-differs",
                            indexes[i].loc((), "schema"),
                            {
                                "schema": value,
                                "expected": merged["schema"],
                                "shared": members[0].name,
                            },
                            "hint-workspace-schema",
                        )
                    )
                continue
            if i > 0 and top in SHARED_ONLY:
                problems.append(
                    Problem(
                        "workspace-shared-only",
                        indexes[i].loc((top,)),
                        {"section": L(f"section-{top}"), "shared": members[0].name},
                        "hint-workspace-shared-only",
                    )
                )
                continue
            if not isinstance(value, dict) or not isinstance(merged.get(top, {}), dict):
                if top not in merged:
                    merged[top] = value
                    owner[(top,)] = i
                elif not isinstance(value, dict):
                    # the build judges the first file's section only: this one's is said here
                    # (a later file's `points = 3` was dropped without a word)
                    problems.append(
                        Problem(
                            "not-a-table",
                            indexes[i].loc((), top),
                            {"what": L(f"section-{top}"), "got": L(_type_label(value))},
                        )
                    )
                else:  # a table here, the same key not a table in an earlier file
                    problems.append(
                        Problem(
                            "workspace-clash",
                            indexes[i].loc((top,)),
                            {"key": top, "other": str(indexes[owner[(top,)]].loc((), top))},
                            "hint-workspace-duplicate",
                        )
                    )
                continue
            into = merged.setdefault(top, {})
            owner.setdefault((top,), i)
            for key, table in value.items():
                if key in into:
                    first = indexes[owner[(top, key)]].loc((top, key))
                    problems.append(
                        Problem(
                            "workspace-duplicate",
                            indexes[i].loc((top, key)),
                            {"id": key, "section": L(f"section-{top}"), "other": str(first)},
                            "hint-workspace-duplicate",
                        )
                    )
                    continue
                into[key] = table
                owner[(top, key)] = i
    return merged, MultiIndex(indexes, owner, config_name), problems


def overlay(base: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` over ``base`` one level into each section (for a write's view of the other
    files: its own file's tables win)."""
    out: dict[str, Any] = dict(base)
    for top, value in data.items():
        if isinstance(value, dict) and isinstance(out.get(top), dict):
            out[top] = {**out[top], **value}
        else:
            out[top] = value
    return out


# -- reading ------------------------------------------------------------------------------------


def content_of(texts: Iterable[tuple[str, str]]) -> bytes:
    """The bytes a workspace's model is cached under: every member's name and text."""
    out = bytearray()
    for name, text in texts:
        for part in (name.encode("utf-8", "surrogatepass"), text.encode("utf-8", "surrogatepass")):
            out += len(part).to_bytes(8, "little") + part
    return bytes(out)


def read_texts(
    ws: Workspace, skip: Path | None = None
) -> tuple[list[tuple[Path, str, str]], list[Problem]]:
    """Every file's (path, display name, text without BOM), the shared file first (but
    ``skip``, a file's real path), and the problems of those that cannot be read."""
    import os

    from reformctl.ledger.read import display_name, read_text

    texts: list[tuple[Path, str, str]] = []
    problems: list[Problem] = []
    for path in ws.files:
        if skip is not None and Path(os.path.realpath(path)) == skip:
            continue
        name = display_name(path)
        text, found = read_text(path, name)
        if text is None:
            problems += found
        else:
            texts.append((path, name, text.removeprefix("\ufeff")))
    return texts, problems


def load_workspace(ws: Workspace) -> Loaded:
    """The workspace read as one ledger: a :class:`~reformctl.ledger.read.Loaded` whose
    problems name each file's own lines."""
    from reformctl.ledger.read import Loaded, display_name

    texts, unreadable = read_texts(ws)
    config_name = display_name(ws.config)
    if unreadable:
        index = MultiIndex([SourceIndex(t, n) for _, n, t in texts], {}, config_name)
        return Loaded(ws.config, "", index, None, unreadable, workspace=ws)
    loaded = load_texts(ws.config, texts, config_name)
    loaded.workspace = ws
    return loaded


def parsed_members(texts: Iterable[tuple[Path, str, str]]) -> tuple[list[Member], list[Problem]]:
    """Each file's data (from the cache when these exact bytes were parsed before)."""
    from reformctl.ledger import cache
    from reformctl.ledger.read import parse_toml

    members: list[Member] = []
    problems: list[Problem] = []
    for path, name, text in texts:
        data = cache.cached_data(text.encode("utf-8", "surrogatepass"))
        if data is None:
            data, found = parse_toml(text, name)
            if data is None:
                problems += found
                continue
        members.append(Member(path, name, text, data))
    return members, problems


def build_members(
    members: list[Member],
    indexes: list[SourceIndex],
    config_name: str,
    holder: dict[str, MultiIndex] | None = None,
) -> tuple[Any, list[Problem], dict[str, Any]]:
    """Build and check the ledger that ``members`` make together."""
    from reformctl.ledger.build import build_ledger
    from reformctl.ledger.read import conflict_markers

    merged, index, problems = combine(members, indexes, config_name)
    if holder is not None:
        holder["index"] = index
    ledger, found = build_ledger(merged, index)
    markers = [p for m in members for p in conflict_markers(m.text, m.name)]
    return ledger, markers + problems + found, merged


class _LazyOwners(MultiIndex):
    """The index of a workspace whose model came from the cache: which file holds each table
    is read from the files' headers (scanned when a place is first asked for)."""

    def __init__(self, indexes: list[SourceIndex], file: str) -> None:
        super().__init__(indexes, {}, file)
        self._known = False

    def index_of(self, path: Path_) -> SourceIndex:
        if not self._known:
            # the first file to hold a table owns it (as the build took it)
            for i in reversed(range(len(self.indexes))):
                for h in self.indexes[i].headers:
                    self.owner[h.path[:2]] = i
                    self.owner[h.path[:1]] = i
            self._known = True
        return super().index_of(path)


# -- where a write goes -------------------------------------------------------------------------


def route(ws: Workspace, at: Path_ | None) -> Path:
    """The file a write goes to. ``at`` is the table it changes: ("points", ID) and the like go
    to the file that holds it; ("groups", KEY) means a new point of that group, which goes to
    the group's file; None (a declaration, an office register) goes to the shared file."""
    if at is None:
        return ws.shared
    loaded = load_workspace(ws)
    if loaded.problems or loaded.ledger is None:
        return ws.shared  # the write is refused with the workspace's first problem
    by_name = {display_name_of(f): f for f in ws.files}
    if at[0] == "groups" and len(at) == 2:
        return _group_file(ws, loaded.ledger, at[1], by_name)
    # every entry of the model knows its file: no file needs scanning to find it
    entries = getattr(loaded.ledger, at[0], None) if len(at) >= 2 else None
    entry = entries.get(at[1]) if isinstance(entries, Mapping) else None
    loc = getattr(entry, "loc", None)
    return by_name.get(loc.file, ws.shared) if isinstance(loc, Loc) else ws.shared


def display_name_of(path: Path) -> str:
    from reformctl.ledger.read import display_name

    return display_name(path)


def _group_file(ws: Workspace, ledger: Any, group: str, by_name: Mapping[str, Path]) -> Path:
    """A new point's file: the one the configuration gives its group, else the one file that
    holds the group's points, else the ledger file named after the group."""
    key = group
    if group not in ledger.groups:
        named = [g.key for g in ledger.groups.values() if g.name == group]
        key = named[0] if len(named) == 1 else group
    if key in ws.groups:
        return ws.groups[key]
    holding = {p.loc.file for p in ledger.points.values() if p.group == key}
    if len(holding) == 1:
        return by_name[holding.pop()]
    named_after = [f for f in ws.ledgers if f.stem == key]
    if len(named_after) == 1:
        return named_after[0]
    if len(ws.ledgers) == 1:
        return ws.ledgers[0]
    raise ReformctlError(
        "workspace-no-file-for-group",
        hint="hint-workspace-group-file",
        group=key,
        config=display_name_of(ws.config),
    )


# -- at a git revision --------------------------------------------------------------------------


def texts_at(config: Path, rev: str) -> list[tuple[Path, str, str]] | None:
    """Every file of the workspace as it was at ``rev``: (path, name, text), the shared file
    first; None when the workspace did not exist then."""
    from reformctl.ledger.gitio import files_at, relative_to_repo, text_at

    text = text_at(config, rev)
    if text is None:
        return None
    _, rel = relative_to_repo(config)
    ws = config_from_text(config, text, f"{rev}:{rel}", files_at(config.parent, rev))
    out = []
    for path in ws.files:
        member = text_at(path, rev)
        if member is None:  # listed by ls-tree a moment ago: a race with a rewrite
            raise ReformctlError("unknown-revision", rev=rev)
        out.append((path, f"{rev}:{relative_to_repo(path)[1]}", member.removeprefix("\ufeff")))
    return out


def data_at(config: Path, rev: str) -> dict[str, Any] | None:
    """The workspace's data at ``rev`` as one ledger's (for ``diff``): every file must parse;
    an ID in two files keeps its first."""
    texts = texts_at(config, rev)
    if texts is None:
        return None
    return combined_data(texts)


def combined_data(texts: list[tuple[Path, str, str]]) -> dict[str, Any]:
    members, problems = parsed_members(texts)
    if problems:
        raise InvalidLedger(problems)
    merged, _, _ = combine(members, [SourceIndex(m.text, m.name) for m in members], "")
    return merged


def load_at(config: Path, rev: str) -> Loaded | None:
    """The workspace at ``rev`` read as one ledger (None when it did not exist then)."""
    from reformctl.ledger.gitio import relative_to_repo

    texts = texts_at(config, rev)
    if texts is None:
        return None
    return load_texts(config, texts, f"{rev}:{relative_to_repo(config)[1]}")


def load_texts(config: Path, texts: list[tuple[Path, str, str]], config_name: str) -> Loaded:
    """A workspace's model from its files' texts (a revision's, or the working tree's)."""
    from reformctl.ledger import cache
    from reformctl.ledger.read import Loaded, paused_gc

    named = [(n, t) for _, n, t in texts]
    content = content_of(named)
    if _recent is not None and _recent[0] == (config, config_name, content):
        return _recent[1]  # read twice in one command (a write routes, then checks)
    with paused_gc():
        indexes = [SourceIndex(t, n) for n, t in named]
        holder: dict[str, MultiIndex] = {}

        def compute() -> tuple[Any, list[Problem], dict[str, Any] | None]:
            members, problems = parsed_members(texts)
            if problems:
                return None, problems, None
            return build_members(members, indexes, config_name, holder)

        ledger, problems = cache.cached_model(content, config_name, compute, cache.WORKSPACE)
        index = holder.get("index") or _LazyOwners(indexes, config_name)
        loaded = Loaded(config, "", index, ledger, problems)
    _remember((config, config_name, content), loaded)
    return loaded


_recent: tuple[tuple[Path, str, bytes], Loaded] | None = None


def _remember(key: tuple[Path, str, bytes], loaded: Loaded) -> None:
    global _recent
    _recent = (key, loaded)


# -- imports: one plan, a part for each file ----------------------------------------------------


def import_parts(ws: Workspace, plan: ImportPlan) -> list[tuple[Path, ImportPlan]]:
    """Where an import's tables go: new units and groups to the shared file, each new point to
    its group's file. Every file is known before anything is written (or nothing is)."""
    import dataclasses

    parts: dict[Path, ImportPlan] = {}
    if plan.units or plan.groups:
        parts[ws.shared] = dataclasses.replace(plan, points=[], bad_rows=[])
    for point in plan.points:
        file = route(ws, ("groups", point.group))
        part = parts.setdefault(file, ImportPlan())
        part.points.append(point)
    return list(parts.items())


def update_parts(ws: Workspace, ledger: Any, plan: UpdatePlan) -> list[tuple[Path, UpdatePlan]]:
    """Where an ``import --update``'s changes go: each to the file that holds its point, new
    points to their group's file."""
    by_name = {display_name_of(f): f for f in ws.files}

    def file_of(pid: str) -> Path:
        point = ledger.points.get(pid)
        return by_name.get(point.loc.file, ws.shared) if point is not None else ws.shared

    parts: dict[Path, UpdatePlan] = {}

    def part(file: Path) -> UpdatePlan:
        return parts.setdefault(file, UpdatePlan())

    for done in plan.done:
        part(file_of(done[0])).done.append(done)
    for evidence in plan.evidence:
        part(file_of(evidence[0])).evidence.append(evidence)
    for milestone in plan.milestones:
        part(file_of(milestone[0])).milestones.append(milestone)
    for progress in plan.progress:
        part(file_of(progress[0])).progress.append(progress)
    for edit in plan.point_edits:
        part(file_of(edit[0])).point_edits.append(edit)
    for ms_edit in plan.milestone_edits:
        part(file_of(ms_edit[0])).milestone_edits.append(ms_edit)
    for file, new in import_parts(ws, plan.new):
        part(file).new = new
    return list(parts.items())
