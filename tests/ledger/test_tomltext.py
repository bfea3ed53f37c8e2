"""TOML text written by reformctl: every string reads back as itself, escaped exactly as the
character-by-character definition says."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reformctl.ledger import tomltext
from reformctl.ledger.parse import loads

ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def by_character(text: str) -> str:
    """The definition: each character escaped on its own."""
    out = []
    for ch in text:
        if ch in ESCAPES:
            out.append(ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


texts = st.text(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(['"', "\\", "\x00", "\x1f", "\x7f", "\n", "\r", "\t", "中", "\u2028"]),
    )
)


@given(texts)
def test_a_string_is_escaped_as_defined_and_reads_back(text: str) -> None:
    written = tomltext.string(text)
    assert written == by_character(text)
    assert loads(f"x = {written}\n")["x"] == text
