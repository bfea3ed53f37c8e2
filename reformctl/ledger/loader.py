"""The one ``load()``: a ledger file read alone (:mod:`~reformctl.ledger.read`), or a
workspace's ``reformctl.toml`` read with all its files as one ledger
(:mod:`~reformctl.ledger.workspace`). Both build on :mod:`~reformctl.ledger.parse`."""

from __future__ import annotations

from pathlib import Path

from reformctl.ledger import workspace
from reformctl.ledger.config import is_config
from reformctl.ledger.parse import Loaded
from reformctl.ledger.read import load_file


def load(path: Path) -> Loaded:
    """Read, parse, build and validate the ledger at ``path`` (a workspace's
    ``reformctl.toml``: all its files as one ledger). Raises only if unreadable."""
    if is_config(path):
        return workspace.load_workspace(workspace.read_config(path))
    return load_file(path)
