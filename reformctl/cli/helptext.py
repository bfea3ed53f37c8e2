"""Help, usage lines and usage errors in the interface language (Chinese unless --lang en).

Typer's vendored click writes its help through a ``HelpFormatter`` and typer's own words
("Options", "default: …", "No such command …") through ``gettext`` (both private: reached
through :mod:`reformctl.cli.typer_compat`). Both are answered here from the catalogue in
:mod:`reformctl.cli.catalogue`: every command's context uses :class:`LocalContext`, whose
formatter translates usage, headings, option help (by its English text, as gettext does) and the
command's own help (by its path), and sets each example on a line of its own that is never
rewrapped; typer's gettext is pointed at :func:`gettext`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from reformctl.cli.catalogue import (
    CLICK_ERRORS,
    CLICK_METAVARS,
    CLICK_TYPES,
    CLICK_WORDS,
    HELP_COMMANDS,
    HELP_OPTIONS,
)
from reformctl.cli.typer_compat import ClickCommand, ClickContext, HelpFormatter, set_gettext
from reformctl.i18n import pick_lang, tr
from reformctl.patterns import lazy

_lang: str | None = None  # the language being written (set as help or an error is formatted)
_requested: str | None = None  # --lang as found on the command line, before it is parsed
_EXAMPLE = lazy(r"(?:^|\s)Example: (reformctl .+?)\s*$", re.S)
_EXTRAS = lazy(r"^(.*?)((?:\s+\[[^\]]*\])?)$", re.S)
_TYPE = lazy(r"<([a-z][a-z ]*)>")
_WORD = lazy(r"(?<![\w-])[A-Za-z][A-Za-z_]*(?:-Qn)?(?![\w-])")
_UPPER = lazy(r"(?<![\w-])[A-Z][A-Z_]*(?:-Qn)?(?![\w-])")
_RANGE = lazy(r"(-?[\d.]+)<=?x<=?(-?[\d.]+)|x(>=?|<=?)(-?[\d.]+)")


def note_requested_lang(args: Sequence[str]) -> None:
    """Remember ``--lang`` from the raw arguments: ``reformctl --lang en --help`` prints help
    while parsing, before the option is processed."""
    global _requested, _lang
    _requested = _lang = None  # one invocation's: tests run many in one process
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            _requested = args[i + 1]
        elif arg.startswith("--lang="):
            _requested = arg.partition("=")[2]


def lang_of(ctx: ClickContext | None) -> str:
    obj = ctx.find_root().obj if ctx is not None else None
    lang = getattr(obj, "lang", None)
    if isinstance(lang, str):
        return lang
    return pick_lang(_requested if _requested in ("zh", "en") else None)


def word(msgid: str, lang: str) -> str:
    pair = CLICK_WORDS.get(msgid)
    return msgid if pair is None else (pair[1] if lang == "en" else pair[0])


def gettext(message: str) -> str:
    """typer's gettext: its few words in the language being written."""
    lang = _lang or pick_lang(_requested if _requested in ("zh", "en") else None)
    if lang == "en":
        return message
    for msgid, (zh, _en) in CLICK_WORDS.items():
        if message == msgid:
            return zh
        if message.startswith(msgid + ": {"):  # "default: {default}", "env var: {var}"
            return zh + "：" + message[len(msgid) + 2 :]
    if message.startswith("No such command"):
        return "没有命令 {name!r}"
    if message == "Missing command.":
        return "缺少命令"
    if message == "Aborted!":
        return "已中止"
    return message


def usage_error(message: str, lang: str) -> str:
    """One of click's usage errors in ``lang`` (Chinese: by the patterns of the catalogue)."""
    if lang == "en":
        return message
    if re.fullmatch(
        r"'[^']*'(?:, '[^']*')+", message
    ):  # click's choices: as every message lists them
        return tr("choices-separator", lang).join(re.findall(r"'[^']*'", message))
    for pattern, template in CLICK_ERRORS:
        match = re.fullmatch(pattern, message, re.S)
        if match:
            return template.format(*(usage_error(g, lang) for g in match.groups()))
    named = re.fullmatch(r"'([A-Za-z][\w/\[\]]*)'", message)  # an argument: 'point'
    if named:
        return f"'{metavars(named.group(1), lang)}'"
    return message


def metavars(text: str, lang: str, names: bool = True) -> str:
    """Click's type names (``<str>``) and reformctl's metavars (``DATE``, ``POINT/MS``) in
    ``text`` in ``lang``; with ``names``, also arguments named by their parameter (``{key}``:
    only where no value can stand, in a usage line or an argument's own name)."""
    if lang == "en":
        return text
    text = _TYPE.sub(lambda m: f"<{CLICK_TYPES.get(m.group(1), m.group(1))}>", text)
    word = _WORD if names else _UPPER
    return word.sub(lambda m: CLICK_METAVARS.get(m.group(0), m.group(0)), text)


def ranges(extras: str, lang: str) -> str:
    """``[0<=x<=3660]`` as ``[0 至 3660]``, ``[x>=1]`` as ``[至少 1]`` (in Chinese)."""
    if lang == "en":
        return extras

    def one(m: re.Match[str]) -> str:
        low, high, op, bound = m.groups()
        if op is None:
            return f"{low} 至 {high}"
        words = {">=": "至少", ">": "大于", "<=": "至多", "<": "小于"}
        return f"{words[op]} {bound}"

    return _RANGE.sub(one, extras)


def term_words(term: str, lang: str) -> str:
    """An option's or argument's term in the help list: an argument's name is translated whole,
    an option's names are kept and only its metavar translated."""
    if term.startswith("-"):
        return metavars(term, lang, names=False)
    return metavars(term, lang)


def command_key(ctx: ClickContext) -> str:
    """``unit add`` for ``reformctl unit add``: the catalogue's key of a command."""
    return " ".join(ctx.command_path.split()[1:])


def example_of(text: str) -> str | None:
    match = _EXAMPLE.search(text)
    return match.group(1) if match else None


def example_lines(example: str, limit: int) -> list[str]:
    """An example command in lines of at most ``limit`` cells, broken only before an option
    and continued with a backslash, so that a copied line is still a whole command."""
    # start-up: `check` does not load render.terminal
    from reformctl.render.terminal import width

    parts = re.split(r" (?=--?[A-Za-z])", example)
    lines = [parts[0]]
    for part in parts[1:]:
        if width(lines[-1]) + 1 + width(part) + 2 <= limit:
            lines[-1] += " " + part
        else:
            lines.append("    " + part)
    return [line + " \\" for line in lines[:-1]] + [lines[-1]]


def command_help(ctx: ClickContext, english: str, lang: str, limit: int = 76) -> str:
    """A command's help: the Chinese of the catalogue or the English docstring, with its
    example as a paragraph of its own that is not rewrapped (``\\b``)."""
    example = example_of(english)
    body = _EXAMPLE.sub("", english).rstrip() if example else english
    if lang != "en":
        body = HELP_COMMANDS.get(command_key(ctx), body)
    if example is None:
        return body
    lines = "\n".join("  " + line for line in example_lines(example, limit - 2))
    return f"{body}\n\n\b\n{word('Example', lang)}{'：' if lang != 'en' else ':'}\n{lines}"


def short_help(path: str, english: str, lang: str) -> str:
    """The one line a group lists for a subcommand: the first sentence."""
    if lang == "en":
        return english
    text = HELP_COMMANDS.get(path)
    if text is None:
        return english
    first = re.split(r"(?<=。)|\n", text, maxsplit=1)[0].rstrip("。")
    if len(first) <= 32:
        return first
    cut = first[:31]
    if re.match(r"[\w.-]", first[31:32], re.A):  # never half a Latin word ("（ca…")
        cut = re.sub(r"[\w.-]+$", "", cut, flags=re.A).rstrip()
    return cut.rstrip("（：，、 ") + "…"


class LocalizedFormatter(HelpFormatter):
    def __init__(self, ctx: ClickContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ctx = ctx
        self.lang = lang_of(ctx)
        self.in_commands = False

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        usage = word("usage", self.lang)
        args = metavars(args, self.lang)
        super().write_usage(prog, args, usage if usage.endswith("：") else usage + " ")

    def write_heading(self, heading: str) -> None:
        self.in_commands = heading == word("Commands", self.lang)
        colon = ":" if self.lang == "en" else "："
        self.write(f"{'':>{self.current_indent}}{heading}{colon}\n")

    def write_text(self, text: str) -> None:
        """Paragraphs wrapped by display width (Chinese folds between characters); a ``\b``
        paragraph (an example) is written as it is."""
        command = self.ctx.command
        if command.help and text.startswith(_cleaned(command.help)[:40]):
            text = command_help(self.ctx, text, self.lang, self.width - self.current_indent)
        indent = " " * self.current_indent
        for i, para in enumerate(text.split("\n\n")):
            if i:
                self.write("\n")
            if para.startswith("\b\n"):
                self.write("".join(f"{indent}{line}\n" for line in para[2:].splitlines()))
                continue
            for line in wrap(para, self.width - self.current_indent):
                self.write(f"{indent}{line}\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        # start-up: `check` does not load render.terminal
        from reformctl.render.terminal import width

        items = list(self._rows(rows))
        if not items:
            return
        first = min(max(width(term) for term, _ in items), col_max)
        hang = " " * (self.current_indent + first + col_spacing)
        for term, text in items:
            self.write(" " * self.current_indent + term)
            if not text:
                self.write("\n")
                continue
            if width(term) <= first:
                self.write(" " * (first - width(term) + col_spacing))
            else:
                self.write("\n" + hang)
            lines = wrap(text, max(self.width - len(hang), 10))
            self.write(lines[0] + "\n")
            self.write("".join(f"{hang}{line}\n" for line in lines[1:]))

    def _rows(self, rows: Iterable[tuple[str, str]]) -> Iterable[tuple[str, str]]:
        for term, text in rows:
            if self.in_commands:
                path = " ".join([command_key(self.ctx), term]).strip()
                yield term, short_help(path, text, self.lang)
                continue
            help_part, extras = _EXTRAS.fullmatch(text).groups()  # type: ignore[union-attr]
            if self.lang != "en":
                help_part = HELP_OPTIONS.get(help_part, word(help_part, self.lang))
            yield term_words(term, self.lang), help_part + ranges(extras, self.lang)


def wrap(text: str, limit: int) -> list[str]:
    """Running text in lines of ``limit`` cells: Latin words whole, Chinese between characters,
    no line starting with closing punctuation."""
    # start-up: `check` does not load render.terminal
    from reformctl.render.terminal import flow, fold_pieces

    lines = flow(fold_pieces(" ".join(text.split())), max(limit, 10))
    return [line for line in lines if line] or [""]


def _cleaned(text: str) -> str:
    import inspect

    return inspect.cleandoc(text).partition("\f")[0]


class LocalContext(ClickContext):
    """A click context whose help speaks the interface language."""

    def make_formatter(self) -> HelpFormatter:
        global _lang
        _lang = lang_of(self)
        return LocalizedFormatter(self, width=self.terminal_width, max_width=self.max_content_width)


def localize(command: ClickCommand) -> None:
    """Give ``command`` and every subcommand the localised context, and typer its gettext."""
    set_gettext(gettext)
    command.context_class = LocalContext
    for sub in getattr(command, "commands", {}).values():
        localize(sub)
