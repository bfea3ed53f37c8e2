"""`check`: validate the ledger and flag overdue milestones, for people and for CI."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reformctl import clock, records
from reformctl.cli import choices
from reformctl.cli.app import LedgerOption, State, app, state
from reformctl.errors import ExitCode, ReformctlError
from reformctl.ledger.find import DEFAULT_NAME, ledgers_of
from reformctl.ledger.keyplaces import KeyPlaces
from reformctl.ledger.parse import display_name
from reformctl.model import DEFAULT_TIMEZONE, Loc
from reformctl.rules import advice, dated_problems
from reformctl.schedule import DueItem, due_items

if TYPE_CHECKING:
    from reformctl.errors import ReformctlError
    from reformctl.ledger.parse import Loaded
    from reformctl.render.ci import CheckResult


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    gitlab = "gitlab"
    junit = "junit"
    sarif = "sarif"


@app.command()
def check(
    ctx: typer.Context,
    fmt: Annotated[
        CheckFormat,
        typer.Option("--format", "-f", help="text | json | github | gitlab | junit | sarif"),
    ] = CheckFormat.text,
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            help="Exit 1 on: overdue (default) | due-soon | never.",
            show_default=False,
            callback=choices.FAIL_ON.callback,
            autocompletion=choices.FAIL_ON.complete,
        ),
    ] = "overdue",
    soon: Annotated[
        int | None,
        typer.Option(
            "--soon",
            min=0,
            max=3660,
            metavar="DAYS",
            help="Due-soon window (default: the ledger's soon_days).",
        ),
    ] = None,
    grace: Annotated[
        int,
        typer.Option(
            "--grace", min=0, max=3660, metavar="DAYS", help="Overdue by at most DAYS only warns."
        ),
    ] = 0,
    ledger_path: LedgerOption = None,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[FILE]...",
            help="Check the ledgers these files belong to (others, such as pyproject.toml, "
            "are ignored): what pre-commit passes.",
        ),
    ] = None,
) -> None:
    """Validate the ledger (every problem, as file:line:col) and flag overdue milestones.

    Exit 0: valid, nothing overdue. 1: overdue milestones (see --fail-on). 2: invalid,
    missing or unreadable ledger; every format still writes a whole report that says so.
    Paths in the CI formats are relative to the root of the git repository. Given files,
    checks the ledger or workspace each belongs to, and nothing for files of none.

    Example: reformctl check --format github
    """

    st = state(ctx)
    if ledger_path is not None:
        st.ledger_option = ledger_path
    if files is None:
        _check(st, fmt, fail_on, soon, grace)
        return
    named = Path(ledger_path) if ledger_path is not None else None
    targets = ledgers_of(files, named)
    worst = 0
    for target in targets:
        one = records.replace(st, ledger_option=str(target), _loaded=None)
        try:
            _check(one, fmt, fail_on, soon, grace)
        except typer.Exit as exc:
            worst = max(worst, exc.exit_code)
        except ReformctlError as exc:
            if len(targets) == 1:
                raise
            typer.echo(exc.message(one.lang), err=True)
            worst = max(worst, exc.exit_code)
    if worst:
        raise typer.Exit(worst)


def _check(st: State, fmt: CheckFormat, fail_on: str, soon: int | None, grace: int) -> None:
    """``check`` of the ledger ``st`` names."""
    # start-up: `list` does not load render.ci
    from reformctl.render import ci

    try:
        loaded = st.load()
    except ReformctlError as exc:  # missing or unreadable: a report all the same
        if fmt is CheckFormat.text:
            raise
        _write(fmt, _unloadable(st, exc), st.lang)
        typer.echo(exc.message(st.lang), err=True)
        raise typer.Exit(ExitCode.ERROR) from None
    problems, ledger, today = list(loaded.problems), loaded.ledger, st.today()
    overdue: list[DueItem] = []
    warn: list[DueItem] = []
    if ledger is not None:
        problems += dated_problems(ledger, today)
        # findings are reported beside problems (JUnit must not call them passing); errors
        # still outrank them for the exit code and the text output
        window = ledger.settings.soon_days if soon is None else soon
        for item in due_items(ledger, today, window):
            (overdue if item.days_overdue > grace else warn).append(item)
    # (a milestone's keys placed without the index's scan on a first read: keyplaces)
    index = loaded.index
    keys = KeyPlaces(index, ledger) if ledger is not None else None
    due_locs: dict[str, Loc] = {}
    for item in overdue + warn:
        ms = item.milestone
        at = keys.milestone_key(ms, "due") if keys is not None else None
        due_locs[ms.ref] = at or index.loc(("points", item.point.id, "milestones", ms.key), "due")
    # text is for people (the name as typed); only the CI formats need git for the root
    where = _reported_path(st, loaded.path) if fmt is not CheckFormat.text else None
    result = ci.CheckResult(
        loaded.index.file,
        problems,
        overdue,
        warn,
        due_locs,
        ledger,
        today,
        path=where.path if where else "",
        # (JUnit's timestamp, the one format that shows when the check ran)
        checked_at=clock.now(ledger.settings.timezone if ledger else DEFAULT_TIMEZONE)
        if fmt is CheckFormat.junit
        else None,
        index=loaded.index,
        root_uri=where.root_uri if where else None,
        warnings=advice(ledger, keys or index) if ledger is not None and not problems else [],
        paths=_member_paths(st, loaded) if where is not None else {},
    )
    _write(fmt, result, st.lang)
    if problems:
        raise typer.Exit(ExitCode.ERROR)
    failing = {"overdue": overdue, "due-soon": overdue + warn, "never": []}[fail_on]
    if failing:
        raise typer.Exit(ExitCode.FINDINGS)


def _unloadable(st: State, exc: ReformctlError) -> CheckResult:
    """The result for a ledger that could not be read: its one problem, with the paths in
    the message from the repository root as well."""
    # start-up: `list` does not load render.ci
    from reformctl.render.ci import CheckResult

    where = _reported_path(st, None)
    problem = exc.problem
    if "file" in problem.args or "start" in problem.args:
        args = {**problem.args, "file": where.path, "start": where.folder}
        problem = records.replace(problem, args={k: args[k] for k in problem.args})
    return CheckResult(
        where.file,
        [problem],
        [],
        [],
        {},
        None,
        st.today(),
        path=where.path,
        checked_at=clock.now(),
        root_uri=where.root_uri,
    )


def _write(fmt: CheckFormat, result: CheckResult, lang: str) -> None:
    import os
    import sys

    # start-up: `list` does not load render.ci
    from reformctl.render import ci

    writers = {
        CheckFormat.text: ci.write_check_text,
        CheckFormat.json: ci.write_check_json,
        CheckFormat.github: ci.write_check_github,
        CheckFormat.gitlab: ci.write_check_gitlab,
        CheckFormat.junit: ci.write_check_junit,
        CheckFormat.sarif: ci.write_check_sarif,
    }
    writers[fmt](result, lang, sys.stdout)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt is CheckFormat.github and summary:
        with open(summary, "a", encoding="utf-8") as stream:
            ci.write_github_summary(result, lang, stream)


@dataclass(frozen=True)
class _Where:
    file: str  # as the user named it
    path: str  # from the repository root (or the working folder outside git)
    root_uri: str  # file:// URI of that root, with a trailing slash
    folder: str  # the working folder from that root


def _reported_path(st: State, path: Path | None) -> _Where:
    """Where the ledger is, for reports: CI systems resolve paths from the repository root,
    whatever folder the job runs in and however the ledger was named (``..`` included)."""
    import os

    if path is None:
        try:
            path = st.path()
        except ReformctlError:  # nothing found: name the file that was looked for
            path = Path(DEFAULT_NAME)
    # `..` resolved, and links in its folders as git resolves them for the root; the file's
    # own name is kept (a linked ledger.toml is still reported where it was named)
    real = (Path.cwd() / path).parent.resolve() / path.name
    root = _repo_root(real.parent) or Path.cwd()
    try:
        rel = real.relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = Path(os.path.relpath(real, root.resolve())).as_posix()
    here = Path(os.path.relpath(Path.cwd().resolve(), root.resolve())).as_posix()
    return _Where(display_name(path), rel, root.resolve().as_uri().rstrip("/") + "/", here)


def _member_paths(st: State, loaded: Loaded) -> dict[str, str]:
    """A workspace's files, each as messages name it -> its path from the repository root."""

    if loaded.workspace is None:
        return {}
    return {display_name(f): _reported_path(st, f).path for f in loaded.workspace.files}


def _repo_root(folder: Path) -> Path | None:
    """The root of the git work tree holding ``folder`` (or its nearest existing parent)."""
    import subprocess

    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    try:
        proc = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:  # no git: the working folder stands in for the root
        return None
    out = proc.stdout.strip()
    return Path(out) if proc.returncode == 0 and out else None
