"""Opening a workbook safely: sizes checked before anything is parsed, a damaged part named,
and the workbooks perf does not open refused with what to do.

An ``.xlsx`` file is a zip of XML parts. A 420 KB file can hold 400 MB of ``workbook.xml``
(a zip bomb), and openpyxl would parse all of it; a part that is not well-formed XML (a
namespace prefix nobody declared) makes lxml raise its own error from deep inside
openpyxl. So, before openpyxl sees a workbook, :func:`check_zip` reads the zip's directory
(nothing is decompressed) and refuses a part larger than :data:`MEMBER_LIMIT`, parts
larger than :data:`TOTAL_LIMIT` together, or a part of over a megabyte that compressed more
than :data:`RATIO_LIMIT` times (XML that a person wrote compresses 5 to 20 times; a bomb a
thousand). Python's zip reader never gives more bytes than the directory declares, so the
declared sizes bound what any reader of the file can be made to parse. :func:`load_workbook`
then opens it with openpyxl and turns any failure into a :class:`FileFormatError` naming the
file and, when one part is not well-formed XML, that part, its sheet and where in it.

A workbook that cannot be opened is still about a council: :func:`area_codes_in` finds the
ONS codes written in its sheets (the Notes sheet's area code), reading only parts within
the limits, so that a broken return stops its own council's briefings and no one else's.

:func:`refuse` is the reader of the workbooks perf does not open (macro-enabled ``.xlsm``,
binary ``.xls`` and ``.xlsb``, OpenDocument ``.ods``, and an ``.xlsx`` that fails
:func:`check_zip`): each is a finding that says what to do, never a silent skip.

Examples:
    >>> import io, tempfile, zipfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "bomb.xlsx"
    >>> with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("xl/workbook.xml", b" " * (2 * 2**20))
    >>> path.stat().st_size < 10_000
    True
    >>> check_zip(path)
    Traceback (most recent call last):
    ...
    perf.errors.FileFormatError: bomb.xlsx: the workbook's part xl/workbook.xml would take 2 MB to read from 2 KB in the file; ...
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from perf.errors import FileFormatError

__all__ = [
    "MEMBER_LIMIT",
    "RATIO_LIMIT",
    "REFUSED_SUFFIXES",
    "TOTAL_LIMIT",
    "area_codes_in",
    "check_zip",
    "is_sound",
    "load_workbook",
    "read_part",
    "refuse",
    "refused",
]

#: The largest part (uncompressed) of a workbook perf opens: a return's largest sheet is
#: tens of kilobytes, LAIT's largest look-up 160 KB.
MEMBER_LIMIT = 64 * 2**20
#: The most all of a workbook's parts may hold together, uncompressed.
TOTAL_LIMIT = 256 * 2**20
#: The most a part of over a megabyte may have been compressed (uncompressed / compressed).
RATIO_LIMIT = 100

#: Workbooks perf does not open, with what to do about each.
REFUSED_SUFFIXES: dict[str, str] = {
    ".xlsm": "a macro-enabled workbook (.xlsm): perf does not open workbooks with macros",
    ".xls": "an Excel 97-2003 workbook (.xls): perf reads the .xlsx format only",
    ".xlsb": "a binary Excel workbook (.xlsb): perf reads the .xlsx format only",
    ".ods": "an OpenDocument spreadsheet (.ods): perf reads the .xlsx format only",
}
_SAVE_AS = (
    "Open it in Excel and save it as an Excel Workbook (.xlsx), or start again from "
    "`perf template`; then run `perf check` on the .xlsx."
)
_MB = 2**20
#: An ONS code of a council (unitary, district, metropolitan, London borough, county).
_AREA_CODE = re.compile(rb"\bE(?:06|07|08|09|10)\d{6}\b")


def check_zip(path: str | Path) -> None:
    """Refuse a workbook that is not a zip, or whose parts would be too large to read (see
    the module docstring), naming the file and the part. Reads the zip's directory only."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (OSError, zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise FileFormatError(
            f"the workbook could not be opened: it is not a zip file, as an .xlsx is "
            f"({type(exc).__name__})",
            file=path.name,
            hint=_SAVE_AS,
        ) from None
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MEMBER_LIMIT or (info.file_size > _MB and ratio > RATIO_LIMIT):
            raise FileFormatError(
                f"the workbook's part {info.filename} would take "
                f"{info.file_size // _MB:,} MB to read from {max(info.compress_size // 1024, 1):,}"
                " KB in the file; perf does not open it (a return is well under a megabyte: "
                "this is a damaged file or a zip bomb)",
                file=path.name,
                hint=_SAVE_AS,
            )
    if total > TOTAL_LIMIT:
        raise FileFormatError(
            f"the workbook's parts would take {total // _MB:,} MB to read; perf opens "
            f"workbooks of up to {TOTAL_LIMIT // _MB} MB",
            file=path.name,
            hint=_SAVE_AS,
        )


def is_sound(path: str | Path) -> bool:
    """True when :func:`check_zip` passes."""
    try:
        check_zip(path)
    except FileFormatError:
        return False
    return True


def read_part(path: str | Path, member: str) -> bytes:
    """One part of a workbook that passed :func:`check_zip` (a missing part: ``KeyError``)."""
    with zipfile.ZipFile(path) as z:
        return z.read(member)


def refused(path: str | Path) -> bool:
    """A workbook perf does not open: one of :data:`REFUSED_SUFFIXES`, or an ``.xlsx`` that
    fails :func:`check_zip`."""
    suffix = Path(path).suffix.lower()
    return suffix in REFUSED_SUFFIXES or (suffix == ".xlsx" and not is_sound(path))


def refuse(path: str | Path, **_: object):
    """The reader of a refused workbook: raises the :class:`FileFormatError` that says why
    and what to do (options are accepted and ignored: there is nothing to read)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in REFUSED_SUFFIXES:
        raise FileFormatError(REFUSED_SUFFIXES[suffix], file=path.name, hint=_SAVE_AS)
    check_zip(path)
    raise FileFormatError("the workbook could not be opened", file=path.name, hint=_SAVE_AS)


def load_workbook(path: str | Path, **options: object):
    """``openpyxl.load_workbook(path, **options)`` after :func:`check_zip`; any failure of
    openpyxl (a damaged zip, XML that is not well-formed, a missing part) becomes a
    :class:`FileFormatError` naming the file and, where one part is at fault, that part,
    its sheet and the line and column in it."""
    import openpyxl  # lazy: only a workbook needs it, and it is slow to import

    path = Path(path)
    check_zip(path)
    try:
        return openpyxl.load_workbook(path, **options)
    except Exception as exc:  # noqa: BLE001 - openpyxl, lxml and zipfile raise many types for a damaged workbook
        reason = _broken_part(path) or f"{type(exc).__name__}: {str(exc)[:120]}"
        raise FileFormatError(
            f"the workbook could not be opened: {reason}",
            file=path.name,
            hint="Open it in Excel and save it again as .xlsx (Excel repairs what it can), "
            "or start again from `perf template`.",
        ) from None


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Part name -> sheet name, from the workbook's own index (empty when it is unreadable)."""
    try:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    found = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet"):
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "").lstrip("/")
            found[target if target.startswith("xl/") else f"xl/{target}"] = sheet.get("name", "")
    return found


def _broken_part(path: Path) -> str | None:
    """The first XML part that is not well-formed, with its sheet and where, in words."""
    with zipfile.ZipFile(path) as z:
        sheets = _sheet_parts(z)
        for info in z.infolist():
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                ElementTree.fromstring(z.read(info.filename))
            except ElementTree.ParseError as exc:
                sheet = sheets.get(info.filename)
                where = f" (the sheet {sheet!r})" if sheet else ""
                return f"its part {info.filename}{where} is not well-formed XML ({exc})"
    return None


def area_codes_in(path: str | Path) -> frozenset[str]:
    """The councils' ONS codes written in a workbook's sheets and shared strings, read from
    the raw XML of the parts within the limits (empty when it is not a zip): whose a
    workbook is that cannot be opened."""
    try:
        with zipfile.ZipFile(path) as z:
            found: set[str] = set()
            for info in z.infolist():
                name = info.filename
                if not (name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"):
                    continue
                if info.file_size > MEMBER_LIMIT or (
                    info.file_size > _MB
                    and info.file_size / max(info.compress_size, 1) > RATIO_LIMIT
                ):
                    continue
                found |= {m.decode() for m in _AREA_CODE.findall(z.read(name))}
    except (OSError, zipfile.BadZipFile, EOFError, ValueError):
        return frozenset()
    return frozenset(found)
