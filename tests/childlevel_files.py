"""Writing small statutory returns by hand for the perf.childlevel tests.

Every child identifier here starts ``SECRET`` and every date of birth is in 2011 (written
``/2011``), so a test can check that no error or log line repeats one.
"""

from __future__ import annotations

from pathlib import Path

from perf.childlevel.ssda903 import TABLES

#: The text every hand-written child identifier starts with.
SECRET = "SECRET"
#: Dates of birth are all in this year (as written in the files).
BIRTH_YEAR = "2011"


def write_table(folder: Path, name: str, table: str, rows: list[dict]) -> Path:
    """A DfE-layout SSDA903 CSV: ``rows`` give some columns, the rest are blank."""
    folder.mkdir(parents=True, exist_ok=True)
    columns = TABLES[table]
    lines = [",".join(columns)]
    for row in rows:
        lines.append(",".join(str(row.get(c, "")) for c in columns))
    path = folder / name
    path.write_text("\n".join(lines) + "\n")
    return path


def episode(
    child: str,
    decom: str,
    dec: str = "",
    rne: str = "S",
    ls: str = "C2",
    place: str = "U4",
    rec: str = "",
) -> dict:
    """One Episodes row (dates dd/mm/yyyy)."""
    return {
        "CHILD": child,
        "DECOM": decom,
        "DEC": dec,
        "RNE": rne,
        "LS": ls,
        "CIN": "N1",
        "PLACE": place,
        "PLACE_PROVIDER": "PR1",
        "REC": rec or ("X1" if dec else ""),
        "URN": "SC123456",
    }


def header(child: str, dob: str = f"01/06/{BIRTH_YEAR}", sex: str = "1") -> dict:
    """One Header row."""
    return {"CHILD": child, "SEX": sex, "DOB": dob, "ETHNIC": "WBRI", "UPN": "A123456789012"}


def minimal_return(
    folder: Path, episodes: list[dict], headers: list[dict] | None = None, year: int = 2025
) -> Path:
    """A folder holding an Episodes and a Header table for collection year ``year``."""
    children = sorted({e["CHILD"] for e in episodes})
    write_table(folder, f"episodes_{year}.csv", "Episodes", episodes)
    write_table(folder, f"header_{year}.csv", "Header", headers or [header(c) for c in children])
    return folder


CIN_HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails>
      <Collection>CIN</Collection>
      <Year>{year}</Year>
      <ReferenceDate>{reference}</ReferenceDate>
    </CollectionDetails>
    <Source>
      <SourceLevel>L</SourceLevel>
      <LEA>{lea}</LEA>
      <SoftwareCode>test</SoftwareCode>
      <Release>1</Release>
      <SerialNo>001</SerialNo>
      <DateTime>2025-05-01T10:00:00</DateTime>
    </Source>
  </Header>
  <Children>
{children}
  </Children>
</Message>
"""


def cin_child(child: str, details: str, dob: str = f"{BIRTH_YEAR}-06-01") -> str:
    """One ``<Child>`` of a CIN census, its ``<CINdetails>`` given as XML text."""
    return f"""    <Child>
      <ChildIdentifiers>
        <LAchildID>{child}</LAchildID>
        <PersonBirthDate>{dob}</PersonBirthDate>
        <GenderCurrent>1</GenderCurrent>
      </ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
{details}
    </Child>"""


def cin_details(referral: str, closure: str = "", nfa: str = "false", inner: str = "") -> str:
    """One ``<CINdetails>`` (referral, closure, then ``inner`` blocks)."""
    close = f"<CINclosureDate>{closure}</CINclosureDate>" if closure else ""
    return f"""      <CINdetails>
        <CINreferralDate>{referral}</CINreferralDate>
        <ReferralSource>1A</ReferralSource>
        {close}
        {inner}
        <ReferralNFA>{nfa}</ReferralNFA>
      </CINdetails>"""


def write_cin(
    path: Path,
    children: list[str],
    *,
    lea: str = "332",
    year: int = 2025,
    reference: str | None = None,
) -> Path:
    """A CIN census XML file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        CIN_HEADER.format(
            year=year,
            reference=reference or f"{year}-03-31",
            lea=lea,
            children="\n".join(children),
        )
    )
    return path
