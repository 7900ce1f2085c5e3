"""The exception hierarchy: every error perf raises on purpose is a :class:`PerfError`.

Messages say what was wrong, where (file, row, column) and what to do about it,
so an analyst can fix a spreadsheet export without reading a traceback.

Examples:
    >>> err = BadValueError("must be a number", file="q1.csv", row=4, column="value",
    ...                     value="12,3x", hint="Remove the stray characters.")
    >>> print(err)
    q1.csv, row 4, column 'value': must be a number (found '12,3x'). Remove the stray characters.
    >>> isinstance(err, PerfError)
    True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class PerfError(Exception):
    """Root of every error perf raises deliberately.

    Args:
        message: what was wrong.
        file: the file involved, if any.
        row: 1-based row number as a spreadsheet shows it (the header is row 1).
        column: the column name involved, if any.
        value: the offending value, quoted back to the user.
        hint: what to do about it.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.value = value
        self.hint = hint
        super().__init__(self._render())

    def __reduce__(self):
        # Exception pickles only its args (the rendered text): keep file, row, column, value
        # and hint, so an error crossing a process or the disk cache is the same error.
        return (
            _rebuild,
            (
                type(self),
                self.message,
                {
                    "file": self.file,
                    "row": self.row,
                    "column": self.column,
                    "value": self.value,
                    "hint": self.hint,
                },
            ),
        )

    def _render(self) -> str:
        where = []
        if self.file is not None:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.value is not None:
            text += f" (found {str(self.value)[:80]!r})"
        if not text.endswith("."):
            text += "."
        if self.hint:
            text += f" {self.hint}"
        return text


def _rebuild(cls: type[PerfError], message: str, fields: dict[str, Any]) -> PerfError:
    return cls(message, **fields)


class DataError(PerfError):
    """A data file could not be turned into the tidy model."""


class FileFormatError(DataError):
    """The file's format could not be recognised, or it is not the format asked for."""


class EncodingProblem(DataError):
    """The file is not in any supported text encoding (UTF-8, UTF-8 with BOM, cp1252/latin-1)."""


class EmptyFileError(DataError):
    """The file is empty or has a header and no data rows."""


class MissingColumnError(DataError):
    """A required column is absent."""


class UnexpectedColumnError(DataError):
    """A column is present that the format does not define (strict schemas lose nothing silently)."""


class BadValueError(DataError):
    """A cell's value is not valid for its column (e.g. text where a number belongs)."""


class DuplicateKeyError(DataError):
    """Two rows describe the same indicator, area and period."""


class UnknownIndicatorError(DataError):
    """An indicator id is not in the catalogue."""


class OrphanTargetError(DataError):
    """A target was given for an indicator, area and period with no actual value row."""


class PeriodError(PerfError):
    """A period label could not be parsed, or period arithmetic was asked the impossible."""


class UnknownAreaError(PerfError):
    """An area name or code does not match any area in the lookup."""


class FileAccessError(PerfError):
    """A file or folder cannot be read or written as asked (missing, a folder where a file
    belongs, a link loop, no permission, a read-only disk)."""


class ParameterError(PerfError):
    """A notebook parameter is unknown, of the wrong type, or out of range."""


class RenderError(PerfError):
    """Executing or exporting a notebook failed."""


class NoDataToChart(PerfError):
    """A chart was asked for with too few figures to draw it: none for the area, no period
    the area and England share, no ranked or assessed council, fewer than two weeks. The
    report says so in a sentence (:func:`perf.report.common.chart_or_note`); any other error
    in a chart is a bug and surfaces."""
