"""Rewrite the field list in docs/ledger-format.md from reformctl/schema.py.

python -m tools.schema_doc
"""

from __future__ import annotations

import re
from pathlib import Path

from reformctl.schema import field_table

DOC = Path(__file__).resolve().parent.parent / "docs" / "ledger-format.md"
BLOCK = re.compile(r"(<!-- fields:[^\n]*-->\n)(.*?)(<!-- /fields -->)", re.S)


def updated(text: str) -> str:
    return BLOCK.sub(lambda m: m.group(1) + field_table() + m.group(3), text)


if __name__ == "__main__":
    DOC.write_text(updated(DOC.read_text(encoding="utf-8")), encoding="utf-8")
