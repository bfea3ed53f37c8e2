"""Canonical form: documented rules, idempotent, comments kept, facts unchanged."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reformctl.ledger.canonical import canonical, same_facts
from tests.conftest import BASE, DATA, examples, run, write_ledger

MESSY = """

# 头注释
schema   =   1
[ledger]

title="测试台账"\x20\x20\x20
year = 2026
timezone = "Asia/Shanghai"
  [ units . fgw ]  # 单位
  name = "省发改委"
# 附在下一表上的注释
[units.lyj]
name = "省林业局"



[groups.economy]
name = "经济体制改革专项小组"
lead = "fgw"
[points.R26-01]
title = \"\"\"多行\x20\x20\x20
  [不是表]

  保持原样\"\"\"
group = "economy"
lead = "lyj"
units = [
    "fgw",\x20\x20\x20
]
path = "p"
outcome = "o"
major = true


"""

CANONICAL = """\
# 头注释
schema = 1

[ledger]
title = "测试台账"
year = 2026
timezone = "Asia/Shanghai"

[units.fgw] # 单位
name = "省发改委"

# 附在下一表上的注释
[units.lyj]
name = "省林业局"

[groups.economy]
name = "经济体制改革专项小组"
lead = "fgw"

[points.R26-01]
title = \"\"\"多行\x20\x20\x20
  [不是表]

  保持原样\"\"\"
group = "economy"
lead = "lyj"
units = [
    "fgw",
]
path = "p"
outcome = "o"
major = true
"""


def test_canonical_rules() -> None:
    assert canonical(MESSY) == CANONICAL
    assert canonical(CANONICAL) == CANONICAL
    assert same_facts(MESSY, CANONICAL, "x")


def test_sample_and_base_are_canonical() -> None:
    for text in (BASE, (DATA / "golden-ledger.toml").read_text(encoding="utf-8")):
        assert canonical(text) == text


def test_fmt_command(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, MESSY)
    check = run("fmt", "--check")
    assert (check.code, check.stdout) == (
        1,
        "ledger.toml 不是规范格式（运行 reformctl fmt 整理）\n",
    )
    assert path.read_text(encoding="utf-8") == MESSY
    assert run("fmt").stdout == "已整理 ledger.toml 为规范格式\n"
    assert path.read_text(encoding="utf-8") == CANONICAL
    assert run("fmt").stdout == "ledger.toml 已是规范格式\n"
    assert run("fmt", "--check").code == 0


def test_fmt_refuses_a_broken_ledger(tmp_path: Path) -> None:
    path = write_ledger(tmp_path, MESSY.replace("year = 2026", "year = 20 26"))
    before = path.read_bytes()
    result = run("fmt")
    assert result.code == 2
    assert result.stderr.startswith("ledger.toml:8:")
    assert path.read_bytes() == before


lines = st.lists(
    st.sampled_from(
        [
            "",
            "  ",
            "# c",
            "   # indented",
            "[a]",
            " [ b . c ] # h",
            "[[arr]]",
            "k = 1",
            "k2=  2  ",
            '  s = "x # y"',
            'm = """x',
            "[not]",
            '"""',
            "v = [",
            "  1,",
            "]",
        ]
    ),
    max_size=25,
)


@settings(max_examples=examples(300), deadline=None)
@given(lines)
def test_canonical_is_idempotent_and_keeps_comments(chunks: list[str]) -> None:
    text = "\n".join(chunks) + "\n"
    once = canonical(text)
    assert canonical(once) == once
    comments = [c.strip() for c in chunks if c.strip().startswith("#")]
    for comment in comments:
        assert comment in once
