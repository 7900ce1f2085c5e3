"""Writing files safely, and naming them: the one atomic writer, the one slug, and the one
way perf writes a spreadsheet cell.

Every file perf writes (HTML, executed notebooks, frozen records, manifests, the cache)
goes through :func:`atomic_write`: readers see the old file or the new one, never half of
one, and the new file's mode follows the umask like any file the user creates (so a
colleague on a shared folder can read it). Standard library only.

Every CSV or workbook cell perf writes is text or a number, never a formula, whoever typed
the text (a service lead's key-activity title, a plan's priority): a spreadsheet runs a
cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula
(``=HYPERLINK("http://...")``). Following OWASP's guidance on CSV injection, :func:`csv_cell`
puts a ``'`` before such text in a CSV (a number such as ``-3.5`` is left alone: it is read
as a number), and :func:`write_cell` stores it in a workbook as a string, marked to stay
text when edited. :func:`csv_bytes` and :func:`csv_text` write whole tables so;
:func:`uncsv_cell` reads such a cell back as it was.

Examples:
    >>> import tempfile, pathlib, os
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "sub" / "a.txt"
    >>> atomic_write(target, "hello")
    >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('hello', ['a.txt'])
    >>> slug("Bristol, City of"), slug("2012-13 Q1")
    ('Bristol_City_of', '2012-13_Q1')
    >>> print(csv_bytes([["title", "value"], ["=HYPERLINK(1)", -3.5]]).decode(), end="")
    title,value
    '=HYPERLINK(1),-3.5
"""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from perf import config
from perf.errors import FileAccessError

__all__ = [
    "source_groups",
    "FORMULA_START",
    "atomic_write",
    "csv_bytes",
    "csv_cell",
    "csv_text",
    "data_folder",
    "input_file",
    "is_formula_like",
    "output_folder",
    "slug",
    "source_file",
    "uncsv_cell",
    "write_cell",
]


def atomic_write(path: str | Path, data: bytes | str) -> None:
    """Write ``data`` (text is UTF-8) to ``path`` via a temporary file in the same
    directory, fsync and ``os.replace``; the temporary file is removed if anything fails.
    Parent directories are created. The file's mode is ``0o666`` less the umask."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def slug(text: str) -> str:
    """A file-system-safe name: runs of anything but letters, digits, ``.``, ``-`` become ``_``."""
    return re.sub(r"[^A-Za-z0-9.\-]+", "_", str(text)).strip("_") or "_"


def data_folder(path: str | Path | None = None) -> Path:
    """``path`` (by default :data:`perf.config.DATA_DIR`) if it is a folder; else a
    :class:`FileAccessError` naming ``PERF_DATA_DIR``, the way to point perf at its data.

    A checkout of perf has its ``data/``; an installed perf (``pip install``) has none, and
    every render, check and load starts here rather than failing on the first missing file.

    >>> data_folder("/nonexistent/data")
    Traceback (most recent call last):
    ...
    perf.errors.FileAccessError: /nonexistent/data: there is no data folder here. Set PERF_DATA_DIR to the folder holding perf's data (raw/, local/ and catalogue.csv, as in the repository's data/); a perf installed with pip has none of its own.
    """
    folder = Path(path) if path is not None else config.DATA_DIR
    if not folder.is_dir():
        raise FileAccessError(
            "there is no data folder here",
            file=folder,
            hint="Set PERF_DATA_DIR to the folder holding perf's data (raw/, local/ and "
            "catalogue.csv, as in the repository's data/); a perf installed with pip has "
            "none of its own.",
        )
    return folder


def input_file(path: str | Path) -> Path:
    """``path`` if it is a file that can be read; else a :class:`FileAccessError` that says
    what it is instead (missing, a folder, a link loop, unreadable).

    >>> input_file("/")
    Traceback (most recent call last):
    ...
    perf.errors.FileAccessError: /: is a folder, not a file. Give the path of a file in it.
    """
    path = Path(path)
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FileAccessError(
                "is a symbolic link that points back to itself (a loop)",
                file=path,
                hint="Point the link at the real file.",
            ) from None
        if exc.errno == errno.ENOENT:
            raise FileAccessError("no such file", file=path, hint="Check the path.") from None
        raise FileAccessError(
            f"cannot be read ({exc.strerror})", file=path, hint="Check the file's permissions."
        ) from None
    if path.is_dir():
        raise FileAccessError(
            "is a folder, not a file", file=path, hint="Give the path of a file in it."
        )
    if not os.access(path, os.R_OK):
        raise FileAccessError(
            "cannot be read (permission denied)", file=path, hint="Check the file's permissions."
        )
    return path


def output_folder(path: str | Path) -> Path:
    """``path`` as a folder perf can write into (created if missing), checked by writing a
    temporary file there; else a :class:`FileAccessError` saying why and what to do.

    >>> import tempfile
    >>> output_folder(tempfile.mkdtemp()).is_dir()
    True
    """
    path = Path(path)
    hint = "Choose another folder with --out, or ask for write access to this one."
    if path.exists() and not path.is_dir():
        raise FileAccessError("is a file, not a folder for outputs", file=path, hint=hint)
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=path, prefix=".perf-write-check-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise FileAccessError(
            f"cannot be written to ({exc.strerror})", file=exc.filename or path, hint=hint
        ) from None
    return path


#: A ``source`` names its file first: the shortest start that ends in a data file's suffix,
#: followed by the end or by " (" and the release.
_SOURCE_FILE = re.compile(r"^(.*?\.(?:csv|tsv|txt|parquet|xlsx|xlsm|xls))(?= \(|$)", re.I)


def source_file(source: object) -> str:
    """The file an observation's ``source`` names. Sources read ``<file> (<release>)``, and a
    file's own name may hold " (" too (a browser saves a second download as
    ``return (1).xlsx``): the file is the name up to its suffix, not up to the first " (".
    A source without a suffix (a folder's tables) is cut at its first " (".

    >>> source_file("dudley_2025-26_q1 (1).xlsx (the council's return for 2025-26 Q1)")
    'dudley_2025-26_q1 (1).xlsx'
    >>> source_file("cla.csv (DfE CLA, Explore Education Statistics)"), source_file("x (2).csv")
    ('cla.csv', 'x (2).csv')
    >>> source_file("ssda903 (the council's SSDA903 tables)")
    'ssda903'
    """
    text = str(source).strip()
    found = _SOURCE_FILE.match(text)
    return found.group(1) if found else text.split(" (", 1)[0].strip()


# --- spreadsheet cells: text stays text ----------------------------------------------------

#: What a spreadsheet takes for the start of a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


_PARA = re.compile(r"\s+para(?:graph)?s?\s+(.*)$", re.IGNORECASE)


def source_groups(sources: Iterable[str]) -> list[tuple[str, list[str]]]:
    """The data sources as one entry per file: ``(file, details)``, each detail a release or
    a publication once, the paragraphs of one publication joined ("... Report (paras 3.1;
    3.3.1)"), so a transcribed report's rows are not listed once per paragraph.

    >>> source_groups(["a.csv (Report (seed x.txt) para 3.1)", "a.csv (Report (seed x.txt) para 3.2)",
    ...                "b.parquet (DfE LAIT)"])
    [('a.csv', ['Report (seed x.txt) (paras 3.1; 3.2)']), ('b.parquet', ['DfE LAIT'])]
    >>> source_groups(["return (1).xlsx (the council's return for 2025-26 Q1)"])
    [('return (1).xlsx', ["the council's return for 2025-26 Q1"])]
    """
    files: dict[str, dict[str, list[str]]] = {}
    for source in sorted(set(map(str, sources))):
        text = source.strip()
        file = source_file(text)  # the file's own name may hold " (": "return (1).xlsx"
        rest = text[len(file) :].strip() if text.startswith(file) else ""
        detail = rest[1:-1] if rest.startswith("(") and rest.endswith(")") else rest
        stems = files.setdefault(file, {})
        found = _PARA.search(detail)
        stem, para = (detail[: found.start()], found.group(1)) if found else (detail, "")
        stems.setdefault(stem, [])
        if para:
            stems[stem].append(para)
    groups = []
    for file, stems in files.items():
        details = []
        for stem, paras in stems.items():
            if paras:
                label = "para" if len(paras) == 1 else "paras"
                details.append(f"{stem} ({label} {'; '.join(paras)})".strip())
            elif stem:
                details.append(stem)
        groups.append((file, details))
    return groups


def is_formula_like(value: object) -> bool:
    """True for text a spreadsheet would run as a formula: it starts with one of
    :data:`FORMULA_START` and is not a plain number.

    >>> [is_formula_like(v) for v in ("=1+2", "@SUM(A1)", "-3.5", "+44 121", "Reduce", 3)]
    [True, True, False, True, False, False]
    """
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not _PLAIN_NUMBER.match(value.strip())
    )


def csv_cell(value: Any) -> Any:
    """A cell as a CSV should hold it: formula-like text with a ``'`` before it, anything
    else as it is.

    >>> csv_cell("=cmd|' /C calc'!A0"), csv_cell("-2"), csv_cell(None)
    ("'=cmd|' /C calc'!A0", '-2', None)
    """
    return "'" + value if is_formula_like(value) else value


def uncsv_cell(value: Any) -> Any:
    """A cell :func:`csv_cell` wrote, as it was.

    >>> uncsv_cell(csv_cell("=1+2")), uncsv_cell("'quoted'")
    ('=1+2', "'quoted'")
    """
    if isinstance(value, str) and value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value


def csv_bytes(
    rows: Iterable[Sequence[Any]], *, bom: bool = False, lineterminator: str = "\r\n"
) -> bytes:
    """Rows (the first the header) as UTF-8 CSV, every cell through :func:`csv_cell` and
    ``None`` as blank; ``bom`` puts a byte-order mark first (so Excel reads UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    for row in rows:
        writer.writerow(["" if cell is None else csv_cell(cell) for cell in row])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def csv_text(frame: Any, **to_csv: Any) -> str:
    """``frame.to_csv(**to_csv)`` (a pandas DataFrame) as text, with every text cell
    through :func:`csv_cell`: the one way perf writes a frame as CSV.

    >>> import pandas as pd
    >>> print(csv_text(pd.DataFrame({"ref": ["=1+2", "YP1a"], "n": [-1, 2]}), index=False))
    ref,n
    '=1+2,-1
    YP1a,2
    <BLANKLINE>
    """
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype.kind in "biufcmM":  # numbers and dates are never formulas
            continue
        texts = safe[column].astype(object)
        if texts.map(is_formula_like).any():
            safe[column] = texts.map(csv_cell)
    return str(safe.to_csv(None, **to_csv))


def write_cell(cell: Any, value: Any) -> Any:
    """Put ``value`` in an openpyxl ``cell`` as a value, never a formula: formula-like text
    is stored as a string and marked to stay text (Excel's quote prefix) if someone edits
    it. Returns the cell."""
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell
