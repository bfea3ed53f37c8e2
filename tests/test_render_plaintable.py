"""reformctl.render.plaintable lays plain tables out byte for byte as tabulate does (the golden
files hold the real reports; this holds every table), and falls back where it says it does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reformctl.render.plaintable import layout
from reformctl.render.text import _CachedWidth, _tabulate
from tests.conftest import examples

WIDTH = _CachedWidth.wcswidth

# what visible() leaves in a cell: any printable text, CJK and emoji, combining marks, blanks
# at either end (tabulate strips cells, not headers), the empty cell
TEXT = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.sampled_from(
        ["", " ", "  x ", "省发改委", "深化 改革", "é", "e\u0301", "👍🏽", "ｱ", "1.5", "-3"]
    ),
)


def tabulated(rows: list[list[str]], headers: list[str], aligns: list[str]) -> str:
    tabulate = _tabulate()
    if not rows:
        return str(tabulate.tabulate([], headers=headers, tablefmt="simple"))
    return str(
        tabulate.tabulate(
            rows,
            headers=headers,
            tablefmt="simple" if headers else "plain",
            colalign=aligns,
            disable_numparse=True,
        )
    )


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[list[str]], list[str], list[str]]:
    columns = draw(st.integers(1, 5))
    rows = draw(st.lists(st.lists(TEXT, min_size=columns, max_size=columns), max_size=6))
    headers = draw(st.one_of(st.just([]), st.lists(TEXT, min_size=columns, max_size=columns)))
    aligns = draw(st.lists(st.sampled_from(["left", "right"]), min_size=columns, max_size=columns))
    return rows, headers, aligns


@settings(max_examples=examples(100), deadline=None)  # the first example imports tabulate
@given(tables())
def test_the_same_bytes_as_tabulate(table: tuple[list[list[str]], list[str], list[str]]) -> None:
    rows, headers, aligns = table
    mine = layout(rows, headers, aligns, WIDTH)
    # (TEXT holds no control character: cells known visible are laid out the same)
    assert layout(rows, headers, aligns, WIDTH, visible=True) == mine
    if mine is not None:
        assert mine == tabulated(rows, headers, aligns)


def test_examples_laid_out_and_equal() -> None:
    rows = [["R26-01", "深化集体林权制度改革", "3"], ["R26-10", " x ", "12"]]
    headers = ["编号", "标题", "天"]
    aligns = ["left", "left", "right"]
    mine = layout(rows, headers, aligns, WIDTH)
    assert mine == tabulated(rows, headers, aligns)
    assert mine is not None and mine.splitlines()[1].startswith("------  ----")
    assert layout([], headers, aligns, WIDTH) == tabulated([], headers, aligns)
    assert layout(rows, [], aligns, WIDTH) == tabulated(rows, [], aligns)
    assert layout([], [], [], WIDTH) == ""


@pytest.mark.parametrize("cell", ["a\nb", "a\rb", "\x1b[31mred", "\x01", "a\x07b"])
def test_what_it_does_not_lay_out_goes_to_tabulate(cell: str) -> None:
    assert layout([[cell, "x"]], ["h", "i"], ["left", "left"], WIDTH) is None


# every character the width takes without wcwidth, and text of them with any other
RANGES = [(0x20, 0x7E), (0xB7, 0xB7), (0x2010, 0x2027), (0x3000, 0x3029), (0x3030, 0x303E)]
RANGES += [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF01, 0xFF60)]
PLAIN = [chr(c) for a, b in RANGES for c in range(a, b + 1)]


def test_the_width_of_plain_text_is_wcwidths_for_every_character() -> None:
    import wcwidth

    assert [WIDTH(ch) for ch in PLAIN] == [wcwidth.wcswidth(ch) for ch in PLAIN]
    around = "\u3029\u302a\u303f\u3040\u4dc0\uff61\u2028\u00b6\u2030"  # just outside
    assert [WIDTH(ch) for ch in around] == [wcwidth.wcswidth(ch) for ch in around]


@settings(max_examples=examples(300))
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from(PLAIN), st.characters(blacklist_categories=("Cc", "Cs"))
        ),
        max_size=20,
    )
)
def test_the_width_of_any_text_is_wcwidths(text: str) -> None:
    import wcwidth

    assert WIDTH(text) == wcwidth.wcswidth(text)
