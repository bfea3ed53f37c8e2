"""Records: what ``@dataclass(slots=True)`` gives, for less at start-up.

Every command imports a few dozen classes of plain data (the model, problems, the lexer's
statements, a table's columns...). The standard library's ``dataclass`` compiles five or six
methods for each one (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``,
``__delattr__``), inspects every annotation and builds each slotted class twice: ~0.4 ms a
class, ~15 ms of every command on Python 3.11, more than the work of a write at office scale.
:func:`record` compiles ``__init__`` alone, when the first object is made (the one method
whose speed counts: a build makes one object a milestone), and shares one function for each of
the others among all records:

- fields are the class's annotations in order, with the class's values as their defaults, or
  :func:`field` ``(default_factory=...)`` for a new list or dict each time; a field without a
  default may not follow one with a default;
- instances are slotted (``record(slots=False)``: not, for a ``functools.cached_property``);
  frozen by default: assigning or deleting a field raises
  :class:`FrozenError` (an ``AttributeError``, as ``dataclasses.FrozenInstanceError`` is);
  ``record(frozen=False)`` makes a mutable one (unhashable, as a mutable dataclass is);
- equal when of the same class with equal fields, frozen ones hashed by their fields
  (``record(eq=False)``: equal only to itself, hashed by identity), shown as
  ``Name(field=value, ...)``, pickled (and copied) by their constructor's arguments;
- :func:`fields`, :func:`replace`, :func:`as_dict` and :func:`as_tuple` are
  ``dataclasses.fields`` (the names), ``dataclasses.replace`` and a shallow
  ``dataclasses.asdict`` and ``astuple``; :func:`defaults`, each field's default by name.

tests/test_records.py holds each of these to what ``dataclass(slots=True)`` (frozen or not)
does with the same class. Type checkers read the decorator as a dataclass's (PEP 681).
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable
from typing import Any, TypeVar, cast, dataclass_transform, overload

__all__ = [
    "FrozenError",
    "as_dict",
    "as_tuple",
    "defaults",
    "field",
    "fields",
    "is_record",
    "record",
    "replace",
    "setters",
]

T = TypeVar("T")

_NAMES = "__record_fields__"
_GET = "__record_get__"
_DEFAULTS = "__record_defaults__"  # name -> its default (a field(...) for a factory)


class FrozenError(AttributeError):
    """A field of a frozen record was assigned or deleted."""


class _Factory:
    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


def field(*, default_factory: Callable[[], T]) -> T:
    """A field whose default is made anew for each record (``default_factory()``)."""
    return cast("T", _Factory(default_factory))


@overload
def record(cls: type[T], /) -> type[T]: ...


@overload
def record(
    *, frozen: bool = True, eq: bool = True, slots: bool = True
) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(
    cls: type[T] | None = None,
    /,
    *,
    frozen: bool = True,
    eq: bool = True,
    slots: bool = True,
) -> type[T] | Callable[[type[T]], type[T]]:
    """The class as a record of its annotated fields (see the module)."""

    def make(cls: type[T]) -> type[T]:
        return _made(cls, frozen, eq, slots)

    return make if cls is None else make(cls)


def _made(cls: type[T], frozen: bool, eq: bool, slots: bool) -> type[T]:
    own = cls.__dict__
    names = tuple(own.get("__annotations__", {}))
    if cls.__bases__ != (object,):
        raise TypeError(f"a record has no base class: {cls.__name__}")
    defaults = {name: own[name] for name in names if name in own}
    for before, name in itertools.pairwise(names):
        if before in defaults and name not in defaults:
            raise TypeError(f"{cls.__qualname__}: {name!r}, without a default, follows a default")
    namespace = {k: v for k, v in own.items() if k not in defaults and k not in _DROPPED}
    if slots:
        namespace["__slots__"] = names
    namespace["__match_args__"] = names
    namespace[_NAMES] = names
    namespace[_GET] = _getter(names)
    namespace[_DEFAULTS] = defaults
    owner: list[type] = []
    namespace["__init__"] = _first_init(owner, cls.__qualname__, names, defaults)
    namespace["__repr__"] = _repr
    namespace["__reduce__"] = _reduce
    if eq:
        namespace["__eq__"] = _eq
        namespace["__hash__"] = _hash if frozen else None
    if frozen:
        namespace["__setattr__"] = _setattr
        namespace["__delattr__"] = _delattr
    made = type(cls.__name__, (object,), namespace)
    made.__qualname__ = cls.__qualname__
    owner.append(made)
    return cast("type[T]", made)


# what a class body holds that the record makes again (the slots replace the class's own
# attributes; ``__weakref__`` and ``__dict__`` are not wanted)
_DROPPED = ("__dict__", "__weakref__")


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if not names:
        return lambda obj: ()
    get = operator.attrgetter(*names)
    return (lambda obj: (get(obj),)) if len(names) == 1 else get


def _first_init(
    owner: list[type], qualname: str, names: tuple[str, ...], defaults: dict[str, Any]
) -> Any:
    """An ``__init__`` that compiles the record's own on the first call and puts it in its
    place (``owner[0]``, the record): a command makes objects of few of the records it
    imports, and compiling each ``__init__`` at import cost every command ~2 ms."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init = _init(owner[0], qualname, names, defaults)
        owner[0].__init__ = init  # type: ignore[misc]
        init(self, *args, **kwargs)

    __init__.__qualname__ = f"{qualname}.__init__"
    return __init__


class _Missing:
    """No argument was given for a field with a default factory."""


def _init(
    cls: type, qualname: str, names: tuple[str, ...], defaults: dict[str, Any]
) -> Callable[..., None]:
    """The one compiled method: ``__init__(self, a, b, c=<default>)`` setting each field (a
    field with a factory: ``c=_MISSING``, made when not given). A slotted record's fields are
    set by their slots' own ``__set__`` (a frozen record's ``__setattr__`` refuses), a third
    faster than ``object.__setattr__`` by name: a build makes 100,000 records at 10,000 points."""
    params, body = ["self"], []
    scope: dict[str, Any] = {"_set": object.__setattr__, "_MISSING": _Missing}
    slotted = "__slots__" in cls.__dict__
    for name in names:
        value = name
        if name not in defaults:
            params.append(name)
        elif isinstance(defaults[name], _Factory):
            params.append(f"{name}=_MISSING")
            scope[f"_f_{name}"] = defaults[name].make
            value = f"_f_{name}() if {name} is _MISSING else {name}"
        else:
            params.append(f"{name}=_d_{name}")
            scope[f"_d_{name}"] = defaults[name]
        if slotted:
            scope[f"_s_{name}"] = cls.__dict__[name].__set__
            body.append(f"  _s_{name}(self, {value})")
        else:
            body.append(f"  _set(self, {name!r}, {value})")
    source = f"def __init__({', '.join(params)}):\n" + ("\n".join(body) or "  pass") + "\n"
    # (the source is made above from identifiers only; named, for a profile or a traceback)
    exec(compile(source, f"<record {qualname}>", "exec"), scope)
    init = scope["__init__"]
    init.__qualname__ = f"{qualname}.__init__"
    return init  # type: ignore[no-any-return]


def _setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    raise FrozenError(f"cannot delete field {name!r}")


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    get = self.__record_get__
    return get(self) == get(other)


def _hash(self: Any) -> int:
    return hash(self.__record_get__(self))


def _repr(self: Any) -> str:
    values = self.__record_get__(self)
    shown = ", ".join(f"{n}={v!r}" for n, v in zip(self.__record_fields__, values, strict=True))
    return f"{self.__class__.__qualname__}({shown})"


def _reduce(self: Any) -> tuple[type, tuple[Any, ...]]:
    return (self.__class__, self.__record_get__(self))


def is_record(obj: Any) -> bool:
    """Whether ``obj`` is a record class or an instance of one."""
    return hasattr(obj, _NAMES)


def fields(obj: Any) -> tuple[str, ...]:
    """The names of a record's (or a record class's) fields, in order."""
    return obj.__record_fields__  # type: ignore[no-any-return]


def setters(cls: type) -> tuple[Callable[[Any, Any], None], ...] | None:
    """Each field's own slot setter, in the fields' order, of a slotted record (None for one
    without slots): what its ``__init__`` calls, so that ``object.__new__(cls)`` with each
    field set by these is ``cls(*values)``, made without a call of ``__init__`` (a build
    makes 100,000 records at 10,000 points)."""
    if "__slots__" not in cls.__dict__:
        return None
    return tuple(cls.__dict__[name].__set__ for name in fields(cls))


def defaults(cls: type) -> dict[str, Any]:
    """Each field's default by name, of a record class (a field with none, or with a default
    factory, is not in it)."""
    made = cls.__record_defaults__  # type: ignore[attr-defined]
    return {k: v for k, v in made.items() if not isinstance(v, _Factory)}


def replace(obj: T, **changes: Any) -> T:
    """A copy of the record with ``changes`` to its fields (an unknown name is a TypeError)."""
    names = fields(obj)
    unknown = set(changes).difference(names)
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no field {sorted(unknown)[0]!r}")
    values = dict(zip(names, obj.__record_get__(obj), strict=True))  # type: ignore[attr-defined]
    values.update(changes)
    return type(obj)(**values)


def as_tuple(obj: Any) -> tuple[Any, ...]:
    """The record's fields in order (values as they are: a shallow ``dataclasses.astuple``)."""
    return obj.__record_get__(obj)  # type: ignore[no-any-return]


def as_dict(obj: Any) -> dict[str, Any]:
    """The record's fields by name (values as they are: a shallow ``dataclasses.asdict``)."""
    return dict(zip(fields(obj), obj.__record_get__(obj), strict=True))
