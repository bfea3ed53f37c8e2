"""Cells that a spreadsheet program would run as formulas, neutralised on the way out (export,
reports) and restored on the way back in (import); OOXML's escape for characters XML cannot
hold. Pure."""

from __future__ import annotations

import numbers
import re
from typing import Any

# -- formulas: out (export, reports) and back in (import) -----------------------------------------
# OWASP's "CSV injection" rule: a cell starting with = + - @ TAB or CR may be run as a formula by
# a spreadsheet program, so text starting with one gets a leading '. Text that already starts
# with quotes before such a character gets one more, so that import can take exactly one away
# and every text round-trips.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")


def csv_cell(value: Any) -> Any:
    """``value`` as a CSV cell a spreadsheet will show, never run: text that could start a
    formula gets a leading ``'``; numbers (``-3`` days overdue) stay numbers."""
    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return value


def csv_text_cell(value: str, raw: Any) -> str:
    """A display cell ``value`` rendered from ``raw``: neutralised unless ``raw`` is a number."""
    if not isinstance(raw, bool) and isinstance(raw, numbers.Real):  # int, float, Fraction
        return value
    return str(csv_cell(value))


def restore_csv_cell(text: str) -> str:
    """The inverse of :func:`csv_cell` on text: one neutralising quote taken away."""
    return text[1:] if text[:1] == "'" and _NEUTRALISED.match(text) else text


# OOXML's escape for characters XML 1.0 cannot hold (_x000C_ for a form feed), which Excel
# shows as the character; a literal "_x0041_" in the text has its "_" escaped (_x005F_) so that
# reading it back is exact.
_OOXML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_OOXML_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def ooxml_text(text: str) -> str:
    return _OOXML_UNSAFE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def from_ooxml_text(text: str) -> str:
    if "_x" not in text:
        return text
    return _OOXML_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
