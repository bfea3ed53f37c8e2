"""Differences between two ledgers as text, Markdown (a pull-request comment) or JSON; and a
ledger rendered one fact a line for git's textconv, so `git diff` reads in ledger terms."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING, Any

from reformctl.facts import Difference, Fact, as_record, flatten
from reformctl.i18n import has_label, label, tr
from reformctl.render.escape import md_inline, safe_line, safe_path, visible
from reformctl.render.json import write_json
from reformctl.schema import Section

if TYPE_CHECKING:
    from reformctl.ledger.read import Salvaged

MARKS = {
    "added": "+",
    "removed": "-",
    "done": "✓",
    "undone": "↺",
    "extended": "↷",
    "closed": "■",
    "reopened": "↺",
}


def _value(v: Any, lang: str) -> str:
    if v is None:
        return label("none", lang)
    if isinstance(v, bool):
        return label("yes" if v else "no", lang)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k} = {_value(x, lang)}" for k, x in v.items()) + "}"
    if isinstance(v, (tuple, list)):
        return "、".join(str(x) for x in v) or label("none", lang)
    return str(v)


# the fields whose values are unit keys: a person reads the units' names there
UNIT_FIELDS = ("lead", "units", "unit", "approved_by", "office_unit")


def named(d: Difference, unit_name: Callable[[str], str]) -> Difference:
    """``d`` with units by name, not key, where a change shows them (a new point's lead, a
    changed lead or units...)."""
    from dataclasses import replace

    def name(value: Any) -> Any:
        if isinstance(value, str):
            return unit_name(value)
        if isinstance(value, (list, tuple)):
            return [unit_name(v) if isinstance(v, str) else v for v in value]
        return value

    if d.kind == "point-added":
        return replace(d, detail=name(d.detail))
    if d.field in UNIT_FIELDS:
        return replace(d, before=name(d.before), after=name(d.after))
    return d


def unit_names(*datas: dict[str, Any] | None) -> Callable[[str], str]:
    """A unit's name as the first of ``datas`` (parsed ledgers, valid or not) declaring it has
    it; its key where none does."""
    names: dict[str, str] = {}
    for data in reversed(datas):
        units = (data or {}).get("units")
        if isinstance(units, dict):
            for key, unit in units.items():
                if isinstance(unit, dict) and isinstance(unit.get("name"), str):
                    names[key] = unit["name"]
    return lambda key: names.get(key, key)


def describe(d: Difference, lang: str, esc: Callable[[str], str] = visible) -> str:
    """One change in words; every value from the ledger passed through ``esc`` (made visible
    for plain text by default, escaped for Markdown)."""
    args = {k: esc(_value(getattr(d, k), lang)) for k in ("before", "after", "detail")}
    what = label(f"kind-{d.section}", lang) if d.section else ""
    field = esc(field_label(None, d.field, lang)) if d.field else ""
    return tr(f"d-{d.kind}", lang, ref=esc(d.ref), field=field, what=what, **args)


def mark(d: Difference) -> str:
    for suffix, sign in MARKS.items():
        if d.kind.endswith(suffix) or d.kind == suffix:
            return sign
    return "~"


def write_diff(
    diffs: Sequence[Difference],
    fmt: str,
    lang: str,
    file: str,
    a: str,
    b: str,
    stream: IO[str],
    unit_name: Callable[[str], str] | None = None,
) -> None:
    """The differences as ``fmt``; in words (text, Markdown) units by ``unit_name``, in JSON by
    key as the ledger has them."""
    if fmt == "json":
        write_json(
            {"file": file, "from": a, "to": b, "changes": [as_record(d) for d in diffs]}, stream
        )
        return

    def head(esc: Callable[[str], str]) -> str:
        names = {"file": esc(file), "a": esc(a), "b": esc(b)}
        if diffs:
            return tr("diff-head", lang, n=len(diffs), **names)
        return tr("diff-none", lang, **names)

    if unit_name is not None:
        diffs = [named(d, unit_name) for d in diffs]
    if fmt == "markdown":
        stream.write(f"### {head(md_inline)}\n\n")
        for d in diffs:
            stream.write(f"- {mark(d)} {describe(d, lang, md_inline)}\n")
        return
    stream.write(safe_line(head(safe_path)) + "\n")
    for d in diffs:
        stream.write(f"{mark(d)} {describe(d, lang)}\n")


def field_label(section: Section | None, field: str, lang: str) -> str:
    """A field's name for people: 完成日期, not done."""
    base, _, n = field.partition("#")
    text = base
    for code in (f"f-{section.name}-{base}" if section else "", f"f-{base}"):
        if code and has_label(code):
            text = label(code, lang)
            break
    return f"{text}{n}" if n else text


def section_label(section: Section | None, lang: str) -> str:
    if section is None:
        return label("unknown-key", lang)
    if section.name == "ledger":
        return label("kind-ledger", lang)
    return label(f"kind-{section.name}", lang)


def _fact_value(v: Any, lang: str) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k} = {_fact_value(x, lang)}" for k, x in v.items()) + "}"
    return _value(v, lang)


def _with_names(fact: Fact, data: Any) -> Any:
    """A reference shown with the name it refers to: lyj（省林业局）."""
    field = fact.section.field(fact.field) if fact.section is not None else None
    if field is None or not field.ref or not isinstance(data, dict):
        return fact.value

    def named(key: Any) -> Any:
        for section in field.ref:
            entry = (data.get(section) or {}).get(key) if isinstance(key, str) else None
            if isinstance(entry, dict):
                name = entry.get("name") or entry.get("title")
                if isinstance(name, str):
                    return f"{key}（{name}）"
        return key

    if isinstance(fact.value, list):
        return [named(v) for v in fact.value]
    return named(fact.value)


def textconv(salvaged: Salvaged, lang: str) -> str:
    """One fact a line, in a stable order: what `git diff` compares through textconv. Each
    problem is written under the table it is about; text that does not parse comes last,
    as it is, each line marked."""
    facts = flatten(salvaged.data)
    index = salvaged.index
    starts = [h.line for h in index.headers]
    by_path: dict[tuple[str, ...], list[str]] = {}
    loose: list[str] = []
    for problem in salvaged.problems:
        if problem.loc is None:
            loose.append(problem.message(lang))
            continue
        k = bisect.bisect_right(starts, problem.loc.line) - 1
        path = index.headers[k].path if k >= 0 else ()
        by_path.setdefault(path, []).append(f"L{problem.loc.line}: {problem.message(lang)}")
    lines: list[str] = []
    mark = "⚠"

    def flush(path: tuple[str, ...]) -> None:
        for text in by_path.pop(path, []):
            lines.append(f"  {mark} {text}")

    # a 10,000-point ledger has a quarter of a million facts but a few hundred distinct
    # sections and fields: their labels are looked up once each
    # (by identity: a section is a frozen dataclass, hashed field by field)
    sections: dict[int, str] = {}
    fields: dict[tuple[int, str], tuple[str, bool]] = {}
    last: tuple[str, ...] | None = None
    for fact in facts:
        if last is not None and fact.path != last:
            flush(last)
        last = fact.path
        kind = sections.get(id(fact.section))
        if kind is None:
            kind = sections[id(fact.section)] = section_label(fact.section, lang)
        known = fields.get((id(fact.section), fact.field))
        if known is None:
            declared = fact.section.field(fact.field) if fact.section is not None else None
            known = fields[id(fact.section), fact.field] = (
                field_label(fact.section, fact.field, lang),
                declared is not None and bool(declared.ref),
            )
        name, refers = known
        value = _fact_value(
            _with_names(fact, salvaged.names or salvaged.data) if refers else fact.value, lang
        )
        lines.append(f"{kind} {fact.ref} · {name}: {value}")
    if last is not None:
        flush(last)
    for texts in by_path.values():
        lines += [f"{mark} {t}" for t in texts]
    lines += [f"{mark} {t}" for t in loose]
    for first, chunk in salvaged.raw:
        for i, raw_line in enumerate(chunk.rstrip("\n").split("\n")):
            lines.append(f"{mark} {label('unparsed', lang)} L{first + i}: {raw_line}")
    return "".join(safe_line(line) + "\n" for line in lines)
