"""`init`: create a new ledger (never overwrites); `office set`: the office's identity."""

from __future__ import annotations

import sys
from functools import partial
from typing import Annotated

import typer

from reformctl import clock
from reformctl.cli.app import app, state
from reformctl.cli.write import apply
from reformctl.errors import ReformctlError
from reformctl.i18n import tr
from reformctl.ledger.find import new_ledger_path

OfficeOption = Annotated[
    str | None,
    typer.Option(
        "--office", help="The office's full name (发文机关), e.g. 福建省委全面深化改革委员会办公室."
    ),
]
CodeOption = Annotated[
    str | None,
    typer.Option(
        "--office-code", help="发文机关代字, e.g. 闽改办: documents are numbered 闽改办〔2026〕N号."
    ),
]
UnitOption = Annotated[
    str | None,
    typer.Option(
        "--office-unit", help="The office's own unit (declared, named as the office, if new)."
    ),
]


def _ask(lang: str) -> tuple[str | None, str | None, str | None]:
    """The office's identity asked at a terminal: an empty answer leaves it out."""
    answers = []
    for code in ("prompt-office", "prompt-office-code", "prompt-office-unit"):
        value = typer.prompt(tr(code, lang), default="", show_default=False).strip()
        answers.append(value or None)
    return answers[0], answers[1], answers[2]


@app.command()
def init(
    ctx: typer.Context,
    year: Annotated[
        int | None,
        typer.Option("--year", min=2000, max=2100, help="The ledger's year (default: this year)."),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="Default: 〈year〉年全面深化改革工作要点台账.")
    ] = None,
    timezone: Annotated[
        str, typer.Option("--timezone", help="IANA timezone of the office.")
    ] = "Asia/Shanghai",
    office: OfficeOption = None,
    office_code: CodeOption = None,
    office_unit: UnitOption = None,
) -> None:
    """Create a new ledger file; refuses to overwrite an existing one. On a terminal it asks
    for the office's identity (名称, 代字, its own unit) unless an --office option is given;
    documents (.docx) are refused until the office is set (here or by `office set`).

    Example: reformctl init --year 2027 --office 福建省委全面深化改革委员会办公室
    --office-code 闽改办
    """
    # start-up: `check` does not load ledger.write, ledger.changes
    from reformctl.ledger import changes
    from reformctl.ledger.write import create_ledger, first_text, initial_text

    st = state(ctx)
    if not clock.known_zone(timezone):  # (before today is asked in it)
        raise ReformctlError("bad-timezone", hint="hint-timezone", value=timezone)
    path = new_ledger_path(st.ledger_option)
    if (office, office_code, office_unit) == (None, None, None) and sys.stdin.isatty():
        office, office_code, office_unit = _ask(st.lang)
    year = year or st.today(timezone).year
    title = title or f"{year}年全面深化改革工作要点台账"
    text = None
    if (office, office_code, office_unit) != (None, None, None):
        settings = {"office": office, "office_code": office_code, "office_unit": office_unit}
        for option, value in zip(
            ("--office", "--office-code", "--office-unit"), settings.values(), strict=True
        ):
            if value is not None and not value.strip():
                raise ReformctlError("empty-arg", option=option)
        text = initial_text(year, title, timezone, settings)
        if office_unit is not None:
            if office is None:
                raise ReformctlError("office-unit-needs-name", key=office_unit)
            text = first_text(path, text, partial(changes.unit_add, key=office_unit, name=office))
    created = create_ledger(path, year, title, timezone, text)
    typer.echo(tr("created", st.lang, file=created))


office_app = typer.Typer(
    help="The office's identity (发文机关): what its documents are headed, numbered, signed with.",
    no_args_is_help=True,
)
app.add_typer(office_app, name="office")


@office_app.command("set")
def office_set(
    ctx: typer.Context,
    office: OfficeOption = None,
    office_code: CodeOption = None,
    office_unit: UnitOption = None,
    cc: Annotated[
        str | None, typer.Option("--cc", help="抄送: the copy line of every document's 版记.")
    ] = None,
    issuer: Annotated[
        str | None,
        typer.Option("--issuer", help="印发机关 in the 版记 (default: the office)."),
    ] = None,
) -> None:
    """Set the office's identity in the ledger: its name (版头 and 落款), its code (发文字号),
    its own unit (left out of notices), 抄送 and 印发机关 (版记). Only the keys given change.

    Example: reformctl office set --office 福建省委全面深化改革委员会办公室 --office-code 闽改办
    --cc 省委办公厅，省政府办公厅
    """
    # start-up: `check` does not load ledger.changes
    from reformctl.ledger import changes

    apply(
        ctx,
        lambda src, today: changes.office_set(
            src, office=office, code=office_code, unit=office_unit, cc=cc, issuer=issuer
        ),
    )
