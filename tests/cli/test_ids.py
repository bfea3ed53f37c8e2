"""IDs a clerk mistypes: a wrong point or milestone ID gets the nearest IDs, as a wrong unit does;
a new ID that differs from an existing one only by zero-padding or case (``R26-3`` beside
``R26-03``) is refused by one rule that ``check``, every write and the merge driver run."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reformctl.rules import id_shape, id_shapes, nearest_ids
from tests.conftest import examples, run, run_process


def test_a_wrong_point_gets_the_nearest_ids(sample: Path) -> None:
    result = run_process("show", "R26-3")
    assert result.code == 2
    assert result.stderr.startswith("ledger.toml: 未知的工作要点 R26-3（是否应为 R26-03")
    done = run("done", "R26-2/salary", "--evidence", "闽政〔2026〕1号")
    assert done.code == 2 and "是否应为 R26-02" in done.stderr
    far = run("show", "ZZZ-99")
    assert far.code == 2 and "是否应为" not in far.stderr


def test_a_wrong_milestone_gets_its_points_nearest_milestones(sample: Path) -> None:
    before = sample.read_bytes()
    result = run_process("done", "R26-02/salry", "--evidence", "闽政〔2026〕1号")
    assert result.code == 2
    assert "工作要点 R26-02 没有节点 salry（是否应为 R26-02/salary？）" in result.stderr
    english = run("--lang", "en", "extend", "R26-02/SALARY", "--to", "2026-12-31", "--reason", "x")
    assert english.code == 2 and "did you mean R26-02/salary?" in english.stderr
    assert sample.read_bytes() == before


def test_a_look_alike_id_is_refused_by_every_write(sample: Path) -> None:
    before = sample.read_bytes()
    point = run_process(
        "point", "add", "R26-3", "--title", "重复", "--group", "economy", "--lead", "fgw"
    )
    assert point.code == 2
    assert re.search(
        r"ledger\.toml:\d+:\d+: 工作要点 R26-3 与 R26-03 只差大小写或补零", point.stderr
    )
    milestone = run("milestone", "add", "R26-02/Salary", "--name", "x", "--due", "2026-11-30")
    assert milestone.code == 2 and "节点 R26-02/Salary 与 R26-02/salary" in milestone.stderr
    unit = run("unit", "add", "FGW", "某单位")
    assert unit.code == 2 and "单位 FGW 与 fgw" in unit.stderr
    assert sample.read_bytes() == before
    ok = run("point", "add", "R26-30", "--title", "新要点", "--group", "economy", "--lead", "fgw")
    assert ok.code == 0, ok.stderr  # R26-30 is not R26-03: the number differs


def test_check_finds_a_look_alike_written_by_hand(sample: Path) -> None:
    text = sample.read_text(encoding="utf-8")
    header = re.search(r"^\[points\.R26-03\]$", text, re.M)
    assert header
    copied = (
        text[header.start() :]
        .split("\n[points.", 1)[0]
        .replace("[points.R26-03]", "[points.r26-3]")
    )
    sample.write_text(text + "\n" + copied + "\n", encoding="utf-8")
    result = run_process("check")
    assert result.code == 2
    line = text.count("\n") + 2
    assert (
        f"ledger.toml:{line}:1: 工作要点 r26-3 与 R26-03 只差大小写或补零"
        in result.stdout + result.stderr
    )


def test_the_merge_driver_conflicts_on_look_alikes_from_both_sides(sample: Path) -> None:
    """Each side adds a point that is new to it; merged, R26-40 and R26-040 would stand side by
    side, and the driver refuses to write that as a clean merge."""
    base = sample.parent / "base.toml"
    theirs = sample.parent / "theirs.toml"
    shutil.copy(sample, base)
    add = ["--title", "新要点", "--group", "economy", "--lead", "fgw"]
    assert run("point", "add", "R26-040", *add).code == 0
    shutil.copy(sample, theirs)
    shutil.copy(base, sample)
    assert run("point", "add", "R26-40", *add).code == 0  # ours
    merged = run_process("git", "merge-driver", str(base), str(sample), str(theirs), "ledger.toml")
    assert merged.code != 0
    assert "工作要点 R26-040 与 R26-40 只差大小写或补零" in merged.stderr


@settings(max_examples=examples(60))
@given(
    prefix=st.sampled_from(["R", "P", "C", "T"]),
    year=st.integers(0, 99),
    number=st.integers(1, 999),
    pad=st.integers(0, 3),
    upper=st.booleans(),
)
def test_padding_and_case_never_make_a_new_id(
    prefix: str, year: int, number: int, pad: int, upper: bool
) -> None:
    plain = f"{prefix}{year}-{number}"
    variant = f"{prefix}{year:02d}-{number:0{pad + len(str(number))}d}"
    variant = variant.upper() if upper else variant.lower()
    assert id_shape(plain) == id_shape(variant)
    assert nearest_ids([plain, f"{prefix}{year}-{number + 1000}"], variant)[0] == plain
    assert id_shape(plain) != id_shape(f"{prefix}{year}-{number}0")


@settings(max_examples=examples(300))
@given(
    value=st.text(st.sampled_from("0123456789aAzZ-_/.ßΣςİıKﬃ٠٣१२")),
    prefix=st.text(st.sampled_from("0123456789aARr-٠٣")),
)
def test_an_ids_shape_is_its_definition_whatever_its_letters_and_digits(
    value: str, prefix: str
) -> None:
    """The shape (fast for ASCII) is the text case-folded with every run of digits, of any
    script, as its number; a milestone's shape may be taken without its point's ``ID/``."""
    defined = re.sub(r"\d+", lambda m: str(int(m.group(0))), value.casefold())
    assert id_shape(value) == defined
    assert id_shape(f"{prefix}/{value}") == id_shape(f"{prefix}/") + id_shape(value)


@settings(max_examples=examples(300))
@given(st.lists(st.text(st.sampled_from("0123456789aAzZ-_/\n\r ßΣİ٣")), max_size=6))
def test_the_shapes_of_many_ids_at_once_are_each_ones_shape(values: list[str]) -> None:
    """id_shapes (one pass over ASCII IDs joined by line breaks) is id_shape of each: IDs
    with line breaks, digits at either end, empty ones, none at all."""
    assert id_shapes(values) == [id_shape(v) for v in values]


def test_a_milestone_whose_key_differs_from_another_only_by_case_is_named_with_both() -> None:
    from reformctl.ledger.read import load_text
    from tests.conftest import BASE

    extra = '\n[points.R26-01.milestones.PILOT]\nname = "x"\ndue = 2026-03-01\n'
    loaded = load_text(BASE + extra, "ledger.toml")
    found = [p for p in loaded.problems if p.code == "id-look-alike"]
    assert [(p.args["key"], p.args["first"]) for p in found] == [("R26-01/PILOT", "R26-01/pilot")]
    assert str(found[0].loc) == f"ledger.toml:{BASE.count(chr(10)) + 2}:1"  # (the second's header)
