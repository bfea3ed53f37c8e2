"""Units and groups by key or by name; unit list and group list; the nearest matches."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run


def test_list_takes_a_unit_by_name(ledger: Path) -> None:
    by_name = run("list", "--unit", "省林业局", "--format", "json")
    by_key = run("list", "--unit", "lyj", "--format", "json")
    assert by_name.code == 0
    assert by_name.stdout == by_key.stdout
    assert json.loads(by_name.stdout)[0]["id"] == "R26-01"


def test_overdue_takes_a_group_by_name(ledger: Path) -> None:
    result = run("overdue", "--group", "经济体制改革专项小组", "--format", "json")
    assert result.code == 0
    assert [i["milestone"] for i in json.loads(result.stdout)] == ["pilot"]


def test_a_typo_gets_the_nearest_match(ledger: Path) -> None:
    result = run("list", "--unit", "省林叶局")
    assert result.code == 2
    assert result.stderr == "ledger.toml: 未知的单位 省林叶局（是否应为 lyj（省林业局）？）\n"
    result = run("--lang", "en", "list", "--unit", "lj")
    assert "did you mean lyj" in result.stderr
    assert "declare" not in result.stderr


def test_nothing_near_advises_declaring_on_a_write_only(ledger: Path) -> None:
    result = run("list", "--group", "zzzz")
    assert (result.code, result.stderr) == (2, "ledger.toml: 未知的专项小组 zzzz\n")
    result = run("point", "add", "R26-09", "--title", "t", "--group", "zzzz", "--lead", "lyj")
    assert result.code == 2
    assert "reformctl group add zzzz" in result.stderr


def test_writes_take_names_and_store_keys(ledger: Path) -> None:
    before = ledger.read_bytes()
    assert run("group", "add", "forest", "林改小组", "--lead", "省林叶局").code == 2
    assert ledger.read_bytes() == before
    assert run("group", "add", "forest", "林改小组", "--lead", "省林业局").code == 0
    result = run(
        "point", "add", "R26-02", "--title", "试点", "--group", "林改小组",
        "--lead", "省发改委", "-u", "省林业局",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    text = ledger.read_text(encoding="utf-8")
    assert 'lead = "lyj"' in text.split("[groups.forest]")[1]
    point = text.split("[points.R26-02]")[1]
    assert 'group = "forest"' in point and 'lead = "fgw"' in point and 'units = ["lyj"]' in point
    assert run("edit", "R26-02", "--lead", "省林业局").code == 0
    assert 'lead = "lyj"' in ledger.read_text(encoding="utf-8").split("[points.R26-02]")[1]


def test_unit_list_counts(ledger: Path) -> None:
    result = run("unit", "list", "--format", "json")
    assert result.code == 0
    assert json.loads(result.stdout) == [
        {"key": "fgw", "name": "省发改委", "points": 0, "milestones": 0, "co_operating": 1},
        {"key": "lyj", "name": "省林业局", "points": 1, "milestones": 2, "co_operating": 0},
    ]
    plain = run("unit", "list", "--format", "plain").stdout
    assert "牵头要点" in plain and "省林业局" in plain


def test_group_list_counts(ledger: Path) -> None:
    result = run("group", "list", "--format", "json")
    assert json.loads(result.stdout) == [
        {"key": "economy", "name": "经济体制改革专项小组", "lead": "fgw", "points": 1,
         "milestones": 2},
    ]  # fmt: skip
    assert "省发改委" in run("group", "list", "--format", "plain").stdout
