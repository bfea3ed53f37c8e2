"""What the merges give and the text they share: :class:`MergeResult` (the merged text and
its conflicts), git's conflict markers named as git names the sides (:class:`Labels`), and the
comments a side added put back into a merged text (:func:`keep_comments`). The keyed merge
(:mod:`~reformctl.ledger.merge`) and the line merge (:mod:`~reformctl.ledger.linemerge`) both
build on it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reformctl.i18n import tr
from reformctl.ledger.lexer import header_line
from reformctl.ledger.source import Path_

MISSING: Any = object()


@dataclass(frozen=True)
class Labels:
    """What conflict markers call each side: the names git passes (``%X``, ``%S``, ``%Y``:
    the branches, git 2.44 and later), else ours, base and theirs."""

    ours: str = "ours"
    base: str = "base"
    theirs: str = "theirs"


PLAIN = Labels()  # the sides named ours, base and theirs (what git passes before 2.44)


@dataclass
class MergeResult:
    text: str
    conflicts: list[str] = field(default_factory=list)


def entry_value(data: Mapping[str, Any], path: Path_) -> Any:
    """The value of a top-level entry (a point with all its tables, a unit...)."""
    value: Any = data
    for key in path[:2]:
        value = value.get(key, MISSING) if isinstance(value, dict) else MISSING
    return value


def markers(ours: str, theirs: str, labels: Labels = PLAIN, why: str = "") -> str:
    """Git's conflict markers around the two sides' texts, named as git names them (and why
    the conflict is one, where the sides' texts do not say it)."""

    def line(text: str) -> str:
        return text if not text or text.endswith("\n") else text + "\n"

    head = f"<<<<<<< {labels.ours}" + (f" {why}" if why else "")
    return f"{head}\n{line(ours)}=======\n{line(theirs)}>>>>>>> {labels.theirs}\n"


def _comment_at(line: str) -> int:
    """Where a line's comment starts (a ``#`` outside one-line strings), or -1."""
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch == "#":
            return i
        if ch in "\"'":
            j = i + 1
            while j < n and line[j] != ch:
                j += 2 if ch == '"' and line[j] == "\\" else 1
            i = j + 1
            continue
        i += 1
    return -1


def keep_comments(
    base: str, side: str, result: MergeResult, labels: Labels = PLAIN, lang: str = "zh"
) -> MergeResult:
    """Every line with a comment that a side added is in the result, as often as the side has
    it: a whole-line comment the merge left out goes back above the line it stood above; any
    other (a comment after a value or inside an array) is a conflict, marked at its table."""

    def plain(text: str) -> str:
        return text.removeprefix("\ufeff").replace("\r\n", "\n")

    added = Counter(_lines_with_hash(plain(side))) - Counter(_lines_with_hash(plain(base)))
    added = Counter({line: n for line, n in added.items() if _comment_at(line) >= 0})
    if not added:
        return result
    newline = "\r\n" if "\r\n" in result.text else "\n"
    side_lines = plain(side).split("\n")
    lines = result.text.split(newline)
    have = Counter(line for line in lines if line in added)
    conflicts = list(result.conflicts)
    for i, line in enumerate(side_lines):
        want = side_lines.count(line) if line in added else 0
        if not want or have[line] >= want:
            continue
        anchor = None
        if line.strip().startswith("#"):
            j = i + 1
            while j < len(side_lines) and side_lines[j].strip().startswith("#"):
                j += 1
            anchor = side_lines[j] if j < len(side_lines) else None
        if anchor is not None and anchor.strip() and lines.count(anchor) == 1:
            lines.insert(lines.index(anchor), line)
        else:
            at = _table_end(lines, _header_above(side_lines, i))
            lines[at:at] = [f"<<<<<<< {labels.ours}", "=======", line, f">>>>>>> {labels.theirs}"]
            conflicts.append(tr("merge-why-comment", lang, comment=line.strip()))
        have[line] += 1
    return MergeResult(newline.join(lines), conflicts)


def _lines_with_hash(text: str) -> list[str]:
    """The lines of ``text`` that hold a ``#`` (found by the ``#``: a ledger has few)."""
    out = []
    i = text.find("#")
    while i >= 0:
        start = text.rfind("\n", 0, i) + 1
        end = text.find("\n", i)
        if end < 0:
            out.append(text[start:])
            break
        out.append(text[start:end])
        i = text.find("#", end)
    return out


def _header_above(lines: list[str], i: int) -> str | None:
    for j in range(i, -1, -1):
        if lines[j].lstrip().startswith("[") and header_line(lines[j].strip()) is not None:
            return lines[j]
    return None


def _table_end(lines: list[str], header: str | None) -> int:
    """Where a block can go at the end of the table under ``header`` (its last non-blank
    line, before the next header); the end of the file when it is not there."""
    if header is None or lines.count(header) != 1:
        return len(lines) - (1 if lines and lines[-1] == "" else 0)
    k = lines.index(header) + 1
    end = k
    while k < len(lines):
        text = lines[k].strip()
        if text.startswith("[") and header_line(text) is not None:
            break
        if text:
            end = k + 1
        k += 1
    return end
