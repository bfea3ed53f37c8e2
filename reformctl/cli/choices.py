"""Options with fixed choices, typed in the clerk's words: ``list --status 逾期`` as well as
``--status overdue``, ``notice --kind 红`` as well as ``--kind red``.

Each :class:`Choices` names its keys (what the code and the ledger use) and, for each key, the
label of the catalogue that is its name in each language (``status-overdue``: 逾期 / overdue).
Its :meth:`~Choices.callback` turns whatever was typed into the key while the command line is
parsed (a value that is none of them exits 2 naming the choices in the reader's language), and
its :meth:`~Choices.complete` offers the names in the reader's language to the shell.
"""

from __future__ import annotations

import typer

from reformctl.cli.helptext import lang_of
from reformctl.errors import ReformctlError
from reformctl.i18n import LABELS, label
from reformctl.records import record


@record
class Choices:
    """The keys of one option and where their names are: ``label(prefix + key)``."""

    option: str
    keys: tuple[str, ...]
    prefix: str
    aliases: tuple[tuple[str, str], ...] = ()  # (another word a clerk types, its key)

    def names(self, lang: str) -> list[str]:
        return [label(self.prefix + key, lang) for key in self.keys]

    def key_of(self, value: str) -> str | None:
        """The key ``value`` names: a key (any case), its Chinese or English name, an alias."""
        typed = value.strip()
        folded = typed.casefold()
        for key in self.keys:
            zh, en = LABELS[self.prefix + key]
            if folded in (key.casefold(), en.casefold()) or typed == zh:
                return key
        for alias, key in self.aliases:
            if typed == alias:
                return key
        return None

    def parse(self, value: str, lang: str) -> str:
        key = self.key_of(value)
        if key is None:
            allowed = "、".join(self.names(lang)) if lang != "en" else ", ".join(self.keys)
            raise ReformctlError("bad-choice-arg", option=self.option, value=value, allowed=allowed)
        return key

    def callback(self, ctx: typer.Context, value: str | list[str] | None) -> str | list[str] | None:
        """The key(s) of what was typed (typer passes the context by its annotation)."""
        if value is None or ctx.resilient_parsing:
            return value
        lang = lang_of(ctx)
        if isinstance(value, list):
            return [self.parse(v, lang) for v in value]
        return self.parse(value, lang)

    def complete(self, ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        """The names in the reader's language (with the key beside), and the keys themselves,
        that start with what is typed so far."""
        lang = lang_of(ctx)
        pairs = list(zip(self.keys, self.names(lang), strict=True))
        out: list[tuple[str, str]] = []
        if lang != "en":
            out += [(name, key) for key, name in pairs if name.startswith(incomplete)]
        out += [(key, name) for key, name in pairs if key.startswith(incomplete)]
        return out


STATUS = Choices(
    "--status",
    ("not_started", "ahead", "on_track", "behind", "overdue", "done", "closed"),
    "status-",
    aliases=(("滞后", "behind"), ("完成", "done"), ("销号", "closed")),
)
NOTICE_KIND = Choices(
    "--kind",
    ("red", "yellow", "blue", "all"),
    "notice-kind-",
    aliases=(("红", "red"), ("黄", "yellow"), ("蓝", "blue"), ("全", "all")),
)
PROGRESS_BY = Choices("--by", ("unit", "group", "point", "coop"), "by-")
HISTORY_BY = Choices("--by", ("office", "unit", "group"), "scope-")
HISTORY_PER = Choices("--per", ("commit", "month"), "per-")
SPLIT_BY = Choices("--by", ("group", "city"), "split-")
OUTPOST_KIND = Choices("--kind", ("county", "enterprise"), "outpost-", aliases=(("县", "county"),))
PUBLICITY_LEVEL = Choices("--level", ("national", "provincial", "local", "own"), "pub-level-")
PUBLICITY_KIND = Choices(
    "--kind",
    ("release", "interview", "column", "article", "wechat"),
    "pub-kind-",
    aliases=(("公众号", "wechat"), ("微信", "wechat")),
)
FAIL_ON = Choices("--fail-on", ("overdue", "due-soon", "never"), "fail-on-")
TRUST = Choices("--trust", ("author", "committer", "both"), "trust-")

ALL = (
    STATUS,
    NOTICE_KIND,
    PROGRESS_BY,
    HISTORY_BY,
    HISTORY_PER,
    SPLIT_BY,
    OUTPOST_KIND,
    PUBLICITY_LEVEL,
    PUBLICITY_KIND,
    FAIL_ON,
    TRUST,
)
