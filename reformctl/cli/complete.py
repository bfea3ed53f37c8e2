"""Shell completion callbacks: the ledger in reach (``--ledger`` as typed so far, else the one
``find_ledger`` finds) read quickly by :mod:`reformctl.completion`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import typer

from reformctl.cli.helptext import lang_of
from reformctl.i18n import label
from reformctl.ledger.find import find_ledger
from reformctl.schedule import POINT_STATUSES

Candidates = list[tuple[str, str]]


def _tables(ctx: typer.Context) -> Mapping[str, Any]:
    # start-up: `check` does not load completion
    from reformctl.completion import read_tables

    try:
        path = find_ledger(ctx.find_root().params.get("ledger"))
    except Exception:  # no ledger in reach: nothing to complete
        return {}
    return read_tables(path)


def points(ctx: typer.Context, incomplete: str) -> Candidates:
    return _complete(ctx, incomplete, "points")


def milestones(ctx: typer.Context, incomplete: str) -> Candidates:
    return _complete(ctx, incomplete, "milestone_refs")


def points_or_milestones(ctx: typer.Context, incomplete: str) -> Candidates:
    which = "milestone_refs" if "/" in incomplete else "points"
    return _complete(ctx, incomplete, which)


def units(ctx: typer.Context, incomplete: str) -> Candidates:
    return _complete(ctx, incomplete, "units")


def groups(ctx: typer.Context, incomplete: str) -> Candidates:
    return _complete(ctx, incomplete, "groups")


def _complete(ctx: typer.Context, incomplete: str, which: str) -> Candidates:
    """One of reformctl.completion's finders over the ledger in reach (imported only when the
    shell asks)."""
    # start-up: `check` does not load completion
    from reformctl import completion

    finder = {
        "points": completion.points,
        "milestone_refs": completion.milestone_refs,
        "units": completion.units,
        "groups": completion.groups,
    }[which]
    result: Candidates = finder(_tables(ctx), incomplete)
    return result


def units_or_groups(ctx: typer.Context, incomplete: str) -> Candidates:
    # start-up: `check` does not load completion
    from reformctl import completion

    data = _tables(ctx)
    return completion.units(data, incomplete) + completion.groups(data, incomplete)


def statuses(ctx: typer.Context, incomplete: str) -> Candidates:
    lang = lang_of(ctx)
    return [(s, label(f"status-{s}", lang)) for s in POINT_STATUSES if s.startswith(incomplete)]
