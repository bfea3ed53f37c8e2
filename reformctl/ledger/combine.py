"""A workspace's files combined into one ledger's data: the shared file's settings, units and
groups, every file's tables, each table keeping its own file's place (:class:`MultiIndex`), so
every message names the right ``file:line:col``; an ID in two files is a problem naming both
places."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from reformctl.errors import InvalidLedger, Problem
from reformctl.i18n import L
from reformctl.ledger import cache
from reformctl.ledger.build import _type_label, build_ledger
from reformctl.ledger.parse import conflict_markers, parse_toml
from reformctl.ledger.source import Header, Path_, SourceIndex
from reformctl.model import Loc, natural_key
from reformctl.records import record

# what lives once, in the shared file
SHARED_ONLY = ("ledger", "units", "groups")


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


@record(frozen=False)
class Member:
    """One file of a workspace as read: its display name, text and parsed data."""

    path: Path
    name: str
    text: str
    data: dict[str, Any]


def parsed_members(texts: Iterable[tuple[Path, str, str]]) -> tuple[list[Member], list[Problem]]:
    """Each file's data (from the cache when these exact bytes were parsed before)."""
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


def combine(
    members: list[Member], indexes: list[SourceIndex], config_name: str
) -> tuple[dict[str, Any], MultiIndex, list[Problem]]:
    """One ledger's data from its files' data: the shared file's settings and declarations,
    every file's tables. A table in two files is a problem naming both; the first stays."""
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


def build_members(
    members: list[Member],
    indexes: list[SourceIndex],
    config_name: str,
    holder: dict[str, MultiIndex] | None = None,
) -> tuple[Any, list[Problem], dict[str, Any]]:
    """Build and check the ledger that ``members`` make together."""
    merged, index, problems = combine(members, indexes, config_name)
    if holder is not None:
        holder["index"] = index
    ledger, found = build_ledger(merged, index)
    markers = [p for m in members for p in conflict_markers(m.text, m.name)]
    return ledger, markers + problems + found, merged


def combined_data(texts: list[tuple[Path, str, str]]) -> dict[str, Any]:
    members, problems = parsed_members(texts)
    if problems:
        raise InvalidLedger(problems)
    merged, _, _ = combine(members, [SourceIndex(m.text, m.name) for m in members], "")
    return merged
