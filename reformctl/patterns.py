"""Regular expressions compiled when first used.

A module declares its patterns at the top, where they read best; compiling them there costs
every command that imports the module, used or not (the date phrases, Markdown's and XML's
escapes, the lexer's walk, the parser's error messages: ~5 ms of a write that uses none of
them). :func:`lazy` gives an object that compiles on its first use and from then on answers
with the compiled pattern's own methods, found in its ``__dict__`` (no lookup through
``__getattr__`` after the first).
"""

from __future__ import annotations

import re
from typing import Any, cast

# what a compiled pattern is asked for (re.Pattern's methods and attributes)
_ATTRIBUTES = (
    "match",
    "fullmatch",
    "search",
    "sub",
    "subn",
    "split",
    "findall",
    "finditer",
    "scanner",
    "pattern",
    "flags",
    "groups",
    "groupindex",
)


class _Lazy:
    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)
        self.pattern = pattern  # (its source, read without compiling it: a schema quotes it)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # (copy, pickle and the like ask for these: not a use)
            raise AttributeError(name)
        compiled = re.compile(*self._source)
        for attribute in _ATTRIBUTES:
            self.__dict__[attribute] = getattr(compiled, attribute)
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._source[0]!r})"


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, done when the pattern is first used. Use it like the
    compiled pattern (its methods and attributes); it is not one for ``re.sub(pattern, ...)``
    or ``isinstance``."""
    return cast("re.Pattern[str]", _Lazy(pattern, flags))
