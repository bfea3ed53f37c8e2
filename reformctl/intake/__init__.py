"""Import: an office's workbook read into what it would add to the ledger, or change in it.

- :mod:`~reformctl.intake.header`: the header found among the first rows of every sheet, and
  the one table of header names (``SYNONYMS``);
- :mod:`~reformctl.intake.table`: which sheet, and what each row under the header is;
- :mod:`~reformctl.intake.milestones`: several milestones in one cell, deadline phrases;
- :mod:`~reformctl.intake.units`: lead and co-operating units, names matched to units;
- :mod:`~reformctl.intake.plan`: what a first import or an import adds;
- :mod:`~reformctl.intake.update`: what an edited export or a unit's return changes.

Pure: the CLI reads the file (:func:`reformctl.spreadsheets.read_sheets`) and writes the plan.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from reformctl.errors import ReformctlError
from reformctl.intake.header import SYNONYMS
from reformctl.intake.plan import deadline_year, plan_import
from reformctl.intake.table import Table, locate
from reformctl.intake.update import plan_update
from reformctl.model import Ledger
from reformctl.plans import ImportPlan, UpdatePlan
from reformctl.spreadsheets import read_sheets

__all__ = [
    "SYNONYMS",
    "Table",
    "deadline_year",
    "import_year",
    "locate",
    "plan_import",
    "plan_update",
    "read_for_import",
    "read_for_update",
    "read_table",
]


def read_table(path: Path) -> Table:
    """The table of a file given to ``import``."""

    return locate(read_sheets(path), path.name)


def read_for_import(
    path: Path,
    ledger: Ledger | None,
    *,
    year: int | None,
    default_group: str | None,
    month: str,
    tick: Callable[[], None] = lambda: None,
) -> tuple[Table, ImportPlan, int]:
    """What importing ``path`` adds to ``ledger`` (None: a first import, whose year is
    ``year``, else the one most deadlines name; refused where there is none)."""
    table = read_table(path)
    year = import_year(table, ledger, year, path.name)
    plan = plan_import(
        table, ledger, year=year, default_group=default_group, month=month, tick=tick
    )
    return table, plan, year


def import_year(table: Table, ledger: Ledger | None, year: int | None, file: str) -> int:
    """The ledger's year; for a first import ``year``, else the one most deadlines name, else
    the one the title row names (``2026年…台账``)."""
    if ledger is not None:
        return ledger.settings.year
    if year is None:
        year = deadline_year(table)
        titled = re.match(r"\s*(20\d\d)\s*年", table.title)
        if year is None and titled:
            year = int(titled.group(1))
        if year is None:
            raise ReformctlError("intake-needs-year", file=file)
    return year


def read_for_update(
    path: Path,
    ledger: Ledger,
    *,
    today: dt.date,
    unit: str | None,
    default_group: str | None,
) -> tuple[Table, UpdatePlan]:
    table = read_table(path)
    plan = plan_update(
        table, ledger, month=f"{today:%Y-%m}", today=today, unit=unit, default_group=default_group
    )
    return table, plan
