"""The lexer agrees with the parser. On documents generated from the TOML 1.0 rules (every
string form and escape, every key form, comments everywhere, multi-line strings and arrays that
hold lines looking like headers and comments) and on a hand-written corpus of the
specification's corner cases: every table the lexer finds, cut out at the spans it gives, parses
to exactly that table of the whole document; every statement's value text parses to the value."""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reformctl.ledger.lexer import content_end, scan, statements
from reformctl.ledger.parse import loads
from tests.conftest import examples

# -- pieces of TOML, each a (text, value) pair ----------------------------------------------------
SAFE = st.text(alphabet=st.sampled_from([*"ab c#[]{}=.,'甲乙\t", '"', "\\", "\n"]), max_size=12)


def basic(text: str) -> str:
    out = []
    for ch in text:
        out.append({'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}.get(ch, ch))
    return '"' + "".join(out) + '"'


@st.composite
def strings(draw: st.DrawFn) -> tuple[str, Any]:
    text = draw(SAFE)
    form = draw(st.sampled_from(["basic", "literal", "ml-basic", "ml-literal", "escapes"]))
    if form == "basic":
        return basic(text), text
    if form == "literal" and "'" not in text and "\n" not in text:
        return f"'{text}'", text
    if form == "ml-literal" and "'''" not in text and not text.endswith("'"):
        lead = draw(st.sampled_from(["", "\n"]))  # a newline right after the opening is trimmed
        return f"'''{lead}{text}'''", text
    if form == "escapes":
        return '"\\u7532\\U00004E59\\b\\f\\r"', "甲乙\b\f\r"
    # multi-line basic: quotes escaped where three would meet; lines that look like TOML
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    trap = draw(st.sampled_from(["", "\n[points.X]\n", "\n# 注释\n", "\n[[a]]\n", '\n"""\\\n']))
    if trap == '\n"""\\\n':
        return f'"""{body}\n\\"""\\\n  x"""', text + '\n"""x'
    return f'"""{body}{trap}"""', text + trap


SCALARS = st.sampled_from(
    [
        ("42", 42),
        ("-1_000", -1000),
        ("3.5e2", 350.0),
        ("true", True),
        ("false", False),
        ("2026-03-31", dt.date(2026, 3, 31)),
        ("07:32:00", dt.time(7, 32)),
        ("1979-05-27 07:32:00", dt.datetime(1979, 5, 27, 7, 32)),
        ("1979-05-27T07:32:00Z", dt.datetime(1979, 5, 27, 7, 32, tzinfo=dt.UTC)),
        ("0x1F", 31),
    ]
)


def values(depth: int = 0) -> st.SearchStrategy[tuple[str, Any]]:
    base = st.one_of(strings(), SCALARS)
    if depth >= 2:
        return base
    return st.one_of(base, arrays(depth + 1), inline_tables(depth + 1))


@st.composite
def arrays(draw: st.DrawFn, depth: int) -> tuple[str, Any]:
    items = draw(st.lists(values(depth), max_size=3))
    multiline = draw(st.booleans())
    if not multiline:
        return "[" + ", ".join(t for t, _ in items) + "]", [v for _, v in items]
    lines = ["["]
    for text, _ in items:
        if draw(st.booleans()):
            lines.append('  # [注释] "x" ]')
        lines.append(f"  {text},")
    lines.append("]")
    return "\n".join(lines), [v for _, v in items]


@st.composite
def inline_tables(draw: st.DrawFn, depth: int) -> tuple[str, Any]:
    items = draw(
        st.dictionaries(st.sampled_from(["a", "b", "c d", "e.f"]), values(depth), max_size=3)
    )
    parts = []
    out: dict[str, Any] = {}
    for key, (text, value) in items.items():
        if key == "e.f":
            parts.append(f"e.f = {text}")
            out.setdefault("e", {})["f"] = value
        else:
            shown = '"c d"' if key == "c d" else key
            parts.append(f"{shown} = {text}")
            out[key] = value
    return "{ " + ", ".join(parts) + " }", out


KEYS = st.sampled_from(["name", "due", "a-b_c", '"quoted key"', "'literal'", '"点"', "x1"])


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = []
    if draw(st.booleans()):
        lines.append("top = 1  # root")
    used: set[str] = set()
    for i in range(draw(st.integers(1, 5))):
        header = draw(
            st.sampled_from(
                [f"[t{i}]", f"[ t{i} . sub ]", f'[t{i}."quoted . part"]', f"[t{i}]  # 注释 [x]"]
            )
        )
        if draw(st.booleans()):
            lines.append("# [not.a.header]")
        lines.append(header)
        keys = draw(st.lists(KEYS, unique=True, max_size=4))
        for key in keys:
            text, _ = draw(values())
            comment = draw(st.sampled_from(["", "  # c", '  #[x] "y"']))
            lines.append(f"{key} = {text}{comment}")
        used.add(header)
        lines.append(draw(st.sampled_from(["", "  ", "# trailing", "\t# [t9]"])))
    return "\n".join(lines) + "\n"


def table_data(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = data
    for key in path:
        node = node[key]
    return node


def assert_agrees(text: str) -> None:
    data = loads(text)
    assert data == tomllib.loads(text)  # the two parsers agree on the document itself
    found = scan(text)
    assert found.stopped is None
    headers = found.headers
    bounds = [h.start for h in headers] + [len(text)]
    for h, end in zip(headers, bounds[1:], strict=True):
        # the table's span, parsed alone, is that table's own keys in the whole document
        alone = loads(text[h.start : end])
        own = table_data(alone, h.path)
        whole = table_data(data, h.path)
        assert {k: v for k, v in whole.items() if k in own} == own
        # the statements the lexer finds are the table's own keys, each value parsing alone
        stmts = statements(text, h.body, end)
        assert {s.key[0] for s in stmts} == set(own)
        for s in stmts:
            value = loads("v = " + text[s.value_start : s.value_end])["v"]
            assert value == table_data(alone, (*h.path, *s.key))
        # content ends at the last statement: what follows is blank or comments only
        tail = text[content_end(text, h.body, end) : end]
        assert all(not line.strip() or line.strip().startswith("#") for line in tail.split("\n"))


@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_lexer_spans_equal_the_parsers(text: str) -> None:
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return  # a generated clash (two tables with one name): not a document
    assert_agrees(text)


CORPUS = [
    # strings: every form, escapes, quotes next to the delimiters
    'a = "tab\\there \\"quoted\\" \\\\ \\u00e9 \\U0001F600"\n[t]\nx = 1\n',
    "a = 'C:\\\\Users\\\\no escapes'\n[t]\nx = 1\n",
    'a = """\nline one\n# not a comment\n[not.a.header]\n"""\n[t]\nx = 1\n',
    "a = '''\n[[not.an.array]]\n# still text\n'''\n[t]\nx = 1\n",
    'a = """Here are two quotation marks: "". Simple enough."""\n[t]\nx = 1\n',
    'a = """Here are three quotation marks: ""\\"."""\n[t]\nx = 1\n',
    'a = """""ends with two quotes"""""\n[t]\nx = 1\n',
    "a = ''''That,' she said, 'is still pointless.''''\n[t]\nx = 1\n",
    'a = """\\\n    The quick brown \\\n    fox."""\n[t]\nx = 1\n',
    'a = """\n#1"""\n[t]\nx = 1\n',
    # keys: bare, quoted, dotted, whitespace around dots
    '"ʎǝʞ" = 1\n\'quoted "value"\' = 2\nsite."google.com" = true\nfruit . color = "y"\n[t]\nx = 1\n',
    '[ j . "ʞ" . \'l\' ]\nx = 1\n[dog."tater.man"]\ntype.name = "pug"\n',
    # arrays over lines with comments, nested, trailing commas
    'a = [\n  1, # one\n  [2, 3], # [x]\n  # ] not the end\n  "]",\n]\n[t]\nx = 1\n',
    "a = [ [ 1, 2 ], ['a', \"b\"], [ { x = 1 } ] ]\n[t]\nx = 1\n",
    # inline tables, date-times with a space, comments after headers
    'a = { first = "Tom", last = "Preston-Werner", "k k" = { y = 1 } }\n[t] # c [x]\nx = 1\n',
    "odt = 1979-05-27 07:32:00-08:00\nld = 1979-05-27\nlt = 00:32:00.999999\n[t]\nx = 1\n",
    # arrays of tables
    '[[products]]\nname = "Hammer"\n\n[[products]]\n\n[[products]]\nname = "Nail"\n[t]\nx = 1\n',
    # CRLF line endings
    'a = 1\r\n[t]\r\nx = """\r\n[u]\r\n"""\r\n[v]\r\ny = 2\r\n',
]


@pytest.mark.parametrize("text", CORPUS)
def test_lexer_on_the_specifications_corner_cases(text: str) -> None:
    data = loads(text)
    found = scan(text)
    assert found.stopped is None
    tables = {h.path for h in found.headers if not h.array}
    for h in found.headers:
        assert table_data(data, h.path) is not None
    if "[t]" in text or "[t] #" in text:
        assert ("t",) in tables
    assert ("not", "a", "header") not in tables and ("u",) not in tables
    if not any(h.array for h in found.headers):
        assert_agrees(text)
