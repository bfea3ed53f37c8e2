"""The cache's code version: any change to reformctl's code is a new version (so no entry made
by other code is ever read), found without reading a source file or importing
``importlib.metadata``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reformctl.ledger import cache
from tests.conftest import DATA, ROOT


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of reformctl's source."""
    copy = tmp_path / "src" / "reformctl"
    shutil.copytree(ROOT / "reformctl", copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_an_edit_is_a_new_version_even_with_its_size_and_time_kept(package: Path) -> None:
    """Saved as editors and git write a file (a new file renamed over it): one character
    changed, the size and the modification time put back as they were."""
    before = cache.files_version(package)
    assert cache.files_version(package) == before  # nothing changed: the same version
    source = package / "rules.py"
    st = source.stat()
    text = source.read_bytes()
    new = package / "rules.py.new"
    new.write_bytes(text[:-2] + (b"#\n" if text[-2:] != b"#\n" else b" \n"))
    os.utime(new, ns=(st.st_atime_ns, st.st_mtime_ns))
    new.replace(source)
    assert source.stat().st_size == st.st_size and source.stat().st_mtime_ns == st.st_mtime_ns
    assert cache.files_version(package) != before


@pytest.mark.parametrize("change", ["add", "remove", "rename", "nested"])
def test_a_module_added_removed_or_moved_is_a_new_version(package: Path, change: str) -> None:
    before = cache.files_version(package)
    if change == "add":
        (package / "extra.py").write_text("X = 1\n")
    elif change == "remove":
        (package / "tabular.py").unlink()
    elif change == "rename":
        (package / "tabular.py").rename(package / "tabular2.py")
    else:
        (package / "ledger" / "read.py").write_text("# another reader\n", encoding="utf-8")
    assert cache.files_version(package) != before


def test_pytomlpps_files_are_part_of_the_version(package: Path, tmp_path: Path) -> None:
    parser = tmp_path / "pytomlpp"
    parser.mkdir()
    (parser / "_impl.so").write_bytes(b"1")
    before = cache.files_version(package, [parser])
    assert before != cache.files_version(package)
    (parser / "_impl.so").write_bytes(b"22")  # another build of the parser
    assert cache.files_version(package, [parser]) != before


def test_code_version_imports_no_metadata() -> None:
    code = (
        "import sys\n"
        "from reformctl.ledger import cache\n"
        "cache.code_version()\n"
        "print('importlib.metadata' in sys.modules, 'pytomlpp' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.slow
def test_a_command_run_on_edited_code_does_not_read_the_old_entry(
    package: Path, tmp_path: Path
) -> None:
    """Real processes on the copied source: the second run of the same text hits the cache, a
    run after the code changed writes its own entry instead."""
    ledger = tmp_path / "ledger.toml"
    ledger.write_bytes((DATA / "golden-ledger.toml").read_bytes())
    folder = tmp_path / "cache"
    env = {
        **os.environ,
        "PYTHONPATH": str(package.parent),
        "REFORMCTL_CACHE_DIR": str(folder),
        "REFORMCTL_CACHE": "sync",
        "REFORMCTL_TODAY": "2026-11-28",
    }

    def overdue() -> set[str]:
        proc = subprocess.run(
            [sys.executable, "-m", "reformctl", "--ledger", str(ledger), "overdue"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode in (0, 1), proc.stderr
        assert proc.stdout
        return {p.name for p in folder.iterdir()}

    first = overdue()
    assert first
    assert overdue() == first  # the same code, the same text: the same entries, read
    with (package / "schedule.py").open("a", encoding="utf-8") as f:
        f.write("\n# the code changed\n")
    assert overdue() - first  # new entries under the new version
