"""reformctl.datetext: every form offices write a date in, each refusal with its hint, and the
invariants (every day round-trips through each written form; nothing but DateTextError escapes)."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reformctl.datetext import (
    HINT_DAY,
    HINT_DEADLINE_FORMS,
    HINT_FORMS,
    HINT_IMPOSSIBLE,
    HINT_MONTH,
    HINT_NUMBER,
    HINT_ONGOING,
    HINT_YEAR,
    DateTextError,
    parse_day,
    parse_deadline,
    parse_month,
)
from tests.conftest import examples

D = dt.date

DAYS = [
    ("2026-06-30", D(2026, 6, 30)),
    ("2026-6-3", D(2026, 6, 3)),
    ("2026/6/30", D(2026, 6, 30)),
    ("2026/06/30", D(2026, 6, 30)),
    ("2026.6.30", D(2026, 6, 30)),
    ("2026年6月30日", D(2026, 6, 30)),
    ("2026年6月30号", D(2026, 6, 30)),
    ("6月30日", D(2026, 6, 30)),  # the given year
    ("２０２６年６月３０日", D(2026, 6, 30)),  # full-width digits
    ("２０２６／６／３０", D(2026, 6, 30)),
    (" 2026 年 6 月 30 日 ", D(2026, 6, 30)),  # spaces
    ("\u30002026-06-30\u3000", D(2026, 6, 30)),  # full-width spaces
    ("2026/6/30 0:00", D(2026, 6, 30)),  # a date cell as a spreadsheet saves it in CSV
    ("2026-06-30 00:00:00", D(2026, 6, 30)),
    ("2026-06-30T00:00:00", D(2026, 6, 30)),
    ("2024-02-29", D(2024, 2, 29)),
]

DEADLINES = [
    ("2026年6月", D(2026, 6, 30)),
    ("2026年2月底", D(2026, 2, 28)),
    ("2026-06", D(2026, 6, 30)),
    ("2026/6", D(2026, 6, 30)),
    ("6月底", D(2026, 6, 30)),
    ("6月底前", D(2026, 6, 30)),
    ("6月末", D(2026, 6, 30)),
    ("6月", D(2026, 6, 30)),
    ("6月份", D(2026, 6, 30)),
    ("年底", D(2026, 12, 31)),
    ("年底前", D(2026, 12, 31)),
    ("年末", D(2026, 12, 31)),
    ("2026年底前", D(2026, 12, 31)),
    ("2026年年底", D(2026, 12, 31)),
    ("上半年", D(2026, 6, 30)),
    ("下半年", D(2026, 12, 31)),
    ("2026年上半年", D(2026, 6, 30)),
    ("第三季度", D(2026, 9, 30)),
    ("三季度末", D(2026, 9, 30)),
    ("2026年第三季度", D(2026, 9, 30)),
    ("第3季度", D(2026, 9, 30)),
    ("一季度", D(2026, 3, 31)),
    ("第四季度前", D(2026, 12, 31)),
    ("9月30日前", D(2026, 9, 30)),
    ("2026年9月30日前", D(2026, 9, 30)),
    ("2026-09-30前", D(2026, 9, 30)),
    ("１２月底前", D(2026, 12, 31)),
]


@pytest.mark.parametrize(("text", "day"), DAYS)
def test_day_forms(text: str, day: dt.date) -> None:
    assert parse_day(text, year=2026) == day
    assert parse_deadline(text, year=2026) == day


@pytest.mark.parametrize(("text", "day"), DEADLINES)
def test_deadline_forms_are_deadlines_not_days(text: str, day: dt.date) -> None:
    assert parse_deadline(text, year=2026) == day
    with pytest.raises(DateTextError) as caught:
        parse_day(text, year=2026)
    assert caught.value.hint == HINT_DAY
    assert caught.value.text == text.strip()


def test_the_written_year_wins_over_the_given_one() -> None:
    assert parse_day("2025年6月30日", year=2026) == D(2025, 6, 30)
    assert parse_deadline("2027年上半年", year=2026) == D(2027, 6, 30)


def test_date_cells_are_days() -> None:
    assert parse_day(dt.datetime(2026, 6, 30, 14, 5)) == D(2026, 6, 30)
    assert parse_deadline(D(2026, 6, 30)) == D(2026, 6, 30)
    assert parse_month(dt.datetime(2026, 11, 3)) == "2026-11"


def test_a_date_cell_before_2000_is_a_number_typed_into_it() -> None:
    # Excel keeps a typed 2026.10 as 2026.1: in a date cell, 1905-07-18 02:24
    with pytest.raises(DateTextError) as caught:
        parse_day(dt.datetime(1905, 7, 18, 2, 24))
    assert (caught.value.text, caught.value.hint) == ("2026.1", HINT_NUMBER)
    with pytest.raises(DateTextError):
        parse_deadline(D(1905, 7, 18))


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        (2026.1, HINT_NUMBER),  # Excel's number for a typed 2026.10
        (2026, HINT_NUMBER),
        (46203, HINT_NUMBER),  # a date serial in a cell not formatted as a date
        (Decimal("2026.1"), HINT_NUMBER),
        ("2026.10", HINT_NUMBER),
        ("2026.1", HINT_NUMBER),
        ("２０２６．１０", HINT_NUMBER),
        ("46203", HINT_NUMBER),
        ("持续推进", HINT_ONGOING),
        ("长期坚持", HINT_ONGOING),
        ("常态化", HINT_ONGOING),
        ("每季度报送", HINT_ONGOING),
        ("2026-02-30", HINT_IMPOSSIBLE),
        ("2026年2月29日", HINT_IMPOSSIBLE),
        ("2026/13/1", HINT_IMPOSSIBLE),
        ("6月31日", HINT_IMPOSSIBLE),
        ("0000-01-01", HINT_IMPOSSIBLE),
        ("13月底", HINT_IMPOSSIBLE),
        ("tomorrow", None),
        ("", None),
        ("2026-06-30-01", None),
        ("2026-6/30", None),  # one separator throughout
        (True, None),
        (None, None),
    ],
)
def test_refusals_carry_their_hint(value: Any, hint: str | None) -> None:
    for parse, forms in ((parse_deadline, HINT_DEADLINE_FORMS), (parse_day, HINT_FORMS)):
        with pytest.raises(DateTextError) as caught:
            parse(value, year=2026)
        expected = hint or forms
        if parse is parse_day and value == "13月底":
            expected = HINT_DAY  # a deadline phrase, whatever its month
        assert caught.value.hint == expected, (parse.__name__, value)


@pytest.mark.parametrize("text", ["6月30日", "6月底", "年底前", "上半年", "第三季度", "9月30日前"])
def test_no_year_no_guess(text: str) -> None:
    with pytest.raises(DateTextError) as caught:
        parse_deadline(text)
    assert caught.value.hint == HINT_YEAR
    with pytest.raises(DateTextError) as caught:
        parse_day("6月30日")
    assert caught.value.hint == HINT_YEAR


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("2026-11", "2026-11"),
        ("2026-1", "2026-01"),
        ("2026/11", "2026-11"),
        ("2026年11月", "2026-11"),
        ("11月", "2026-11"),
        ("11月份", "2026-11"),
        ("１１月", "2026-11"),
    ],
)
def test_months(text: str, month: str) -> None:
    assert parse_month(text, year=2026) == month


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("2026-13", HINT_MONTH),
        ("2026.11", HINT_NUMBER),
        (2026.11, HINT_NUMBER),
        ("11", HINT_NUMBER),
        ("十一月", HINT_MONTH),
        ("2026-11-01", HINT_MONTH),
    ],
)
def test_month_refusals(value: Any, hint: str) -> None:
    with pytest.raises(DateTextError) as caught:
        parse_month(value, year=2026)
    assert caught.value.hint == hint
    with pytest.raises(DateTextError) as caught:
        parse_month("11月")
    assert caught.value.hint == HINT_YEAR


# -- invariants -------------------------------------------------------------------------------------
days = st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))
WIDE = str.maketrans({str(i): chr(0xFF10 + i) for i in range(10)})


def day_forms(d: dt.date) -> list[str]:
    forms = [
        d.isoformat(),
        f"{d.year}-{d.month}-{d.day}",
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}/{d.month:02d}/{d.day:02d}",
        f"{d.year}.{d.month}.{d.day}",
        f"{d.year}年{d.month}月{d.day}日",
        f"{d.month}月{d.day}日",
    ]
    return forms + [f.translate(WIDE) for f in forms] + [f" {f} " for f in forms]


@settings(max_examples=examples(100))
@given(days)
def test_every_day_round_trips_through_each_written_form(d: dt.date) -> None:
    for text in day_forms(d):
        assert parse_day(text, year=d.year) == d, text
        assert parse_deadline(text, year=d.year) == d, text
        assert parse_deadline(text + "前", year=d.year) == d, text


@settings(max_examples=examples(100))
@given(days)
def test_every_period_end_round_trips(d: dt.date) -> None:
    end = D(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
    for text in (f"{d.year}年{d.month}月", f"{d.month}月底前", f"{d.year}-{d.month:02d}"):
        assert parse_deadline(text, year=d.year) == end, text
    quarter = (d.month - 1) // 3 + 1
    q_end = D(d.year, 3 * quarter, calendar.monthrange(d.year, 3 * quarter)[1])
    assert parse_deadline(f"{d.year}年第{'一二三四'[quarter - 1]}季度", year=d.year) == q_end
    assert parse_deadline(f"{quarter}季度末", year=d.year) == q_end
    half = D(d.year, 6, 30) if d.month <= 6 else D(d.year, 12, 31)
    assert parse_deadline(("上" if d.month <= 6 else "下") + "半年", year=d.year) == half
    assert parse_month(f"{d.year}年{d.month}月") == f"{d:%Y-%m}"
    assert parse_month(f"{d.month}月", year=d.year) == f"{d:%Y-%m}"


@settings(max_examples=examples(100))
@given(
    st.one_of(
        st.text(max_size=30),
        st.text(
            alphabet="0123456789０１２３４５６７８９-/.年月日号底末前上下半第季度一二三四 ",
            max_size=16,
        ),
        st.floats(allow_nan=True),
        st.integers(),
    ),
    st.one_of(st.none(), st.integers(min_value=1, max_value=9999)),
)
def test_nothing_but_datetexterror_escapes(value: Any, year: int | None) -> None:
    for parse in (parse_day, parse_deadline, parse_month):
        try:
            result = parse(value, year=year)
        except DateTextError as exc:
            assert isinstance(exc.text, str)
        else:
            assert isinstance(result, (dt.date, str))


def test_a_text_read_before_reads_the_same_in_another_year_and_refuses_again() -> None:
    """Texts are read once and remembered (an import reads the same dates on thousands of
    rows): the year that completes them is part of what is remembered, a refusal is not, and
    a cell that is no text is read as the text it shows."""
    for _ in range(2):
        assert parse_deadline("6月底", year=2026) == D(2026, 6, 30)
        assert parse_deadline("6月底", year=2027) == D(2027, 6, 30)
        assert parse_day("6月30日", year=2026) == D(2026, 6, 30)
        assert parse_day("6月30日", year=2028) == D(2028, 6, 30)
        with pytest.raises(DateTextError) as day:
            parse_day("6月底", year=2026)
        assert day.value.hint == HINT_DAY
        with pytest.raises(DateTextError) as deadline:
            parse_deadline("2026-13-01")
        assert deadline.value.hint == HINT_IMPOSSIBLE
        with pytest.raises(DateTextError):
            parse_deadline(None)
        assert parse_deadline(D(2026, 3, 31)) == D(2026, 3, 31)
