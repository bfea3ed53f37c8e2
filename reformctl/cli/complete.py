"""Shell completion callbacks: the ledger in reach (``--ledger`` as typed so far, else the one
``find_ledger`` finds) read quickly by :mod:`reformctl.completion`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import typer

Candidates = list[tuple[str, str]]


def _tables(ctx: typer.Context) -> Mapping[str, Any]:
    from reformctl.completion import read_tables
    from reformctl.ledger.find import find_ledger

    try:
        path = find_ledger(ctx.find_root().params.get("ledger"))
    except Exception:  # no ledger in reach: nothing to complete
        return {}
    return read_tables(path)


def points(ctx: typer.Context, incomplete: str) -> Candidates:
    from reformctl import completion

    return completion.points(_tables(ctx), incomplete)


def milestones(ctx: typer.Context, incomplete: str) -> Candidates:
    from reformctl import completion

    return completion.milestone_refs(_tables(ctx), incomplete)


def points_or_milestones(ctx: typer.Context, incomplete: str) -> Candidates:
    from reformctl import completion

    data = _tables(ctx)
    if "/" in incomplete:
        return completion.milestone_refs(data, incomplete)
    return completion.points(data, incomplete)


def units(ctx: typer.Context, incomplete: str) -> Candidates:
    from reformctl import completion

    return completion.units(_tables(ctx), incomplete)


def groups(ctx: typer.Context, incomplete: str) -> Candidates:
    from reformctl import completion

    return completion.groups(_tables(ctx), incomplete)


def units_or_groups(ctx: typer.Context, incomplete: str) -> Candidates:
    from reformctl import completion

    data = _tables(ctx)
    return completion.units(data, incomplete) + completion.groups(data, incomplete)


def statuses(ctx: typer.Context, incomplete: str) -> Candidates:
    from reformctl.cli.helptext import lang_of
    from reformctl.i18n import label
    from reformctl.schedule import POINT_STATUSES

    lang = lang_of(ctx)
    return [(s, label(f"status-{s}", lang)) for s in POINT_STATUSES if s.startswith(incomplete)]
