"""JSON for machines: stable keys, ISO dates, fractions as numbers, UTF-8 unescaped."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from typing import IO, Any


def _default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return round(float(value), 4)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(value: Any) -> str:
    return json.dumps(_prepare(value), ensure_ascii=False, indent=2, default=_default)


def _prepare(value: Any) -> Any:
    # json.dumps turns Fractions into errors before `default` sees nested ones only when they
    # are dict keys; values go through `default`, but we round floats here for stable output.
    if isinstance(value, Fraction):
        return round(float(value), 4)
    if isinstance(value, dict):
        return {k: _prepare(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_prepare(v) for v in value]
    return value


def write_json(value: Any, stream: IO[str]) -> None:
    stream.write(dumps(value) + "\n")
