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


def _zoneinfo_takes(name: str) -> bool:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def test_a_known_zone_is_one_zoneinfo_takes() -> None:
    """The system folder's answer (no zoneinfo import) is zoneinfo's, for every zone it knows
    and for names that are files there but no zones, folders, paths out of it, and odd
    spellings."""
    import zoneinfo

    others = ["zone.tab", "tzdata.zi", "Asia", "posix", "../zoneinfo/UTC", "/etc/localtime"]
    others += ["Asia/Shanghai/", "asia/shanghai", "Asia//Shanghai", "", " UTC", "Nowhere/City"]
    names = sorted(zoneinfo.available_timezones()) + others
    assert len(names) > 300
    assert [clock.known_zone(n) for n in names] == [_zoneinfo_takes(n) for n in names]


@settings(max_examples=examples(300), deadline=None)
@given(st.text(alphabet="Asia/Shanghaiz+-_.UTC0123", max_size=20))
def test_any_name_is_known_as_zoneinfo_knows_it(name: str) -> None:
    assert clock.known_zone(name) == _zoneinfo_takes(name)


def test_a_zone_path_of_ones_own_is_asked_of_zoneinfo(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    """With PYTHONTZPATH set, zoneinfo reads other folders: the system folder is not asked
    (a zone there may be none of zoneinfo's)."""
    monkeypatch.setenv("PYTHONTZPATH", "/nonexistent")
    monkeypatch.setattr(clock, "_SYSTEM_ZONES", "/nonexistent-too")
    assert clock.known_zone("Asia/Shanghai") == _zoneinfo_takes("Asia/Shanghai")
