"""Tables with no problem, read by functions compiled from their declarations (issue 25).

The builder (:mod:`reformctl.ledger.build`) reads every table through one generic reader that
interprets the declaration in :mod:`reformctl.schema` value by value and says each problem.
A large ledger's thousands of points and milestones are nearly all without a problem: for them,
a function compiled once a process from the same declarations (kinds, required, choices,
ranges, patterns, the items of arrays of tables) gives the model's arguments at a fraction of
the cost, and answers None for any table the generic reader might find a problem in, which
then goes through it. The declaration stays the one source of what a table holds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from reformctl import records
from reformctl.schema import (
    BOOL,
    DATE,
    INTEGER,
    STRING,
    STRING_LIST,
    TABLE_LIST,
    TEXT,
    Field,
    Section,
)

_MISSING = object()


def refuses(f: Field, value: Any) -> bool:
    """Whether the field's choices, range or pattern refuse a value of its kind."""
    if f.choices and value not in f.choices:
        return True
    if f.minimum is not None and value < f.minimum:
        return True
    if f.maximum is not None and value > f.maximum:
        return True
    return f.pattern is not None and re.fullmatch(f.pattern, value) is None


ValidReader = Callable[[dict[str, Any]], "dict[str, Any] | None"]
# the test of a value of each kind (``v``) that the generic reader takes with no problem
_KIND_TESTS = {
    STRING: "type(v) is str and v.strip()",
    TEXT: "type(v) is str",
    DATE: "type(v) is _date",
    BOOL: "type(v) is bool",
    INTEGER: "type(v) is int",
    STRING_LIST: "type(v) is list",
    TABLE_LIST: "type(v) is list",
}


def valid_reader(
    fields: tuple[Field, ...], models: Mapping[str, type], others: Collection[str] = ()
) -> ValidReader:
    """A function compiled from ``fields``' declarations: of a table, the model's arguments of
    every field it has (by attribute: what :meth:`_Builder.read` and :func:`_model` give)
    when the generic reader would find no problem in it; None for any table it might find
    one in (a key it does not know, a value missing, of another type, refused, blank...),
    which then goes through the generic reader, so that its problems are said as ever.
    ``models``: the model of each array of tables' items, by the field's name; ``others``:
    keys read apart (an entry's sub-tables), known but not read here.

    Compiled once a process for each of the few sections a ledger has thousands of: the
    declaration stays the one source of what a table holds."""
    return _compiled(fields, models, others, None, ())


def valid_maker(
    fields: tuple[Field, ...],
    models: Mapping[str, type],
    model: type,
    fixed: tuple[str, ...],
    others: Collection[str] = (),
) -> Callable[..., Any]:
    """:func:`valid_reader`'s answer made into ``model`` at once: ``make(table, *fixed)`` is
    ``model(*fixed, **valid_reader(...)(table))`` (by the record's field names; None where
    the reader answers None), its arguments given by position, each missing optional field
    the model's default: no dict of arguments made and taken apart again (a build makes a
    milestone and its extensions so 45,000 times at 10,000 points)."""
    return _compiled(fields, models, others, model, fixed)


# each section's reader and maker, compiled when first asked for (a command that builds no
# point compiles none), by the section's name
_READERS: dict[str, ValidReader] = {}
_MAKERS: dict[str, Callable[..., Any]] = {}


def section_reader(section: Section, models: Mapping[str, type]) -> ValidReader:
    """The :func:`valid_reader` of a section's entries (its sub-tables read apart, the
    models of its arrays of tables' items in ``models``)."""
    read = _READERS.get(section.name)
    if read is None:
        read = _READERS[section.name] = valid_reader(section.fields, models, apart(section))
    return read


def section_maker(
    section: Section, models: Mapping[str, type], model: type, fixed: tuple[str, ...]
) -> Callable[..., Any]:
    """The :func:`valid_maker` of a section's entries (``model``'s other arguments,
    ``fixed``, given first; the same for every call of a section)."""
    make = _MAKERS.get(section.name)
    if make is None:
        others = apart(section)
        make = _MAKERS[section.name] = valid_maker(section.fields, models, model, fixed, others)
    return make


def apart(section: Section) -> list[str]:
    """The keys of a section's entries read apart (its sub-tables)."""
    names = {f.name for f in section.fields}
    return [key for key in section.field_names if key not in names]


def _compiled(
    fields: tuple[Field, ...],
    models: Mapping[str, type],
    others: Collection[str],
    model: type | None,
    fixed: tuple[str, ...],
) -> Callable[..., Any]:
    """The reader (``model`` None: of the arguments by attribute) or the maker."""
    env: dict[str, Any] = {"_M": _MISSING, "_date": dt.date, "_refuses": refuses}
    env["_strip"] = str.strip
    # (n: the keys read; each required field's is, or the table is not answered for)
    required = sum(f.required for f in fields)
    code = [
        f"def read({', '.join(('table', *fixed))}):",
        "    get = table.get",
        f"    n = {required}",
    ]
    if model is None:
        code.append("    out = {}")
    else:
        made = records.defaults(model)
    for i, f in enumerate(fields):
        env[f"f{i}"] = f
        code.append(f"    v = get({f.name!r}, _M)")
        code.append("    if v is _M:")
        if f.required:
            code.append("        return None")
        elif model is None:
            code.append("        pass")
        else:
            env[f"d{i}"] = made[f.attribute]  # (a KeyError: an optional field needs a default)
            code.append(f"        a{i} = d{i}")
        test = _KIND_TESTS[f.kind]
        if f.kind not in (STRING_LIST, TABLE_LIST) and f.constrained:
            test += f" and not _refuses(f{i}, v)"
        code.append(f"    elif not ({test}):")
        code.append("        return None")
        code.append("    else:")
        if f.kind == STRING_LIST:
            # (the generic reader: blank elements refused, or, given a pattern, each refused
            # element left out with its problem)
            if f.pattern is None:  # (a string's strip from C; any other element: TypeError)
                code.append("        try:")
                code.append("            if not all(map(_strip, v)):")
                code.append("                return None")
                code.append("        except TypeError:")
                code.append("            return None")
            else:
                code.append(
                    f"        if not all(type(x) is str and not _refuses(f{i}, x) for x in v):"
                )
                code.append("            return None")
            code.append("        v = tuple(v)")
        elif f.kind == TABLE_LIST:
            env[f"items{i}"] = _items_reader(models[f.name], f.item, models)
            code.append(f"        v = items{i}(v)")
            code.append("        if v is None:")
            code.append("            return None")
        if model is None:
            code.append(f"        out[{f.attribute!r}] = v")
        else:
            code.append(f"        a{i} = v")
        if not f.required:
            code.append("        n += 1")
    for key in others:
        code.append(f"    if {key!r} in table:")
        code.append("        n += 1")
    if model is None:
        code.append("    return out if n == len(table) else None")
    else:
        env["_model"] = model
        where = {f.attribute: f"a{i}" for i, f in enumerate(fields)}
        where.update({name: name for name in fixed})
        for name, value in made.items():
            if name not in where:
                env[f"_d_{name}"] = value
                where[name] = f"_d_{name}"
        args = [where[name] for name in records.fields(model)]  # (a KeyError: unset)
        slots = records.setters(model)
        if slots is None:
            code.append(f"    return _model({', '.join(args)}) if n == len(table) else None")
        else:  # (made as its __init__ makes it, without the call: records.setters)
            code += ["    if n != len(table):", "        return None", "    o = _new(_model)"]
            env["_new"] = object.__new__
            for j, (arg, setter) in enumerate(zip(args, slots, strict=True)):
                env[f"_set{j}"] = setter
                code.append(f"    _set{j}(o, {arg})")
            code.append("    return o")
    names = "-".join(f.name for f in fields[:2])  # (what a profile or a traceback names)
    exec(compile("\n".join(code), f"<valid reader: {names}...>", "exec"), env)
    return env["read"]  # type: ignore[no-any-return]


def _items_reader(
    cls: type, fields: tuple[Field, ...], models: Mapping[str, type]
) -> Callable[[list[Any]], tuple[Any, ...] | None]:
    """An array of tables' items as models, when each is a table with no problem."""
    make = valid_maker(fields, models, cls, ())

    def items(value: list[Any]) -> tuple[Any, ...] | None:
        out = []
        for item in value:
            if type(item) is not dict:
                return None
            made = make(item)
            if made is None:
                return None
            out.append(made)
        return tuple(out)

    return items
