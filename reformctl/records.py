"""Frozen records: what ``@dataclass(frozen=True, slots=True)`` gives, for less at start-up.

Every command imports the model's two dozen classes. The standard library's ``dataclass``
compiles five or six methods for each one (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``,
``__setattr__``, ``__delattr__``), inspects every annotation and builds each slotted class
twice: ~13 ms of every command on Python 3.11, more than the work of a write at office scale.
:func:`record` compiles ``__init__`` alone (the one method whose speed counts: a build makes one
object a milestone) and shares one function for each of the others among all records:

- fields are the class's annotations in order, with the class's values as their defaults
  (immutable ones: there is no ``default_factory``); a field without a default may not follow
  one with a default;
- instances are slotted and frozen: assigning or deleting a field raises :class:`FrozenError`
  (an ``AttributeError``, as ``dataclasses.FrozenInstanceError`` is);
- equal when of the same class with equal fields, hashed by their fields, shown as
  ``Name(field=value, ...)``, pickled (and copied) by their constructor's arguments;
- :func:`fields`, :func:`replace` and :func:`as_dict` are ``dataclasses.fields`` (the names),
  ``dataclasses.replace`` and a shallow ``dataclasses.asdict``.

tests/test_records.py holds each of these to what ``dataclass(frozen=True, slots=True)`` does
with the same class. Type checkers read the decorator as a frozen dataclass (PEP 681).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, TypeVar, cast, dataclass_transform

__all__ = ["FrozenError", "as_dict", "fields", "is_record", "record", "replace"]

T = TypeVar("T")

_NAMES = "__record_fields__"
_GET = "__record_get__"


class FrozenError(AttributeError):
    """A field of a frozen record was assigned or deleted."""


@dataclass_transform(frozen_default=True)
def record(cls: type[T]) -> type[T]:
    """The class as a frozen, slotted record of its annotated fields (see the module)."""
    own = cls.__dict__
    names = tuple(own.get("__annotations__", {}))
    if cls.__bases__ != (object,):
        raise TypeError(f"a record has no base class: {cls.__name__}")
    defaults = {name: own[name] for name in names if name in own}
    namespace = {k: v for k, v in own.items() if k not in defaults and k not in _DROPPED}
    namespace["__slots__"] = names
    namespace["__match_args__"] = names
    namespace[_NAMES] = names
    namespace[_GET] = _getter(names)
    namespace["__init__"] = _init(cls.__qualname__, names, defaults)
    namespace.update(_SHARED)
    made = type(cls.__name__, (object,), namespace)
    made.__qualname__ = cls.__qualname__
    return cast("type[T]", made)


# what a class body holds that the record makes again (the slots replace the class's own
# attributes; ``__weakref__`` and ``__dict__`` are not wanted)
_DROPPED = ("__dict__", "__weakref__")


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if not names:
        return lambda obj: ()
    get = operator.attrgetter(*names)
    return (lambda obj: (get(obj),)) if len(names) == 1 else get


def _init(qualname: str, names: tuple[str, ...], defaults: dict[str, Any]) -> Callable[..., None]:
    """The one compiled method: ``__init__(self, a, b, c=<default>)`` setting each field."""
    params, body = ["self"], []
    seen_default = False
    for name in names:
        if name in defaults:
            params.append(f"{name}=_d_{name}")
            seen_default = True
        elif seen_default:
            raise TypeError(f"{qualname}: field {name!r} without a default follows one with")
        else:
            params.append(name)
        body.append(f"  _set(self, {name!r}, {name})")
    source = f"def __init__({', '.join(params)}):\n" + ("\n".join(body) or "  pass") + "\n"
    scope: dict[str, Any] = {"_set": object.__setattr__}
    scope.update({f"_d_{name}": value for name, value in defaults.items()})
    exec(source, scope)  # (the source is made above from identifiers only)
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


_SHARED: dict[str, Any] = {
    "__setattr__": _setattr,
    "__delattr__": _delattr,
    "__eq__": _eq,
    "__hash__": _hash,
    "__repr__": _repr,
    "__reduce__": _reduce,
}


def is_record(obj: Any) -> bool:
    """Whether ``obj`` is a record class or an instance of one."""
    return hasattr(obj, _NAMES)


def fields(obj: Any) -> tuple[str, ...]:
    """The names of a record's (or a record class's) fields, in order."""
    return obj.__record_fields__  # type: ignore[no-any-return]


def replace(obj: T, **changes: Any) -> T:
    """A copy of the record with ``changes`` to its fields (an unknown name is a TypeError)."""
    names = fields(obj)
    unknown = set(changes).difference(names)
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no field {sorted(unknown)[0]!r}")
    values = dict(zip(names, obj.__record_get__(obj), strict=True))  # type: ignore[attr-defined]
    values.update(changes)
    return type(obj)(**values)


def as_dict(obj: Any) -> dict[str, Any]:
    """The record's fields by name (values as they are: a shallow ``dataclasses.asdict``)."""
    return dict(zip(fields(obj), obj.__record_get__(obj), strict=True))
