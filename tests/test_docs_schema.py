"""The field list in docs/ledger-format.md is the schema's: generated from it, kept equal."""

from __future__ import annotations

from tests.conftest import ROOT
from tools.schema_doc import DOC, updated


def test_the_docs_field_list_is_generated_from_the_schema() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "<!-- fields:" in text
    assert updated(text) == text, "run: python -m tools.schema_doc"


def test_every_field_of_every_section_is_listed() -> None:
    from reformctl.schema import every_section

    text = (ROOT / "docs" / "ledger-format.md").read_text(encoding="utf-8")
    for section in every_section():
        for field in section.fields:
            assert f"| `{field.name}` |" in text, (section.name, field.name)
