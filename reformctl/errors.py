"""One error hierarchy; it owns the exit codes users rely on (0 / 1 / 2, docs/ci.md).

Errors are data: a message code from :mod:`reformctl.i18n`, its arguments and, where there
is one, the place in the ledger (``file:line:col``). The CLI boundary turns them into one
line on stderr and the exit code; ``check`` prints every :class:`Problem` it collected.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from reformctl.i18n import tr
from reformctl.records import field, record

if TYPE_CHECKING:
    from reformctl.model import Loc


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1  # check: overdue milestones; fmt --check: not canonical
    ERROR = 2  # usage error, invalid ledger, refused change: nothing written
    INTERNAL = 3  # a bug in reformctl, not the user's mistake


@record
class Problem:
    """One thing wrong with a ledger, where it is, and how to fix it."""

    code: str
    loc: Loc | None = None
    args: dict[str, Any] = field(default_factory=dict)
    hint: str | None = None  # a message code

    def message(self, lang: str) -> str:
        return tr(self.code, lang, **self.args)

    def hint_text(self, lang: str) -> str | None:
        return tr(self.hint, lang, **self.args) if self.hint else None

    def identity(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """What the problem is about, wherever it sits: the same problem before and after an
        edit that moved its line."""
        return self.code, tuple(sorted((k, str(v)) for k, v in self.args.items()))

    def line(self, lang: str) -> str:
        """``file:line:col: message``, the form editors and CI can jump to."""
        prefix = f"{self.loc}: " if self.loc else ""
        return prefix + self.message(lang)


class ReformctlError(Exception):
    """A user-facing error: exit code 2 unless a subclass says otherwise."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(
        self, code: str, loc: Loc | None = None, hint: str | None = None, **args: Any
    ) -> None:
        self.problem = Problem(code, loc, args, hint)
        super().__init__(code)

    def __str__(self) -> str:
        return self.message("en")

    def message(self, lang: str) -> str:
        text = self.problem.line(lang)
        hint = self.problem.hint_text(lang)
        if not hint:
            return text

        return tr("with-hint", lang, text=text, hint=hint)


class InvalidLedger(ReformctlError):
    """The ledger has one or more problems; commands other than ``check`` refuse to go on."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        first = self.problems[0]
        super().__init__(first.code, first.loc, first.hint, **first.args)

    def message(self, lang: str) -> str:
        text = super().message(lang)
        more = len(self.problems) - 1
        return text + (tr("and-more", lang, n=more) if more else "")


class RefusedChange(ReformctlError):
    """A write that would make the ledger wrong (unknown ID, duplicate, future date...)."""


class LockBusy(ReformctlError):
    """Another process holds the ledger's lock."""
