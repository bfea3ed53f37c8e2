"""The limits every file given to ``import`` is read within, and the reading every format
shares: the file's bytes, rows counted as they arrive, zip parts checked before anything
inflates them, a parser's failure as one line. Every limit is here."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reformctl.errors import ReformctlError

MiB = 1 << 20

# -- limits on a file given to `import` ------------------------------------------------------------
# The largest real case is the 10,000-point benchmark ledger (benchmarks/generate.py): its export
# is 45,130 rows of 16 columns, a 3.7 MB workbook whose main sheet unpacks to 57 MB (read in about
# 8 s), or a 12.7 MB CSV. Each limit leaves four times that room or more, and together they keep
# memory well under a gigabyte and the time under a minute on a clerk's laptop.

# Size on disk: the file is read into memory once. 5x the benchmark CSV, 17x its workbook.
MAX_FILE_BYTES = 64 * MiB
# Rows of one sheet, counted by position (an empty row counts, so a stray cell at row 1,048,576
# cannot make us walk a million rows): 4x the benchmark's 45,130.
MAX_ROWS = 200_000
# Columns of one row up to its last non-empty cell: 256 is column IV, the whole width of the old
# .xls format; a 台账 has 10 to 30. A value far to the right is a mistake or an attack.
MAX_COLUMNS = 256
# Cells kept in memory across all sheets read (rows x their width): 7x the benchmark's 722,080.
MAX_CELLS = 5_000_000
# A workbook's parts unpacked, all together: 4.5x the benchmark's 57 MB sheet. XML parsing runs
# at about 8 MB/s here, so this also bounds the time. The sizes are the zip's own declarations:
# Python's zipfile never inflates a part beyond its declared size (a lying header fails its CRC).
MAX_UNPACKED_BYTES = 256 * MiB
# Unpacked : packed, for each part larger than RATIO_FROM: real sheets compress 5x to 20x (the
# benchmark's 16x to 19x); 100 is Apache POI's default. A zip bomb of whitespace packs 1000x.
MAX_RATIO = 100
RATIO_FROM = 1 * MiB  # small parts may compress far better and cost nothing
# Files inside the workbook's zip: a workbook has about ten plus two a sheet.
MAX_PARTS = 1_000
# XML entities (billion laughs): refused outright. openpyxl parses through defusedxml (a
# dependency for this reason), which forbids entity declarations; an .xlsx never needs them.


# -- import: reading within the limits ------------------------------------------------------------
def _size(n: int) -> str:
    for unit, scale in (("MiB", MiB), ("KiB", 1024)):
        if n >= scale:
            value = n / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} B"


def _read_bytes(path: Path) -> bytes:
    """The whole file, if it is a regular file within MAX_FILE_BYTES."""
    import stat

    try:
        info = path.stat()
    except FileNotFoundError:
        raise ReformctlError("import-missing", file=str(path)) from None
    except OSError as exc:
        raise ReformctlError("import-unreadable", file=str(path), why=exc.strerror) from None
    if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
        raise ReformctlError("import-not-file", file=str(path))
    if info.st_size > MAX_FILE_BYTES:
        raise ReformctlError(
            "import-too-big", file=str(path), size=_size(info.st_size), limit=_size(MAX_FILE_BYTES)
        )
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat
    except OSError as exc:
        raise ReformctlError("import-unreadable", file=str(path), why=exc.strerror) from None
    if len(data) > MAX_FILE_BYTES:
        raise ReformctlError(
            "import-too-big", file=str(path), size=_size(len(data)), limit=_size(MAX_FILE_BYTES)
        )
    return data


class _Budget:
    """Rows, columns and cells counted as rows arrive, refusing the first one over a limit."""

    def __init__(self, file: str) -> None:
        self.file, self.cells = file, 0

    def take(
        self, rows: Iterable[Iterable[Any]], sheet: str | None, first: int = 1
    ) -> list[list[Any]]:
        """``rows`` as lists, trailing empty cells dropped; ``sheet`` None for a CSV file;
        ``first`` the number of the first row (an .ods gives its rows one at a time)."""
        out: list[list[Any]] = []
        for number, row in enumerate(rows, first):
            if number > MAX_ROWS:
                code = "import-too-many-rows" if sheet is not None else "import-csv-too-many-rows"
                raise ReformctlError(code, file=self.file, sheet=sheet, limit=MAX_ROWS)
            cells = list(row)
            while cells and cells[-1] in (None, ""):
                cells.pop()
            if len(cells) > MAX_COLUMNS:
                raise ReformctlError(
                    "import-too-many-columns"
                    if sheet is not None
                    else "import-csv-too-many-columns",
                    file=self.file,
                    sheet=sheet,
                    row=number,
                    n=len(cells),
                    limit=MAX_COLUMNS,
                )
            self.cells += len(cells)
            if self.cells > MAX_CELLS:
                raise ReformctlError("import-too-many-cells", file=self.file, limit=MAX_CELLS)
            out.append(cells)
        return out


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _check_zip(data: bytes, file: str, code: str = "import-not-xlsx") -> None:
    """Refuse a file that is not a zip, or whose parts would unpack too large (a zip bomb),
    before openpyxl inflates anything."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,  # a version or compression zipfile does not know (damaged bytes)
        ValueError,
        EOFError,
        OSError,
    ) as exc:
        raise ReformctlError(code, file=file, why=_one_line(exc)) from None
    if len(parts) > MAX_PARTS:
        raise ReformctlError("import-too-many-parts", file=file, n=len(parts), limit=MAX_PARTS)
    total = sum(p.file_size for p in parts)
    if total > MAX_UNPACKED_BYTES:
        raise ReformctlError(
            "import-unpacked-too-big", file=file, size=_size(total), limit=_size(MAX_UNPACKED_BYTES)
        )
    for p in parts:
        if p.file_size > RATIO_FROM and p.file_size > MAX_RATIO * max(p.compress_size, 1):
            raise ReformctlError(
                "import-zip-ratio",
                file=file,
                part=p.filename,
                ratio=p.file_size // max(p.compress_size, 1),
                limit=MAX_RATIO,
            )


def _root_cause(exc: BaseException) -> BaseException:
    seen = {id(exc)}
    while exc.__cause__ is not None and id(exc.__cause__) not in seen:
        exc = exc.__cause__
        seen.add(id(exc))
    return exc


def _entities_refused(exc: BaseException) -> bool:
    """Whether a parser refused XML entities: defusedxml (worksheets, shared strings) forbids
    declaring them; libxml2 (the other parts, via lxml) and expat stop their amplification."""
    refusals: tuple[type[BaseException], ...] = ()
    try:
        from defusedxml import DefusedXmlException

        refusals = (DefusedXmlException,)
    except ImportError:  # a dependency; without it expat's own amplification limit refuses
        pass
    chain: BaseException | None = exc
    for _ in range(10):
        if chain is None:
            break
        if isinstance(chain, refusals) or "amplification" in str(chain):  # libxml2, expat
            return True
        chain = chain.__cause__ or chain.__context__
    return False


def _unreadable(exc: BaseException, file: str, code: str) -> ReformctlError:
    """The one-line refusal of a file a reader's parser failed on: whatever it raised
    (KeyError, TypeError, zlib.error, a ParseError..., sometimes wrapped) means, for an input
    file, one thing: a file we cannot read as ``code`` says; XML entities are named as such."""
    if _entities_refused(exc):
        return ReformctlError("import-xml-entities", file=file)
    cause = _root_cause(exc)
    return ReformctlError(code, file=file, why=f"{type(cause).__name__}: {_one_line(cause)}")
