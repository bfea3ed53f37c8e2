"""`check`: validate the ledger and flag overdue milestones, for people and for CI."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from reformctl.cli.app import app, state
from reformctl.errors import ExitCode


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    gitlab = "gitlab"
    junit = "junit"
    sarif = "sarif"


class FailOn(StrEnum):
    overdue = "overdue"
    due_soon = "due-soon"
    never = "never"


@app.command()
def check(
    ctx: typer.Context,
    fmt: Annotated[
        CheckFormat,
        typer.Option("--format", "-f", help="text | json | github | gitlab | junit | sarif"),
    ] = CheckFormat.text,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 on: overdue (default) | due-soon | never.")
    ] = FailOn.overdue,
    soon: Annotated[
        int | None,
        typer.Option(
            "--soon",
            min=0,
            metavar="DAYS",
            help="Due-soon window (default: the ledger's soon_days).",
        ),
    ] = None,
    grace: Annotated[
        int,
        typer.Option("--grace", min=0, metavar="DAYS", help="Overdue by at most DAYS only warns."),
    ] = 0,
) -> None:
    """Validate the ledger (every problem, as file:line:col) and flag overdue milestones.

    Exit 0: valid, nothing overdue. 1: overdue milestones (see --fail-on). 2: invalid ledger.

    Example: reformctl check --format github
    """
    import os
    import sys

    from reformctl.render import ci
    from reformctl.render.ci import CheckResult
    from reformctl.rules import dated_problems
    from reformctl.schedule import DueItem, due_items

    st = state(ctx)
    loaded = st.load()
    problems = list(loaded.problems)
    ledger = loaded.ledger
    today = st.today()
    overdue: list[DueItem] = []
    warn: list[DueItem] = []
    if ledger is not None:
        problems += dated_problems(ledger, today)
    if ledger is not None and not problems:  # errors outrank findings: report them alone
        window = ledger.settings.soon_days if soon is None else soon
        for item in due_items(ledger, today, window):
            (overdue if item.days_overdue > grace else warn).append(item)
    due_locs = {
        item.milestone.ref: loaded.index.loc(
            ("points", item.point.id, "milestones", item.milestone.key), "due"
        )
        for item in overdue + warn
    }
    result = CheckResult(loaded.index.file, problems, overdue, warn, due_locs, ledger, today)
    writers = {
        "text": ci.write_check_text,
        "json": ci.write_check_json,
        "github": ci.write_check_github,
        "gitlab": ci.write_check_gitlab,
        "junit": ci.write_check_junit,
        "sarif": ci.write_check_sarif,
    }
    writers[fmt.value](result, st.lang, sys.stdout)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt.value == "github" and summary:
        with open(summary, "a", encoding="utf-8") as stream:
            ci.write_github_summary(result, st.lang, stream)
    if problems:
        raise typer.Exit(ExitCode.ERROR)
    failing = {"overdue": overdue, "due-soon": overdue + warn, "never": []}[fail_on.value]
    if failing:
        raise typer.Exit(ExitCode.FINDINGS)
