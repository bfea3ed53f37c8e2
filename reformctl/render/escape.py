"""The one place where what users typed is made safe for the text it is written into.

A name or a log entry may hold anything a clerk pasted: a newline, a carriage return, an
escape sequence, a vertical tab from Word, a ``|`` or a leading ``#``. Each output has its
own hazards: a terminal runs escape sequences, a CI log starts a GitHub workflow command at
any line that begins with ``::``, Markdown turns a leading ``-`` into a list item and a ``|``
into a new table cell, XML 1.0 cannot hold most control characters at all. Every writer of
user text goes through one of these functions.
"""

from __future__ import annotations

import re

from reformctl.patterns import lazy

# C0 controls, DEL, C1 controls, and the characters that end or reorder a line without being
# control characters in the ASCII sense (NEL, line and paragraph separators, bidi controls).
_INVISIBLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _show(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Plain text for a terminal or a log: every control character shown as an escape
    (``\\n``, ``\\x1b``, ``\\u2028``), so one value stays on one line and runs nothing."""
    return _INVISIBLE_RE.sub(_show, text)


def has_invisible(text: str) -> bool:
    """Whether :func:`visible` would show anything of ``text`` otherwise (a table's cells
    joined: the layout of 10,000 rows then makes each cell visible only when one needs it)."""
    return _INVISIBLE_RE.search(text) is not None


def safe_line(text: str) -> str:
    """One line of plain output: :func:`visible`, and never the start of a GitHub workflow
    command (the runner reads ``::`` after leading blanks at the start of any line)."""
    text = visible(text)
    if text.lstrip().startswith("::"):
        return "\\" + text.lstrip()
    return text


def safe_path(path: str) -> str:
    """A path at the start of a plain line: ``./`` before one that starts with ``:`` or
    ``-`` (the same file, and the line cannot be read as a command or an option)."""
    path = visible(path)
    return "./" + path if path[:1] in (":", "-") else path


# -- Markdown ---------------------------------------------------------------------------------

_MD_LINE_BREAK_RE = lazy("\r\n|[\r\n\u2028\u2029\x85\x0b\x0c]")
_MD_PUNCT_RE = lazy(r"([\\`*_\[\]<>|~&!#])")
# What makes a block of its own at the start of a line: heading, quote, list, rule, setext.
_MD_LEADING_RE = lazy(r"^(\s*)([-+=>]|\d{1,9}(?=[.)]))")


def md_inline(text: str) -> str:
    """User text inside a Markdown line (a list item, a table cell, a heading): line breaks
    become ``⏎``, other control characters escapes, and Markdown's punctuation is escaped so
    that the text can neither start a block (``- ✓ …``, ``# …``) nor end a table cell."""
    text = _MD_LINE_BREAK_RE.sub(" ⏎ ", text)
    text = visible(text)
    text = _MD_PUNCT_RE.sub(r"\\\1", text)
    return _MD_LEADING_RE.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def md_code(text: str) -> str:
    """User text as a Markdown code span: fenced by more backticks than it holds."""
    text = visible(text)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# -- GitHub workflow commands -----------------------------------------------------------------


def gh_data(text: str) -> str:
    """The message of a workflow command (as @actions/core escapes it): it stays one line."""
    return visible_but_lines(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def gh_property(text: str) -> str:
    """A property value of a workflow command (``file=``, ``title=``)."""
    return gh_data(text).replace(":", "%3A").replace(",", "%2C")


def visible_but_lines(text: str) -> str:
    """:func:`visible`, except for ``\\n`` and ``\\r`` (left for a format that encodes them)."""
    return _INVISIBLE_RE.sub(lambda m: m.group() if m.group() in "\r\n" else _show(m), text)


# -- XML --------------------------------------------------------------------------------------

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 on, except the
# surrogates and U+FFFE/U+FFFF; the rest cannot appear in a document, not even as &#x..;.
_XML_ILLEGAL_RE = lazy("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_lines(text: str) -> str:
    """Text for an XML element that keeps its line breaks: :func:`xml_text`, the other line
    ends (CR, NEL, U+2028/9) shown as escapes, and no line that starts a workflow command."""
    text = _OTHER_BREAKS_RE.sub(_show, xml_text(text))
    return "\n".join(
        safe_line(line) if line.lstrip().startswith("::") else line for line in text.split("\n")
    )


_OTHER_BREAKS_RE = lazy("[\r\x85\u2028\u2029]")


def xml_text(text: str) -> str:
    """Text for an XML attribute or element: characters XML 1.0 forbids shown as escapes
    (``\\x0b``); the XML writer then escapes ``<``, ``&`` and quotes."""
    return _XML_ILLEGAL_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
