"""The file formats perf reads: one registration each.

papermill keeps its engines and I/O handlers in registries (``PapermillEngines.register``,
``PapermillIO.register``) so that a new one is a module plus one line; perf's input formats
work the same way. A :class:`Format` says

* what a file of it gives (``gives``: ``observations`` are loaded by ``load_all`` into the
  tidy frame; ``targets``, ``plans``, a ``lookup`` ... have their own readers),
* how it is recognised (``recognise``: a function of the file's :class:`Sniff`, its suffix
  and header row, called only for the suffixes it lists),
* its reader, named as ``"module:function"`` and imported only when a file is read (most of a
  reader's cost is its imports: pandera, openpyxl, pyarrow),
* the options its reader accepts (``decimal``, ``cutoff``, ``validate``),
* whether a bad file is one council's own (``isolated``: it stops that council's briefings
  only; ``areas`` tells which councils a file is about when the default, the file's
  ``area_code`` column, does not),
* whether its figures are a council's own, unpublished until a briefing publishes them
  (``own``: a public briefing applies disclosure control to them, whatever the file is
  called and wherever it sits; published releases are shown as their publisher released
  them),
* whether the files of one folder are read together as one source (``together``: the
  tables of one statutory return, such as SSDA903's episodes and header CSVs; the reader is
  then given the folder),
* and a rule across its files (``conflicts``: given every file of the format, the files
  that must not be read, each with its error: two returns for one council and period).

Formats are tried in registration order: register a specific format ``before=`` a general
one that would also match it (a DfE workforce CSV is an EES file too).

Examples:
    >>> from perf import config
    >>> register(Format("toy", "observations", lambda s: "toy_value" in s.cols,
    ...                 "perf.loaders.local:read_long", describe="a toy_value column"),
    ...          before="local")
    Format(name='toy', ...)
    >>> names().index("toy") == names().index("local") - 1
    True
    >>> detect(config.LOCAL_DIR / "observations.csv").name
    'local'
    >>> unregister("toy")
    >>> "toy" in names()
    False
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from perf.errors import FileFormatError, PerfError
from perf.loaders.common import file_header

__all__ = [
    "TABULAR",
    "Format",
    "Sniff",
    "detect",
    "formats",
    "get",
    "names",
    "register",
    "suffixes",
    "unregister",
]

#: The suffixes whose header row :class:`Sniff` reads (CSV-like text and parquet).
TABULAR = frozenset({".csv", ".tsv", ".txt", ".parquet"})


@dataclass(frozen=True)
class Sniff:
    """What detection looks at: a file's path and suffix, and (read on first use, once) its
    header row, as given and lower-cased."""

    path: Path

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    @cached_property
    def header(self) -> list[str]:
        return file_header(self.path) if self.suffix in TABULAR else []

    @cached_property
    def cols(self) -> frozenset[str]:
        return frozenset(c.lower() for c in self.header)


@dataclass(frozen=True)
class Format:
    """One input format (see the module's docstring)."""

    name: str
    gives: str
    recognise: Callable[[Sniff], bool] = field(repr=False)
    reader: str | Callable[..., pd.DataFrame] = field(repr=False)
    describe: str = field(default="", repr=False)
    suffixes: frozenset[str] = field(default=frozenset({".csv", ".tsv", ".txt"}), repr=False)
    options: frozenset[str] = field(default=frozenset(), repr=False)
    isolated: bool = field(default=False, repr=False)
    areas: str | Callable[[Path], frozenset[str]] | None = field(default=None, repr=False)
    together: bool = field(default=False, repr=False)
    own: bool = field(default=False, repr=False)
    conflicts: str | Callable[[list[Path]], dict[Path, PerfError]] | None = field(
        default=None, repr=False
    )

    def read(self, path: Path, **options: object) -> pd.DataFrame:
        """The file (or, for a ``together`` format, the folder) read by this format's reader."""
        unknown = set(options) - self.options
        if unknown:
            raise FileFormatError(
                f"a {self.name} file takes no option {', '.join(sorted(unknown))}",
                file=Path(path).name,
                hint="Leave the option out for this file."
                + (f" It takes: {', '.join(sorted(self.options))}." if self.options else ""),
            )
        return _resolve(self.reader)(path, **options)

    def conflicting(self, paths: list[Path]) -> dict[Path, PerfError]:
        """Of ``paths`` (every file of this format), those its rule across files refuses,
        each with the error to give for it (none when the format has no such rule)."""
        return {} if self.conflicts is None else _resolve(self.conflicts)(paths)

    def areas_of(self, path: Path) -> frozenset[str] | None:
        """The councils a file is about by this format's own rule; None: use the default
        (the file's ``area_code`` column)."""
        return None if self.areas is None else _resolve(self.areas)(path)


def _resolve(target: str | Callable) -> Callable:
    if callable(target):
        return target
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


_FORMATS: dict[str, Format] = {}


def register(fmt: Format, *, before: str | None = None, replace: bool = False) -> Format:
    """Add ``fmt`` (tried after the formats registered before it, or just ``before`` the
    named one). A name already taken is an error unless ``replace``."""
    if fmt.name in _FORMATS and not replace:
        raise ValueError(f"a format named {fmt.name!r} is already registered")
    _FORMATS.pop(fmt.name, None)
    if before is None:
        _FORMATS[fmt.name] = fmt
        return fmt
    if before not in _FORMATS:
        raise ValueError(f"no format {before!r} to register {fmt.name!r} before")
    items = list(_FORMATS.items())
    at = [n for n, _ in items].index(before)
    _FORMATS.clear()
    _FORMATS.update(items[:at] + [(fmt.name, fmt)] + items[at:])
    return fmt


def unregister(name: str) -> None:
    """Remove a registered format (tests register toy formats and take them away)."""
    _FORMATS.pop(name, None)


def formats() -> tuple[Format, ...]:
    """Every registered format, in detection order."""
    return tuple(_FORMATS.values())


def names(gives: str | None = None) -> tuple[str, ...]:
    """The registered formats' names (those that give ``gives``, when named)."""
    return tuple(f.name for f in _FORMATS.values() if gives is None or f.gives == gives)


def get(name: str, *, file: str | None = None) -> Format:
    """The format called ``name``; an unknown name is a :class:`FileFormatError`."""
    try:
        return _FORMATS[name]
    except KeyError:
        raise FileFormatError(
            f"unknown format {name!r}", file=file, hint=f"Use one of: {', '.join(_FORMATS)}."
        ) from None


def suffixes() -> frozenset[str]:
    """Every file suffix some registered format reads (what ``load_all`` looks at)."""
    return frozenset(s for f in _FORMATS.values() for s in f.suffixes)


def detect(path: str | Path) -> Format | None:
    """The first registered format that recognises the file, or None. A folder is the
    ``together`` format that every file in it belongs to (None when they differ)."""
    path = Path(path)
    if path.is_dir():
        found = {detect(p) for p in sorted(path.iterdir()) if p.is_file()} - {None}
        only = found.pop() if len(found) == 1 else None
        return only if only is not None and only.together else None
    sniff = Sniff(path)
    for fmt in _FORMATS.values():
        if sniff.suffix in fmt.suffixes and fmt.recognise(sniff):
            return fmt
    return None
