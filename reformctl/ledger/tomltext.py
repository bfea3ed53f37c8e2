"""TOML values as text, written by reformctl itself (never raw user text in the file).

Strings are always one-line basic strings with every control character escaped, so a title
containing quotes, newlines or ``[points.X]`` can never create or break a table.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

_BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


# what a basic string cannot hold as it is: the quote, the backslash, control characters
_ESCAPED_RE = re.compile(r'["\\\x00-\x1f\x7f]')


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04X}"


def string(text: str) -> str:
    """A one-line basic string (an import writes 150,000 of them: text with nothing to escape,
    as most is, is taken whole)."""
    return '"' + _ESCAPED_RE.sub(_escape, text) + '"'


def key(text: str) -> str:
    return text if _BARE_KEY_RE.fullmatch(text) else string(text)


def value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return v.isoformat()
    if isinstance(v, str):
        return string(v)
    if isinstance(v, Sequence):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{key(k)} = {value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def value_block(v: object) -> str:
    """Like :func:`value`, but an array of tables is written one table a line (extensions)."""
    if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
        return "[\n" + "".join(f"  {value(x)},\n" for x in v) + "]"
    return value(v)


def header(*path: str) -> str:
    return "[" + ".".join(key(p) for p in path) + "]"
