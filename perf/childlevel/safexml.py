"""Reading a return's XML file safely.

A return arrives from outside perf, so its XML parser refuses everything XML can do beyond
holding data (lxml's ``XMLParser``): entities are not expanded (``resolve_entities=False``:
no "billion laughs"), no DTD is loaded and nothing is fetched from the network
(``load_dtd=False``, ``no_network=True``: no external entity can read a local file or call
a server), and the tree's size limits stay on (``huge_tree=False``). A file that declares a
document type at all is refused: DfE's returns never do.

Examples:
    >>> import tempfile
    >>> from pathlib import Path
    >>> bomb = Path(tempfile.mkdtemp()) / "cin.xml"
    >>> _ = bomb.write_text('<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]>'
    ...                     '<Message>&a;</Message>')
    >>> parse_safely(bomb, expect="Message", what="a CIN census")
    Traceback (most recent call last):
    ...
    perf.errors.FileFormatError: cin.xml: the file declares a document type (DTD), which a return never does. ...
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from perf.errors import FileFormatError

__all__ = ["parse_safely", "records", "root_tag", "text_of"]


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_safely(path: Path, *, expect: str, what: str) -> etree._Element:
    """The root element of the XML file ``path``, parsed safely; an error naming the file
    (and the line, for XML that is not well formed) when it is not XML, declares a DTD,
    or its root element is not ``expect``."""
    try:
        tree = etree.parse(str(path), _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise FileFormatError(
            (f"line {line}: " if line else "") + "the file is not well-formed XML",
            file=path.name,
            hint=f"Export {what} again from the case-management system; a file edited by hand "
            "may have lost a closing tag.",
        ) from None
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise FileFormatError(
            "the file declares a document type (DTD), which a return never does",
            file=path.name,
            hint=f"Export {what} again; perf does not read XML with entity declarations.",
        )
    root = tree.getroot()
    if _local(root.tag) != expect:
        raise FileFormatError(
            f"this XML file is not {what}: its root element is <{_local(root.tag)}>, not "
            f"<{expect}>",
            file=path.name,
            hint=f"Give perf {what} as DfE's specification lays it out.",
        )
    return root


def _local(tag) -> str:
    """An element's name without its namespace."""
    return str(etree.QName(tag).localname) if isinstance(tag, str) else ""


def text_of(element, name: str) -> str:
    """The text of ``element``'s child ``name`` ('' when absent or empty)."""
    found = element.find(name)
    return (found.text or "").strip() if found is not None else ""


def records(element, rename: dict[str, str] | None = None) -> dict:
    """The leaf children of ``element`` as {tag: text}, with ``_row`` its line."""
    rename = rename or {}
    out: dict = {"_row": element.sourceline or 0}
    for item in element:
        if not isinstance(item.tag, str) or len(item):
            continue
        tag = _local(item.tag)
        out[rename.get(tag, tag)] = (item.text or "").strip()
    return out


def root_tag(path: Path, size: int = 4096) -> str | None:
    """The name of the first element in an XML file, from its first bytes (for detection:
    no parse); None when none is found there."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(size).decode("utf-8", "replace")
    except OSError:
        return None
    head = re.sub(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", "", head, flags=re.S)
    found = re.search(r"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)", head)
    return found[2] if found else None
