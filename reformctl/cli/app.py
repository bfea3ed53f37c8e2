"""The Typer app, its global options and the one error boundary.

Only typer and reformctl's light modules are imported here: ``reformctl --help`` must start
about as fast as an empty Typer app. Commands import what they need inside their functions.
"""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from reformctl import __version__, clock
from reformctl.cli.helptext import lang_of, localize, note_requested_lang, usage_error
from reformctl.cli.typer_compat import ClickContext, NoArgsIsHelpError, TyperGroup, UsageError
from reformctl.errors import ExitCode, ReformctlError
from reformctl.i18n import Choices, pick_lang, tr
from reformctl.ledger import store
from reformctl.ledger.cache import stores_after
from reformctl.ledger.find import find_ledger
from reformctl.ledger.loader import load
from reformctl.ledger.parse import display_name
from reformctl.model import DEFAULT_TIMEZONE
from reformctl.records import record
from reformctl.render.console import COLOR_MODES, set_color
from reformctl.render.escape import safe_line
from reformctl.render.pager import paged

if TYPE_CHECKING:
    from reformctl.ledger.parse import Loaded
    from reformctl.model import Ledger


class Fmt(StrEnum):
    """Output formats of the read commands."""

    table = "table"
    plain = "plain"
    markdown = "markdown"
    csv = "csv"
    json = "json"


FormatOption = Annotated[
    Fmt | None,
    typer.Option(
        "--format",
        "-f",
        help="table (colour, on a terminal) | plain (when piped) | markdown | csv | json",
    ),
]


LedgerOption = Annotated[
    str | None,
    typer.Option(
        "--ledger",
        metavar="PATH",
        help="The ledger file, as the global --ledger (for hooks that put it after the command).",
    ),
]


@record(frozen=False)
class State:
    """Global options, and the ledger once loaded (at most once per run)."""

    ledger_option: str | None = None
    today_option: str | None = None
    lang_option: str | None = None
    debug: bool = False
    ledger_lang: str | None = None  # a write reads the ledger's `lang` without loading it all
    _loaded: Loaded | None = None

    @property
    def lang(self) -> str:
        ledger = self._loaded.ledger if self._loaded else None
        return pick_lang(self.lang_option, ledger.settings.lang if ledger else self.ledger_lang)

    def path(self) -> Path:
        return find_ledger(self.ledger_option)

    def load(self) -> Loaded:
        """Read and validate the ledger (problems are kept, not raised)."""
        if self._loaded is None:
            self._loaded = load(self.path())
        return self._loaded

    def ledger(self) -> Ledger:
        """The valid ledger, or exit 2 naming the first problem."""
        return self.load().valid()

    def today(self, timezone: str | None = None) -> dt.date:
        pinned = clock.pinned_today(self.today_option)
        if timezone is None:
            ledger = self._loaded.ledger if self._loaded else None
            timezone = ledger.settings.timezone if ledger else DEFAULT_TIMEZONE
        return clock.today(timezone, pinned)


ForceOption = Annotated[
    bool, typer.Option("--force", help="Overwrite the --out file if it exists.")
]


def is_stdout(out: Path | None) -> bool:
    """``--out -`` means standard output (as for most Unix tools), not a file named ``-``."""
    return out is not None and str(out) == "-"


def write_stdout(data: bytes, binary: bool = False) -> None:
    """``data`` to standard output; a workbook (``binary``) is not written to a terminal."""
    import sys

    if binary and sys.stdout.isatty():
        raise ReformctlError("out-binary-tty")
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def refuse_overwrite(out: Path | None, force: bool) -> None:
    """``--out`` never replaces an existing file unless ``--force`` (as ``init`` never does)."""
    if out is not None and not is_stdout(out) and not force and out.exists():
        raise ReformctlError("file-exists", hint="hint-overwrite", file=display_name(out))


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    assert isinstance(obj, State)
    return obj


def _lang_of(ctx: ClickContext | None) -> str:
    return lang_of(ctx)


def choices_text(ctx: ClickContext | None, values: tuple[str, ...]) -> str:
    """The values an option takes, for its usage error: listed as every message lists
    choices (i18n.Choices)."""
    return tr("bad-choice-values", lang_of(ctx), allowed=Choices(values))


class BoundaryGroup(TyperGroup):
    """The one place errors become messages and exit codes (and help speaks the clerk's
    language: see :mod:`reformctl.cli.helptext`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize(self)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: ClickContext | None = None,
        **extra: Any,
    ) -> ClickContext:
        note_requested_lang(args)
        try:
            return super().make_context(info_name, args, parent, **extra)
        except NoArgsIsHelpError:
            raise
        except UsageError as exc:
            _usage_line(exc)
            raise typer.Exit(ExitCode.ERROR) from None

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            with stores_after(), paged(not ctx.params.get("no_pager")):
                return super().invoke(ctx)
        except NoArgsIsHelpError:
            raise
        except UsageError as exc:
            _usage_line(exc, ctx)
            raise typer.Exit(ExitCode.ERROR) from None
        except (typer.Exit, typer.Abort, typer.TyperException, KeyboardInterrupt):
            raise
        except ReformctlError as exc:
            if _debug(ctx):
                raise

            # one line, whatever the user typed into the values it names
            typer.echo(safe_line(exc.message(_lang_of(ctx))), err=True)
            raise typer.Exit(exc.exit_code) from None
        except UnicodeEncodeError as exc:
            if _debug(ctx) or "surrogate" not in str(exc):
                raise
            typer.echo(tr("arg-not-utf8", _lang_of(ctx)), err=True)
            raise typer.Exit(ExitCode.ERROR) from None
        except BrokenPipeError:
            sys.stderr.close()  # reader went away (`| head`): not an error
            raise typer.Exit(ExitCode.OK) from None
        except Exception as exc:
            if _debug(ctx):
                raise

            detail = f"{type(exc).__name__}: {exc}"
            text = "reformctl: " + tr("internal-error", _lang_of(ctx), detail=detail)
            typer.echo(safe_line(text), err=True)
            raise typer.Exit(ExitCode.INTERNAL) from None


def _debug(ctx: ClickContext) -> bool:
    obj = ctx.find_root().obj
    return bool(getattr(obj, "debug", False))


def _usage_line(exc: UsageError, root: ClickContext | None = None) -> None:
    """One line on stderr; an option's missing value is raised without its command's context,
    so the command is the one being invoked under ``root`` (``reformctl list --status``)."""
    if exc.ctx is not None:
        command = exc.ctx.command_path
    elif root is not None and root.invoked_subcommand:
        command = f"{root.command_path} {root.invoked_subcommand}"
    else:
        command = "reformctl"
    lang = _lang_of(exc.ctx or root)
    tip = f"{command} --help"

    message = usage_error(exc.format_message(), lang)
    text = tr("usage-error", lang, message=message, tip=tip)
    typer.echo(safe_line(f"{command}: {text}"), err=True)


app = typer.Typer(
    cls=BoundaryGroup,
    name="reformctl",
    help=(
        "改革工作要点台账工具 — the reform office's work-point ledger.\n\n"
        "Reads and writes a version-controlled TOML ledger (ledger.toml), works out which "
        "milestones are overdue and prints ranked progress tables.\n\n"
        "Example: reformctl overdue --soon 7"
    ),
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish)
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rich is imported only by commands that draw tables
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _say_cache(st: State, verbose: bool) -> None:
    """With --verbose, a cache folder (or key) that is not used is said once on stderr."""
    if not verbose:  # (not imported for this: start-up stays light)
        loaded = sys.modules.get("reformctl.ledger.store")
        if loaded is not None:
            setattr(loaded, "report", None)  # noqa: B010 - one process, several commands (the tests' runner)
        return

    def say(code: str, args: dict[str, Any]) -> None:
        typer.echo(tr(code, st.lang, **args), err=True)

    store.report = say


def _version(value: bool) -> None:
    if value:
        typer.echo(f"reformctl {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    ledger: Annotated[
        str | None,
        typer.Option(
            "--ledger",
            envvar="REFORMCTL_LEDGER",
            show_envvar=True,
            metavar="PATH",
            help="The ledger file (default: the nearest ledger.toml here or above).",
        ),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            envvar="REFORMCTL_TODAY",
            show_envvar=True,
            metavar="DATE",
            help="The day to judge against (default: today in the ledger's timezone).",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            envvar="REFORMCTL_LANG",
            show_envvar=True,
            metavar="zh|en",
            help="Language of reports and messages (default: the ledger's, then LANG).",
        ),
    ] = None,
    color: Annotated[
        str,
        typer.Option(
            "--color",
            envvar="REFORMCTL_COLOR",
            metavar="auto|always|never",
            help="auto (on a terminal, unless NO_COLOR; FORCE_COLOR forces) | always | never.",
        ),
    ] = "auto",
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager", help="Never page (default: long output on a terminal goes to $PAGER)."
        ),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            help="Say on stderr what is left out quietly (a cache folder that is not used).",
        ),
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    if lang is not None and lang not in ("zh", "en"):
        raise typer.BadParameter(choices_text(ctx, ("zh", "en")), param_hint="--lang")
    if color not in COLOR_MODES:
        raise typer.BadParameter(choices_text(ctx, tuple(COLOR_MODES)), param_hint="--color")
    set_color(color)
    source = ctx.get_parameter_source("today")  # click's ParameterSource, read by its name
    if source is not None and source.name == "ENVIRONMENT":
        today = None  # clock.pinned_today reads REFORMCTL_TODAY itself, naming it in a refusal
    ctx.obj = State(ledger, today, lang, debug)
    _say_cache(ctx.obj, verbose)
