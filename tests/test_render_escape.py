"""reformctl.render.escape: what users typed cannot break the line, the cell, the command or
the document it is written into."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reformctl.render.escape import (
    gh_data,
    gh_property,
    md_code,
    md_inline,
    safe_line,
    safe_path,
    visible,
    xml_text,
)

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def test_examples() -> None:
    assert visible("a\x1b[31mb\n\r\t\x0b\u2028") == "a\\x1b[31mb\\n\\r\\t\\x0b\\u2028"
    assert safe_line("  ::warning file=x::y") == "\\::warning file=x::y"
    assert safe_path("::x.toml") == "./::x.toml" and safe_path("-x") == "./-x"
    assert md_inline("- ✓ a|b `c` <d>\n# e") == "\\- ✓ a\\|b \\`c\\` \\<d\\> ⏎ \\# e"
    assert md_inline("1. x") == "\\1. x"
    assert md_code("a`b") == "``a`b``" and md_code("`") == "`` ` ``"
    assert gh_data("50%\r\nx\x1b") == "50%25%0D%0Ax\\x1b"
    assert gh_property("a:b,c") == "a%3Ab%2Cc"
    assert xml_text("a\x0bb\x00c\td") == "a\\x0bb\\x00c\td"


@given(st.text())
def test_visible_leaves_no_control_character(text: str) -> None:
    assert not CONTROL.search(visible(text))
    assert "\n" not in safe_line(text) and not safe_line(text).lstrip().startswith("::")


@given(st.text())
def test_markdown_stays_on_its_line_and_in_its_cell(text: str) -> None:
    out = md_inline(text)
    assert not CONTROL.search(out)
    assert not re.search(r"(?<!\\)(?:\\\\)*[|`]", out.replace("\\\\", ""))
    assert not re.match(r"\s*([-+*>#=]|\d+[.)])", out)


@given(st.text())
def test_github_command_data_is_one_line(text: str) -> None:
    assert not CONTROL.search(gh_data(text))
    assert not re.search("[:,\r\n]", gh_property(text))


@given(st.text())
def test_xml_text_is_always_well_formed(text: str) -> None:
    node = ET.Element("x", a=xml_text(text))
    node.text = xml_text(text)
    assert ET.fromstring(ET.tostring(node)).get("a") is not None


FORGED = "试点\n::warning file=x::伪造\r\x1b[2J| a |"


def test_read_commands_cannot_forge_workflow_commands(tmp_path: Path) -> None:
    import json

    from tests.conftest import BASE, run, write_ledger

    typed = json.dumps(FORGED, ensure_ascii=True)
    write_ledger(
        tmp_path,
        BASE.replace('name = "开展试点"', f"name = {typed}").replace(
            'title = "深化集体林权制度改革"', f"title = {typed}"
        ),
    )
    for args in (
        ["list"],
        ["overdue"],
        ["show", "R26-01"],
        ["progress", "--by", "point"],
        ["check"],
    ):
        for fmt in ("plain", "markdown"):
            extra = [] if args == ["check"] else ["--format", fmt]
            result = run(*args, *extra)
            assert result.code in (0, 1), (args, result.stderr)
            assert "\x1b" not in result.stdout and "\r" not in result.stdout, args
            for line in result.stdout.splitlines():
                assert not line.lstrip().startswith("::"), (args, fmt, line)
    write_ledger(tmp_path, BASE.replace('title = "测试台账"', f"title = {typed}"))
    assert run("report", "half", "--out", "half.md").code == 0
    for out in (run("report", "half").stdout, (tmp_path / "half.md").read_text(encoding="utf-8")):
        assert "\x1b" not in out and "\r" not in out
        assert not any(line.lstrip().startswith("::") for line in out.splitlines())
