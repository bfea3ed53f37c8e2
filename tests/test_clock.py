"""The one clock: today in the ledger's timezone is the day pendulum gives for the same instant."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reformctl import clock
from tests.conftest import examples

ZONES = ["Asia/Shanghai", "UTC", "America/St_Johns", "Pacific/Kiritimati", "Asia/Kathmandu"]
INSTANTS = st.datetimes(min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2099, 12, 30)).map(
    lambda d: d.replace(tzinfo=dt.UTC)
)


@given(INSTANTS, st.sampled_from(ZONES))
@settings(max_examples=examples(200))
def test_today_is_pendulums_day_for_the_same_instant(instant: dt.datetime, zone: str) -> None:
    there = pendulum.instance(instant).in_timezone(zone)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "_instant", lambda: instant)
        assert clock.today(zone) == there.date()
        assert clock.now(zone) == instant
        assert clock.now(zone).utcoffset() == there.utcoffset()


def test_a_pinned_day_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "_instant", lambda: dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC))
    assert clock.today("Asia/Shanghai") == dt.date(2026, 7, 1)
    assert clock.today("Asia/Shanghai", dt.date(2026, 1, 5)) == dt.date(2026, 1, 5)


def test_an_unknown_zone_stamps_in_the_default_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "_instant", lambda: dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC))
    assert clock.now("Nowhere/Else").isoformat() == "2026-07-01T07:30:00+08:00"
