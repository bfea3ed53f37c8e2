"""The canonical layout of a ledger, and `fmt`.

Canonical form is about whitespace, so that every clerk's file looks alike and diffs stay
small; it never reorders tables or keys, and it keeps every comment:

1. no trailing whitespace on any line, and the file ends with exactly one newline;
2. table headers are written ``[a.b.c]`` (no blanks inside), unindented;
3. key lines are written ``key = value``: unindented, one space either side of ``=``;
4. exactly one blank line before each table header, or before the comment lines directly
   above it; no blank line directly after a header; never two blank lines in a row; none at
   the start of the file;
5. the text of multi-line strings is left exactly as it is.

Everything reformctl writes is already canonical, so ``fmt --check`` passes after any command.
It works line by line (no TOML library on the whole file), and `fmt` checks that the facts
parsed before and after are identical before it replaces the file.
"""

from __future__ import annotations

import bisect

from reformctl.ledger import tomltext
from reformctl.ledger.lexer import header_line, scan
from reformctl.ledger.parse import TomlError, loads
from reformctl.patterns import lazy

_SIMPLE = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\')'
_KEY_LINE_RE = lazy(rf"[ \t]*({_SIMPLE}(?:[ \t]*\.[ \t]*{_SIMPLE})*)[ \t]*=[ \t]*(.*)")
_DOT_RE = lazy(r"[ \t]*\.[ \t]*")

BLANK, COMMENT, HEADER, KEY, OTHER, STRING = range(6)


def _header_line(line: str) -> str | None:
    """The canonical form of a header line, or None if it is not one."""
    body = line.strip()
    parsed = header_line(body)
    if parsed is None:
        return None
    path, array = parsed
    comment = ""
    if "#" in body and '"' not in body and "'" not in body:
        comment = " #" + body.split("#", 1)[1].rstrip()
    elif '"' in body or "'" in body:
        return body  # quoted keys: keep as written, only unindented and trimmed
    head = ".".join(tomltext.key(p) for p in path)
    return (f"[[{head}]]" if array else f"[{head}]") + comment


def _classify(text: str) -> list[tuple[str, int]]:
    values: list[tuple[int, int, bool]] = []
    scan(text, values)
    # lines of multi-line strings are kept as written; lines of multi-line arrays only lose
    # trailing blanks (a `[x]` or `# x` line there is neither a header nor a comment)
    spans = [(a, b) for a, b, is_string in values if is_string]
    arrays = [(a, b) for a, b, is_string in values if not is_string]
    array_starts = [a for a, _ in arrays]
    starts = [a for a, _ in spans]
    out: list[tuple[str, int]] = []
    pos = 0
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    for line in lines:
        opens = False
        if spans:
            k = bisect.bisect_right(starts, pos) - 1
            inside = k >= 0 and spans[k][0] < pos < spans[k][1]
            # a multi-line string that starts on this line and goes on: its first line's
            # trailing blanks are part of the string
            j = bisect.bisect_right(starts, pos + len(line)) - 1
            opens = j >= 0 and spans[j][0] >= pos and spans[j][1] > pos + len(line)
        else:
            inside = False
        k = bisect.bisect_right(array_starts, pos) - 1
        in_array = k >= 0 and arrays[k][0] < pos < arrays[k][1]
        pos += len(line) + 1
        if in_array and not inside:
            out.append((line.rstrip(), OTHER))
            continue
        if inside:
            out.append((line, STRING))
            continue
        stripped = line if opens else line.rstrip()
        lead = stripped.lstrip()
        if not lead:
            out.append(("", BLANK))
        elif lead.startswith("#"):
            out.append((stripped, COMMENT))
        elif lead.startswith("["):
            header = _header_line(lead)
            out.append((header, HEADER) if header is not None else (stripped, OTHER))
        else:
            m = _KEY_LINE_RE.fullmatch(stripped)
            if m:
                key = _DOT_RE.sub(".", m.group(1))
                out.append((f"{key} = {m.group(2)}", KEY))
            else:
                out.append((stripped, OTHER))
    return out


def canonical(text: str) -> str:
    """``text`` (LF newlines) in canonical form."""
    result: list[tuple[str, int]] = []
    for line, kind in _classify(text):
        if kind == BLANK:
            if result and result[-1][1] not in (BLANK, HEADER):
                result.append(("", BLANK))
            continue
        if kind == HEADER:
            j = len(result)
            while j > 0 and result[j - 1][1] == COMMENT:
                j -= 1
            if j > 0 and result[j - 1][1] != BLANK:
                result.insert(j, ("", BLANK))
        result.append((line, kind))
    while result and result[-1][1] == BLANK:
        result.pop()
    return "".join(line + "\n" for line, _ in result)


def same_facts(before: str, after: str, name: str) -> bool:
    """Whether two texts parse (as TOML 1.0) to the same data."""

    try:
        return loads(before) == loads(after)
    except TomlError:
        return False
