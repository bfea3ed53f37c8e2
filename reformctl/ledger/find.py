"""Which ledger a command works on: ``--ledger``, ``$REFORMCTL_LEDGER``, or the nearest
workspace (``reformctl.toml``) or ``ledger.toml`` in the current folder or any folder above it
(as git finds ``.git``). A file a workspace lists is read with its workspace."""

from __future__ import annotations

import os
from pathlib import Path

from reformctl.errors import ReformctlError
from reformctl.ledger.config import CONFIG_NAME, is_config
from reformctl.ledger.workspace import containing, own_ledger

ENV_LEDGER = "REFORMCTL_LEDGER"
DEFAULT_NAME = "ledger.toml"


def explicit_path(option: str | None) -> Path | None:
    value = option or os.environ.get(ENV_LEDGER)
    return Path(value) if value else None


def find_ledger(option: str | None, start: Path | None = None) -> Path:
    """The ledger to read; raises if none can be found."""

    explicit = explicit_path(option)
    if explicit is not None:
        if is_config(explicit) or not explicit.is_file():
            return explicit
        return containing(explicit) or explicit
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in (CONFIG_NAME, DEFAULT_NAME):
            candidate = folder / name
            if candidate.is_file():
                return candidate
    raise ReformctlError("ledger-not-found", start=str(here))


def new_ledger_path(option: str | None) -> Path:
    """Where ``init`` creates a ledger: the explicit path, else ./ledger.toml (no walking up)."""
    return explicit_path(option) or Path(DEFAULT_NAME)


def ledgers_of(files: list[Path], named: Path | None = None) -> list[Path]:
    """The ledgers (a workspace by its ``reformctl.toml``) that ``files`` belong to, each
    once, in the order first met; a file of none (``pyproject.toml``) is left out. A file is
    a ledger's when it is a workspace's configuration or one of its files, is ``named``
    (``--ledger``), is called ``ledger.toml``, or declares a ``[ledger]`` of its own.
    What pre-commit hands a hook: every staged ``.toml`` file."""

    found: dict[Path, None] = {}
    named_real = named.resolve() if named is not None else None
    for file in files:
        if file.suffix != ".toml" or not file.is_file():
            continue  # not TOML, or a file the commit deletes
        config = file if is_config(file) else containing(file)
        if config is not None:
            found.setdefault(config.resolve(), None)
        elif file.resolve() == named_real or file.name == DEFAULT_NAME or own_ledger(file):
            found.setdefault(file.resolve(), None)
    return list(found)
