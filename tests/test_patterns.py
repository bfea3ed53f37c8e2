"""A lazily compiled pattern answers as the compiled one does, and compiles only when used."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reformctl.patterns import lazy
from tests.conftest import examples

PATTERNS = [r"(\d+)-(?P<x>\w)", r"\s+", r"^(<{7}|>{7})(?: |$)", r"[\ud800-\udfff]", r"月(份)?"]


@given(st.sampled_from(PATTERNS), st.text(alphabet="12-ab 月份<>\n", max_size=30))
@settings(max_examples=examples(200))
def test_it_answers_as_the_compiled_pattern(pattern: str, text: str) -> None:
    flags = re.M
    mine, theirs = lazy(pattern, flags), re.compile(pattern, flags)
    assert bool(mine.match(text)) == bool(theirs.match(text))
    assert [m.span() for m in mine.finditer(text)] == [m.span() for m in theirs.finditer(text)]
    assert mine.sub("#", text) == theirs.sub("#", text)
    assert mine.split(text) == theirs.split(text)
    assert (mine.pattern, mine.flags, mine.groups) == (theirs.pattern, theirs.flags, theirs.groups)


def test_it_compiles_on_first_use_only(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = []
    real = re.compile
    monkeypatch.setattr(re, "compile", lambda *a: compiled.append(a) or real(*a))
    pattern = lazy(r"\d+")
    assert compiled == []
    assert pattern.fullmatch("12") and pattern.search("a1") and not pattern.match("a")
    assert compiled == [(r"\d+", 0)]  # once
    assert "lazy" in repr(pattern)
