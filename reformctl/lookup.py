"""Units and groups named the way a clerk names them: by key (``lyj``) or by name (``省林业局``).

An unknown one is answered with the nearest keys and names ("did you mean lyj（省林业局）?"), and
only when nothing is near with the advice to declare it. Works on the loaded model and on the raw
tables a write reads alike: anything that maps keys to an object or a table with a ``name``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import TYPE_CHECKING

from reformctl.errors import ReformctlError

if TYPE_CHECKING:
    from reformctl.model import Ledger


def names_of(entries: Mapping[str, object]) -> dict[str, str]:
    """``{key: name}`` from model objects (``.name``) or raw TOML tables (``["name"]``)."""
    out: dict[str, str] = {}
    for key, entry in entries.items():
        name = entry.get("name") if isinstance(entry, Mapping) else getattr(entry, "name", None)
        out[key] = name if isinstance(name, str) else ""
    return out


def nearest(names: Mapping[str, str], value: str, n: int = 3) -> list[str]:
    """Up to ``n`` keys whose key or name is close to ``value``, closest first."""
    by_word: dict[str, str] = {}
    for key, name in names.items():
        by_word.setdefault(key, key)
        if name:
            by_word.setdefault(name, key)
    keys: list[str] = []
    for word in difflib.get_close_matches(value, list(by_word), n=n * 2, cutoff=0.6):
        if by_word[word] not in keys:
            keys.append(by_word[word])
    # a fragment of a name (林业 in 省林业局) is near too, though difflib scores it low
    if value:
        keys += [k for k, name in names.items() if value in name and k not in keys]
    return keys[:n]


def resolve(
    kind: str, entries: Mapping[str, object], value: str, file: str, declare: bool = False
) -> str:
    """The key of the unit (``kind="unit"``) or group (``"group"``) named by key or by name.

    Unknown: the nearest matches, else (``declare``, for writes) how to declare it."""
    names = names_of(entries)
    if value in names:
        return value
    matches = [key for key, name in names.items() if name == value]
    if len(matches) == 1:
        return matches[0]
    close = matches or nearest(names, value)
    if close:
        suggestion = "、".join(f"{k}（{names[k]}）" if names[k] else k for k in close)
        raise ReformctlError(
            f"unknown-{kind}", hint="did-you-mean-key", file=file, key=value, suggestion=suggestion
        )
    hint = f"declare-{kind}" if declare else None
    raise ReformctlError(f"unknown-{kind}", hint=hint, file=file, key=value)


def resolve_all(
    kind: str, entries: Mapping[str, object], values: list[str], file: str
) -> list[str]:
    return [resolve(kind, entries, v, file) for v in values]


def unit_counts(ledger: Ledger) -> dict[str, tuple[int, int, int]]:
    """Per unit key: points led, milestones of those points, points co-operated on."""
    led = dict.fromkeys(ledger.units, 0)
    milestones = dict.fromkeys(ledger.units, 0)
    coop = dict.fromkeys(ledger.units, 0)
    for point in ledger.points.values():
        if point.lead in led:
            led[point.lead] += 1
            milestones[point.lead] += len(point.milestones)
        for unit in point.units:
            if unit in coop:
                coop[unit] += 1
    return {k: (led[k], milestones[k], coop[k]) for k in ledger.units}


def group_counts(ledger: Ledger) -> dict[str, tuple[int, int]]:
    """Per group key: its points and their milestones."""
    points = dict.fromkeys(ledger.groups, 0)
    milestones = dict.fromkeys(ledger.groups, 0)
    for point in ledger.points.values():
        if point.group in points:
            points[point.group] += 1
            milestones[point.group] += len(point.milestones)
    return {k: (points[k], milestones[k]) for k in ledger.groups}
