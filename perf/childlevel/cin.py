"""Read a council's children in need (CIN) census XML into checked child-level frames.

The layout is DfE's (``CIN_CENSUS_XML.md`` summarises it: "Children in need census:
guide", DfE's XML schemas as kept in Social Finance's liia-tools, and the data-to-insight
validator's rules, which give each item's DfE number). ``<Message>`` holds a ``<Header>``
(collection year, reference date, the council's DfE number ``LEA``) and ``<Children>``,
one ``<Child>`` per child, each with its episodes of need (``<CINdetails>``: the referral
that opened it, assessments, section 47 enquiries, child protection plans). Dates are ISO
(``xs:date``); yes/no items accept true/false/1/0 in any case.

The council is the header's ``LEA`` (checked against the file's or folder's name: a
return for another council is refused). The census covers its collection year: ``Year``
names the year it ends in (2026: 1 April 2025 to 31 March 2026) and ``ReferenceDate`` the
day it runs to (31 March for the census; an in-year extract's own date).

Only numbers leave this package: each ``LAchildID`` becomes a number (``child``), and
errors name the file, the line and the element, never an identifier or a date.

Examples:
    >>> from perf import config
    >>> c = read_cin(config.TESTS_DIR / "fixtures" / "returns" / "liia_cin" / "cin-2022.xml")
    >>> c.area_code, c.span
    ('E09000001', Span(start=datetime.date(2021, 4, 1), end=datetime.date(2022, 3, 31)))
    >>> len(c.referrals), len(c.assessments), len(c.section47), len(c.plans)
    (1, 1, 1, 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from perf.areas import find_area
from perf.childlevel.common import (
    AnotherCouncilError,
    Span,
    area_in_names,
    is_synthetic,
    located,
    parse_dates,
    year_span,
)
from perf.childlevel.safexml import parse_safely, text_of
from perf.errors import BadValueError, FileFormatError, PerfError

__all__ = ["CIN", "read_cin"]

_YES = {"true": True, "1": True, "false": False, "0": False}


@dataclass(frozen=True)
class CIN:
    """One CIN census file's records, checked; children as numbers.

    ``referrals``: child, referral, closure, nfa (one row per episode of need, opened by a
    referral). ``assessments``: child, start, authorised. ``section47``: child, start,
    icpc (the initial child protection conference it led to). ``plans``: child, start,
    end, previous (NumberOfPreviousCPP).
    """

    area_code: str
    span: Span
    referrals: pd.DataFrame = field(repr=False)
    assessments: pd.DataFrame = field(repr=False)
    section47: pd.DataFrame = field(repr=False)
    plans: pd.DataFrame = field(repr=False)
    file: str = ""
    synthetic: bool = False


def _area(root, path: Path) -> str:
    source = root.find("Header/Source")
    lea = text_of(source, "LEA") if source is not None else ""
    named = area_in_names([path.name, path.parent.name, path.parent.parent.name])
    if not lea:
        if named is None:
            raise FileFormatError(
                "the census header gives no LEA (the council's DfE number) and the file's "
                "name names no council",
                file=path.name,
                hint="Export the census with its header, as DfE's schema lays it out.",
            )
        return str(named["area_code"])
    try:
        row = find_area(lea)
    except PerfError:
        raise located(
            BadValueError,
            "the LEA is not a council's DfE number",
            file=path.name,
            row=source.sourceline,
            column="Header/Source/LEA",
            xml=True,
            hint="The LEA is the council's three-digit DfE number (Dudley: 332).",
        ) from None
    if named is not None and str(named["area_code"]) != str(row["area_code"]):
        raise located(
            AnotherCouncilError,
            f"this is {row['area_name']}'s census (LEA {lea}), but the file or its folder is "
            f"named for {named['area_name']}",
            file=path.name,
            row=source.sourceline,
            column="Header/Source/LEA",
            xml=True,
            hint=f"Move it to a folder for {row['area_name']}.",
        )
    return str(row["area_code"])


def _span(root, path: Path) -> Span:
    details = root.find("Header/CollectionDetails")
    year = text_of(details, "Year") if details is not None else ""
    reference = text_of(details, "ReferenceDate") if details is not None else ""
    where = details.sourceline if details is not None else None
    if not year.isdigit():
        raise located(
            FileFormatError,
            "the census header gives no collection year",
            file=path.name,
            row=where,
            column="Header/CollectionDetails/Year",
            xml=True,
            hint="The Year is the year the collection ends in, e.g. 2026 for 2025-26.",
        )
    day = None
    if reference:
        found = parse_dates(
            pd.Series([reference]),
            file=path.name,
            column="Header/CollectionDetails/ReferenceDate",
            rows=np.array([where]),
            xml=True,
        )[0]
        day = pd.Timestamp(found).date()
    span = year_span(int(year), day)
    if day is not None and not (span.start <= day <= date(int(year), 3, 31)):
        raise located(
            BadValueError,
            "the reference date is outside the collection year",
            file=path.name,
            row=where,
            column="Header/CollectionDetails/ReferenceDate",
            xml=True,
            hint="The reference date is the census's last day (31 March) or an extract's date.",
        )
    return span


def _flag(cells: pd.Series, *, file: str, column: str, rows: np.ndarray) -> np.ndarray:
    text = cells.str.strip().str.lower()
    bad = ~text.isin(_YES)
    if bad.any():
        at = int(np.argmax(bad.to_numpy()))
        raise located(
            BadValueError,
            "not a yes/no value",
            file=file,
            row=int(rows[at]),
            column=column,
            xml=True,
            hint="Write true or false (or 1 or 0).",
        )
    return text.map(_YES).to_numpy(dtype=bool)


def _dates(frame: pd.DataFrame, column: str, path: str, element: str, required=False):
    values = parse_dates(
        frame[column], file=path, column=element, rows=frame["_row"].to_numpy(), xml=True
    )
    if required and np.isnat(values).any():
        at = int(np.argmax(np.isnat(values)))
        raise located(
            BadValueError,
            "this date is blank",
            file=path,
            row=int(frame["_row"].iloc[at]),
            column=element,
            xml=True,
            hint="DfE's schema requires it (yyyy-mm-dd).",
        )
    return values


def _before(frame, first, then, path, element, message) -> None:
    bad = ~np.isnat(then) & (then < first)
    if bad.any():
        at = int(np.argmax(bad))
        raise located(
            BadValueError,
            message,
            file=path,
            row=int(frame["_row"].iloc[at]),
            column=element,
            xml=True,
            hint="Check both dates.",
        )


def _start_end(
    frame: pd.DataFrame,
    columns: tuple[str, str],
    path: str,
    at: str,
    tags: tuple[str, str],
    message: str,
) -> tuple[np.ndarray, np.ndarray]:
    """An event's start (required) and end (optional) dates, read from ``columns`` of
    ``frame`` (XML elements ``at + tags[0]`` and ``at + tags[1]``); an end before its start
    is refused by row and element with ``message``."""
    first, then = columns
    start = _dates(frame, first, path, at + tags[0], required=True)
    end = _dates(frame, then, path, at + tags[1])
    _before(frame, start, end, path, at + tags[1], message)
    return start, end


def read_cin(path: str | Path) -> CIN:
    """The CIN census XML ``path``, read and checked (see the module docstring)."""
    path = Path(path)
    root = parse_safely(path, expect="Message", what="a children in need census")
    children = root.find("Children")
    if root.find("Header") is None or children is None:
        raise FileFormatError(
            "this XML file is not a children in need census: its <Message> has no <Header> "
            "and <Children>",
            file=path.name,
            hint="Give perf the census file as DfE's schema lays it out.",
        )
    area_code = _area(root, path)
    span = _span(root, path)
    ids: dict[str, int] = {}
    rows: dict[str, list[dict]] = {"referrals": [], "assessments": [], "section47": [], "plans": []}
    for child in children.iter("Child"):
        ident = text_of(child, "ChildIdentifiers/LAchildID")
        if not ident:
            raise located(
                BadValueError,
                "the child has no LAchildID",
                file=path.name,
                row=child.sourceline,
                column="Child/ChildIdentifiers/LAchildID",
                xml=True,
                hint="Every child needs the council's own identifier.",
            )
        number = ids.setdefault(ident, len(ids))
        for details in child.iter("CINdetails"):
            rows["referrals"].append(
                {
                    "child": number,
                    "referral": text_of(details, "CINreferralDate"),
                    "closure": text_of(details, "CINclosureDate"),
                    "nfa": text_of(details, "ReferralNFA"),
                    "_row": details.sourceline,
                }
            )
            for item in details.iter("Assessments"):
                rows["assessments"].append(
                    {
                        "child": number,
                        "start": text_of(item, "AssessmentActualStartDate"),
                        "authorised": text_of(item, "AssessmentAuthorisationDate"),
                        "_row": item.sourceline,
                    }
                )
            for item in details.iter("Section47"):
                rows["section47"].append(
                    {
                        "child": number,
                        "start": text_of(item, "S47ActualStartDate"),
                        "icpc": text_of(item, "DateOfInitialCPC"),
                        "_row": item.sourceline,
                    }
                )
            for item in details.iter("ChildProtectionPlans"):
                rows["plans"].append(
                    {
                        "child": number,
                        "start": text_of(item, "CPPstartDate"),
                        "end": text_of(item, "CPPendDate"),
                        "previous": text_of(item, "NumberOfPreviousCPP"),
                        "_row": item.sourceline,
                    }
                )
    name = path.name
    ref = pd.DataFrame(rows["referrals"], columns=["child", "referral", "closure", "nfa", "_row"])
    where = "Child/CINdetails/"
    referral, closure = _start_end(
        ref,
        ("referral", "closure"),
        name,
        where,
        ("CINreferralDate", "CINclosureDate"),
        "the episode closes before its referral",
    )
    referrals = pd.DataFrame(
        {
            "child": ref["child"].to_numpy(dtype=np.int64),
            "referral": referral,
            "closure": closure,
            "nfa": _flag(
                ref["nfa"], file=name, column=where + "ReferralNFA", rows=ref["_row"].to_numpy()
            ),
        }
    )
    ass = pd.DataFrame(rows["assessments"], columns=["child", "start", "authorised", "_row"])
    at = where + "Assessments/"
    start, authorised = _start_end(
        ass,
        ("start", "authorised"),
        name,
        at,
        ("AssessmentActualStartDate", "AssessmentAuthorisationDate"),
        "the assessment is authorised before it starts",
    )
    assessments = pd.DataFrame(
        {"child": ass["child"].to_numpy(dtype=np.int64), "start": start, "authorised": authorised}
    )
    s47 = pd.DataFrame(rows["section47"], columns=["child", "start", "icpc", "_row"])
    at = where + "Section47/"
    start, icpc = _start_end(
        s47,
        ("start", "icpc"),
        name,
        at,
        ("S47ActualStartDate", "DateOfInitialCPC"),
        "the conference is before the section 47 enquiry started",
    )
    section47 = pd.DataFrame(
        {"child": s47["child"].to_numpy(dtype=np.int64), "start": start, "icpc": icpc}
    )
    cpp = pd.DataFrame(rows["plans"], columns=["child", "start", "end", "previous", "_row"])
    at = where + "ChildProtectionPlans/"
    start, end = _start_end(
        cpp,
        ("start", "end"),
        name,
        at,
        ("CPPstartDate", "CPPendDate"),
        "the plan ends before it starts",
    )
    previous = pd.to_numeric(cpp["previous"].replace("", "0"), errors="coerce")
    if previous.isna().any():
        bad = int(np.argmax(previous.isna().to_numpy()))
        raise located(
            BadValueError,
            "not a whole number",
            file=name,
            row=int(cpp["_row"].iloc[bad]),
            column=at + "NumberOfPreviousCPP",
            xml=True,
            hint="Give the number of earlier child protection plans (0 if none).",
        )
    plans = pd.DataFrame(
        {
            "child": cpp["child"].to_numpy(dtype=np.int64),
            "start": start,
            "end": end,
            "previous": previous.to_numpy(dtype=np.int64),
        }
    )
    return CIN(
        area_code=area_code,
        span=span,
        referrals=referrals,
        assessments=assessments,
        section47=section47,
        plans=plans,
        file=name,
        synthetic=is_synthetic(path),
    )
