"""Dependencies point one way, and start-up stays light (checked in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("typer", "rich", "tomlkit", "pendulum", "tabulate", "openpyxl")


def modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {line.split(".")[0] for line in out.splitlines()}


def test_model_and_computations_import_no_ui_or_writer() -> None:
    loaded = modules_after(
        "import reformctl.model, reformctl.schedule, reformctl.ranking, reformctl.clock, "
        "reformctl.ledger.build, reformctl.ledger.read, reformctl.ledger.source, "
        "reformctl.compare, reformctl.history, reformctl.mechanisms, reformctl.tabular, "
        "reformctl.ledger.changes, reformctl.ledger.edit, reformctl.ledger.merge"
    )
    assert not loaded & {"typer", "rich", "tomlkit", "tabulate", "click"}


def test_ledger_io_does_not_import_computations() -> None:
    """model → ledger I/O → computations → rendering → CLI: the ledger layer stays below."""
    full = subprocess.run(
        [
            sys.executable,
            "-c",
            "import reformctl.ledger.changes, reformctl.ledger.merge, "
            "reformctl.ledger.write, sys; print('\\n'.join(sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    upward = {
        "reformctl.schedule",
        "reformctl.ranking",
        "reformctl.render",
        "reformctl.reports",
        "reformctl.tabular",
        "reformctl.compare",
        "reformctl.cli",
    }
    assert not upward & set(full)


def test_spreadsheet_io_is_light_and_below_rendering() -> None:
    """Import limits and the CSV rule sit under rendering and the CLI; openpyxl and defusedxml
    load only when a workbook is read or written."""
    loaded = modules_after("import reformctl.spreadsheets")
    assert not loaded & {"typer", "rich", "click", "openpyxl", "defusedxml", "tomlkit"}
    full = subprocess.run(
        [
            sys.executable,
            "-c",
            "import reformctl.spreadsheets, sys; print('\\n'.join(sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert not {m for m in full if m.startswith(("reformctl.render", "reformctl.cli"))}


def test_rendering_imports_no_typer() -> None:
    assert "typer" not in modules_after("import reformctl.render.views, reformctl.render.ci")


def test_cli_start_up_imports_nothing_heavy() -> None:
    loaded = modules_after("import reformctl.cli")
    assert not loaded & set(HEAVY[1:]), loaded & set(HEAVY)
    assert "rtoml" not in loaded


def test_help_does_not_import_rich() -> None:
    loaded = modules_after(
        "import sys, contextlib, io\n"
        "from reformctl.cli import app\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    app(['--help'], prog_name='reformctl')"
    )
    assert "rich" not in loaded
