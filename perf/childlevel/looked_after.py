"""DfE's children looked after measures, from the SSDA903 episodes, for any period.

Each function takes the return's frames (:class:`perf.childlevel.ssda903.SSDA903`'s, for
one council) and a list of periods (:class:`perf.periods.Period`: a quarter, a financial
year, twelve months to any day), and returns one row per period: ``numerator``,
``denominator`` and ``value`` (a count has only ``value``; a percentage is numerator over
denominator x 100; an average of days is total days over children). Everything is
vectorised over children and episodes; only the periods are looped over.

Counting rules shared by every measure, as DfE states them:

* **Short breaks are left out.** "Unless otherwise stated, numbers and percentage exclude
  children looked after under an agreed series of short term placements" (DfE, *Children
  looked after in England including adoptions*, data guidance,
  https://explore-education-statistics.service.gov.uk/find-statistics/children-looked-after-in-england-including-adoptions/2025/data-guidance):
  episodes with legal status V3 or V4 are not counted anywhere here.
* **Children, not episodes.** A child is looked after on a day when an episode holds it
  (``DECOM <= day < DEC``; ``DEC`` is the day the episode ended). Starts count "only the
  first occasion on which a child started to be looked after in the LA during year" (DfE,
  *CLA starting during the year by characteristics*, footnote): a child once in a period;
  ceasing likewise counts each child once.
* **A placement** begins with every episode whose reason for new episode is S (started to
  be looked after), P (placement and carer changed) or T (legal status, placement and
  carer changed); L (legal status only) and B or U (placement changed with the same carer)
  keep the child with the same carer. Temporary placements (T0-T4: holidays, hospital,
  respite for the carer) are not placements: LAIT counts "all placements of 24 hours or
  more" for ``LACStable_2016on`` and DfE's stability measures count moves between carers
  (*Stability measures for children looked after in England*, methodology).

Examples:
    >>> from perf.periods import parse_period
    >>> eps = episodes_frame([
    ...     # child, DECOM, DEC, RNE, LS, PLACE, REC
    ...     (1, "2024-01-10", None, "S", "C2", "U4", ""),
    ...     (2, "2024-02-01", "2024-05-01", "S", "V2", "U1", "E11"),
    ...     (3, "2024-02-01", "2024-02-03", "S", "V3", "U1", "E13")])  # a short break
    >>> q4, q1 = parse_period("2023-24 Q4"), parse_period("2024-25 Q1")
    >>> cla_count(eps, [q4, q1])["value"].tolist()  # on 31 March and on 30 June 2024
    [2.0, 1.0]
    >>> cla_starts(eps, [q4, q1])["value"].tolist(), ceased(eps, [q4, q1])["value"].tolist()
    ([2.0, 0.0], [0.0, 1.0])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from perf.childlevel.ssda903 import SHORT_BREAKS
from perf.childlevel.timeline import (
    bounds,
    count_open,
    distinct_in,
    ends,
    group_first,
    last_days,
    minus_years,
    union_intervals,
)
from perf.periods import Period

__all__ = [
    "ADOPTED",
    "EET",
    "NEW_CARER",
    "TEMPORARY",
    "adopted",
    "adopted_share",
    "adoption_authority_to_match",
    "adoption_care_to_placed",
    "care_leavers_eet",
    "care_leavers_suitable",
    "ceased",
    "children_away",
    "children_missing",
    "cla_count",
    "cla_starts",
    "episodes_frame",
    "long_term_stability",
    "placements_3plus",
]

#: Reasons for a new episode that start a placement with a new carer (see the module).
NEW_CARER = frozenset({"S", "P", "T"})
#: Temporary placements, not counted as placements (holidays, hospital, respite).
TEMPORARY = frozenset({"T0", "T1", "T2", "T3", "T4"})
#: Reasons an episode ceased that mean the child was adopted.
ADOPTED = frozenset({"E11", "E12"})
#: Placed for adoption (placement types A3-A6).
FOR_ADOPTION = frozenset({"A3", "A4", "A5", "A6"})
#: Legal statuses that give the council court authority to place for adoption: a placement
#: order (E1), or before 2005 a freeing order (D1).
AUTHORITY_TO_PLACE = frozenset({"E1", "D1"})
#: Activities that are education, employment or training (full or part time: F1/P1 higher
#: education, F2/P2 other education, F4/P4 training or employment, F5/P5 apprenticeship).
EET = frozenset({"F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5"})


def episodes_frame(rows) -> pd.DataFrame:
    """An episodes frame from ``(child, DECOM, DEC, RNE, LS, PLACE, REC)`` tuples (ISO dates,
    None for an open episode): the tests' and examples' hand-written fixtures."""
    frame = pd.DataFrame(rows, columns=["child", "decom", "dec", "rne", "ls", "place", "rec"])
    frame["decom"] = pd.to_datetime(frame["decom"])
    frame["dec"] = pd.to_datetime(frame["dec"])
    frame["rec"] = frame["rec"].fillna("")
    return frame


def _result(value, numerator=None, denominator=None) -> pd.DataFrame:
    value = np.asarray(value, dtype=float)
    nan = np.full(len(value), np.nan)
    return pd.DataFrame(
        {
            "value": value,
            "numerator": nan if numerator is None else np.asarray(numerator, dtype=float),
            "denominator": nan if denominator is None else np.asarray(denominator, dtype=float),
        }
    )


def _share(numerator, denominator, scale: float = 100.0) -> pd.DataFrame:
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(denominator > 0, numerator / denominator * scale, np.nan)
    return _result(value, numerator, denominator)


def _in_care(episodes: pd.DataFrame) -> pd.DataFrame:
    """Episodes that are not short breaks, sorted by child then start."""
    kept = ~np.isin(episodes["ls"].to_numpy(dtype=object), list(SHORT_BREAKS))
    child = episodes["child"].to_numpy()[kept]
    start = episodes["decom"].to_numpy(dtype="datetime64[ns]")[kept]
    order = np.flatnonzero(kept)[np.lexsort((start, child))]
    return episodes.take(order).reset_index(drop=True)


def _text(column: pd.Series) -> np.ndarray:
    return np.asarray(column.astype(object), dtype=object)


_NAT = np.datetime64("NaT", "ns")


@dataclass(frozen=True)
class _Care:
    """The episodes in care (short breaks left out) as sorted numpy arrays, with what every
    stability measure needs worked out once: where each period of care and each placement
    began, and the placement before it."""

    child: np.ndarray
    start: np.ndarray
    #: the episode's end; an open episode's is FOREVER; overlapping episodes end where the
    #: next begins (so one episode holds a child on any day)
    end: np.ndarray
    place: np.ndarray
    ls: np.ndarray
    rec: np.ndarray
    #: the day an episode ended as the return records it (NaT: open)
    dec: np.ndarray
    temporary: np.ndarray
    new_carer: np.ndarray
    care_start: np.ndarray
    placement_start: np.ndarray
    previous_placement: np.ndarray


def _ffill(values: np.ndarray, marks: np.ndarray) -> np.ndarray:
    """Each row's value from the last marked row at or before it (row 0 must be marked)."""
    at = np.where(marks, np.arange(len(marks)), 0)
    return values[np.maximum.accumulate(at)] if len(marks) else values


def _prepare(episodes: pd.DataFrame) -> _Care:
    care = _in_care(episodes)
    child = care["child"].to_numpy()
    start = care["decom"].to_numpy(dtype="datetime64[ns]")
    end = ends(care["dec"].to_numpy())
    rne, place = _text(care["rne"]), _text(care["place"])
    first = group_first(child)
    next_same = np.r_[~first[1:], False]
    next_start = np.r_[start[1:], _NAT]
    end = np.where(next_same & (next_start < end), next_start, end)
    previous_end = np.r_[_NAT, end[:-1]]
    care_begins = first | (start > previous_end) | (rne == "S")
    temporary = np.isin(place, list(TEMPORARY))
    new_carer = np.isin(rne, list(NEW_CARER)) & ~temporary
    placement_begins = care_begins | new_carer
    placement_start = _ffill(start, placement_begins)
    before = np.r_[_NAT, placement_start[:-1]]
    previous = _ffill(np.where(placement_begins & ~care_begins, before, _NAT), placement_begins)
    return _Care(
        child=child,
        start=start,
        end=end,
        place=place,
        ls=_text(care["ls"]),
        rec=_text(care["rec"]),
        dec=care["dec"].to_numpy(dtype="datetime64[ns]"),
        temporary=temporary,
        new_carer=new_carer,
        care_start=_ffill(start, care_begins),
        placement_start=placement_start,
        previous_placement=previous,
    )


def _spells(episodes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    care = _in_care(episodes)
    return union_intervals(
        care["child"].to_numpy(), care["decom"].to_numpy(), care["dec"].to_numpy()
    )


def _holding(care: _Care, day) -> np.ndarray:
    """Positions of the episode holding each child on ``day`` (one a child)."""
    return np.flatnonzero((care.start <= day) & (care.end > day))


def cla_count(episodes: pd.DataFrame, periods: Sequence[Period]) -> pd.DataFrame:
    """Children looked after at the end of each period (``cla_count``; with the ONS
    population of children aged 0 to 17, ``cla_rate`` per 10,000).

    DfE: "children looked after on 31 March", excluding children looked after under an
    agreed series of short-term placements (*Children looked after in England including
    adoptions*, data guidance); any other day is counted the same way.
    """
    _, start, end = _spells(episodes)
    return _result(count_open(start, end, last_days(periods)))


def cla_starts(episodes: pd.DataFrame, periods: Sequence[Period]) -> pd.DataFrame:
    """Children who started to be looked after in each period (``cla_start_count``): an
    episode whose reason for new episode is S, not a short break, starting in the period;
    a child counted once ("Only the first occasion on which a child started to be looked
    after in the LA during year has been counted": DfE, *CLA starting during the year*)."""
    care = _in_care(episodes)
    began = care[care["rne"] == "S"]
    return _result(distinct_in(began["child"].to_numpy(), began["decom"].to_numpy(), periods))


def _left(episodes: pd.DataFrame) -> pd.DataFrame:
    """Episodes after which the child left care (a reason other than X1, which continues
    the care), short breaks left out."""
    care = _in_care(episodes)
    return care[care["dec"].notna() & (care["rec"] != "") & (care["rec"] != "X1")]


def ceased(episodes: pd.DataFrame, periods: Sequence[Period]) -> pd.DataFrame:
    """Children who ceased to be looked after in each period (``cla_cease_count``): an
    episode ending with a reason other than X1 (X1: the episode ends, the care goes on),
    each child counted once (DfE, *CLA ceasing during the year*)."""
    left = _left(episodes)
    return _result(distinct_in(left["child"].to_numpy(), left["dec"].to_numpy(), periods))


def adopted(episodes: pd.DataFrame, periods: Sequence[Period]) -> pd.DataFrame:
    """Children looked after who were adopted in each period (LAIT ``No_of LAC Adopted``:
    "Children looked after who were adopted in year (number)"): ceasing with reason E11 or
    E12 (adopted, application unopposed or consent dispensed with)."""
    left = _left(episodes)
    gone = left[left["rec"].isin(ADOPTED)]
    return _result(distinct_in(gone["child"].to_numpy(), gone["dec"].to_numpy(), periods))


def adopted_share(episodes: pd.DataFrame, periods: Sequence[Period]) -> pd.DataFrame:
    """Of the children who ceased to be looked after in each period, the percentage who
    were adopted (LAIT ``%_of LAC Adopted``, "Children looked after who were adopted in
    year (%)": DfE's share of children ceasing who ceased through adoption)."""
    return _share(adopted(episodes, periods)["value"], ceased(episodes, periods)["value"])


def placements_3plus(episodes: pd.DataFrame, periods: Sequence[Period]) -> pd.DataFrame:
    """Children looked after at the end of each period who had 3 or more placements in
    the twelve months to it, as a percentage of all children looked after then
    (``cla_placements_3plus``; DfE: "CLA on 31 March with three or more placements during
    the year", *Stability measures for children looked after in England*, and LAIT
    ``LACStable_2016on``: "All placements of 24 hours or more of children that were looked
    after on 31 March during the previous year are counted. Figures exclude children looked
    after under a series of short-term placements").

    A child's placements in the twelve months are the placement it was in when they began
    (or its first, if it came into care during them) and every later one (see the module's
    counting rules). The twelve months end on the period's last day, whatever its length.
    """
    care = _prepare(episodes)
    numerator, denominator = [], []
    size = int(care.child.max()) + 1 if len(care.child) else 0
    for day in last_days(periods):
        window = minus_years(np.array([day]), 1)[0] + np.timedelta64(1, "D")
        cohort = np.zeros(size, dtype=bool)
        cohort[care.child[_holding(care, day)]] = True
        rows = np.flatnonzero(
            cohort[care.child] & (care.start <= day) & (care.end > window) & ~care.temporary
        )
        counted = group_first(care.child[rows]) | care.new_carer[rows]
        per_child = np.bincount(care.child[rows][counted], minlength=size)
        numerator.append(int((per_child[cohort] >= 3).sum()))
        denominator.append(int(cohort.sum()))
    return _share(numerator, denominator)


def long_term_stability(
    episodes: pd.DataFrame, header: pd.DataFrame, periods: Sequence[Period]
) -> pd.DataFrame:
    """Children aged under 16 at the end of each period, looked after continuously for at
    least two and a half years, who have lived in the same placement for at least two
    years, or are placed for adoption and their adoptive placement together with their
    previous placement lasts at least two years, as a percentage of those children
    (``cla_long_term_stability``; DfE: "aged under 16 looked after continuously for at
    least 2.5 years and living with the same carer for at least 2 years", *Stability
    measures for children looked after in England*; LAIT ``LAC_LongStable%``).

    A child without a date of birth in the Header table cannot be placed above or below
    16: when any child of the cohort has none, the period's figure is not computed (NaN).
    """
    care = _prepare(episodes)
    size = int(max(care.child.max(initial=-1), header["child"].max() if len(header) else -1)) + 1
    dob = np.full(size, _NAT)
    known = header.drop_duplicates("child")
    dob[known["child"].to_numpy()] = known["dob"].to_numpy(dtype="datetime64[ns]")
    adoptive = np.isin(care.place, list(FOR_ADOPTION))
    numerator, denominator = [], []
    for day in last_days(periods):
        now = _holding(care, day)
        now = now[care.care_start[now] <= minus_years(np.array([day]), 2.5)[0]]
        born = dob[care.child[now]]
        if np.isnat(born).any():
            numerator.append(np.nan)
            denominator.append(np.nan)
            continue
        now = now[born > minus_years(np.array([day]), 16)[0]]
        two_years = minus_years(np.array([day]), 2)[0]
        stable = (care.placement_start[now] <= two_years) | (
            adoptive[now] & (care.previous_placement[now] <= two_years)
        )
        numerator.append(int(stable.sum()))
        denominator.append(len(now))
    return _share(numerator, denominator)


def children_missing(
    episodes: pd.DataFrame, missing: pd.DataFrame, periods: Sequence[Period], kind: str = "M"
) -> pd.DataFrame:
    """Children looked after in each period who had a missing incident starting in it, as
    a percentage of the children looked after at any time in it (LAIT
    ``Children_missing``, "Children looked after whom had a missing incident during the
    year (%)"; DfE: 11,530 children "had a missing incident in the year to 31st March 2018.
    This was 11% of the children who were looked after in the year"). ``kind`` ``A``: away
    from placement without authorisation instead (``Children_Away``)."""
    spell_child, spell_start, spell_end = _spells(episodes)
    first, after = bounds(periods)
    gone = missing[missing["missing"].to_numpy(dtype=object) == kind]
    went_child = gone["child"].to_numpy()
    went_day = gone["start"].to_numpy(dtype="datetime64[ns]")
    size = int(max(spell_child.max(initial=-1), went_child.max(initial=-1))) + 1
    numerator, denominator = [], []
    for a, b in zip(first, after):
        cared = np.zeros(size, dtype=bool)
        cared[spell_child[(spell_start < b) & (spell_end > a)]] = True
        went = np.zeros(size, dtype=bool)
        went[went_child[(went_day >= a) & (went_day < b)]] = True
        numerator.append(int((cared & went).sum()))
        denominator.append(int(cared.sum()))
    return _share(numerator, denominator)


def children_away(
    episodes: pd.DataFrame, missing: pd.DataFrame, periods: Sequence[Period]
) -> pd.DataFrame:
    """:func:`children_missing` for incidents of being away from placement without
    authorisation (LAIT ``Children_Away``)."""
    return children_missing(episodes, missing, periods, kind="A")


def _birthday_in_year(oc3: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each OC3 record's birthday in its collection year (29 February as 28 February in
    other years), and the age it marks."""
    dob = pd.DatetimeIndex(oc3["dob"])
    year = oc3["year"].to_numpy(dtype=int)
    calendar_year = np.where(dob.month >= 4, year - 1, year)
    age = calendar_year - dob.year.to_numpy()
    leap_day = (dob.month == 2) & (dob.day == 29)
    birthday = pd.to_datetime(
        pd.DataFrame(
            {"year": calendar_year, "month": dob.month, "day": np.where(leap_day, 28, dob.day)}
        )
    )
    return birthday.to_numpy(dtype="datetime64[ns]"), age


def _care_leavers(oc3: pd.DataFrame, periods, ages: tuple[int, ...], is_good) -> pd.DataFrame:
    day, age = _birthday_in_year(oc3)
    kept = np.isin(age, ages)
    first, after = bounds(periods)
    numerator, denominator = [], []
    good = np.asarray(is_good(oc3), dtype=bool)
    for a, b in zip(first, after):
        here = kept & (day >= a) & (day < b)
        numerator.append(int((here & good).sum()))
        denominator.append(int(here.sum()))
    return _share(numerator, denominator)


def care_leavers_eet(
    oc3: pd.DataFrame, periods: Sequence[Period], ages: tuple[int, ...]
) -> pd.DataFrame:
    """Care leavers whose birthday at one of ``ages`` (17-18: ``(17, 18)``; 19-21:
    ``(19, 20, 21)``) falls in the period, in education, employment or training on or
    around it, as a percentage of all of them (``care_leavers_eet_17_18``,
    ``care_leavers_eet_19_21``; DfE: "All the former relevant young people whose 19th,
    20th or 21st birthday falls between 1 April and 31 March ... Of these young people, we
    are interested in those who were in education, employment or training", LAIT
    ``CareLeaverEET``; the denominator is DfE's "Total", with those whose activity is not
    known, *Care leavers' activity* by local authority). Activity codes F1-F5 and P1-P5
    are in education, employment or training; G4-G6 are not; 0 is not known."""
    return _care_leavers(oc3, periods, ages, lambda f: f["activ"].isin(EET))


def care_leavers_suitable(
    oc3: pd.DataFrame, periods: Sequence[Period], ages: tuple[int, ...]
) -> pd.DataFrame:
    """Care leavers whose birthday at one of ``ages`` falls in the period, in accommodation
    judged suitable, as a percentage of all of them (``care_leavers_suitable_17_18``,
    ``care_leavers_suitable_19_21``; DfE "Accommodation considered suitable" over the
    "Suitability total", LAIT ``CareLeaverAcc``). The accommodation code's digit carries
    the judgement: 1 suitable, 2 not suitable; 0 is no information."""
    return _care_leavers(oc3, periods, ages, lambda f: f["accom"].str.endswith("1"))


def _adoptions(episodes: pd.DataFrame) -> pd.DataFrame:
    """For each adoption (an episode ending E11 or E12): the child, the day, the start of
    the period of care it ended, of the placement the child was adopted from, and the day
    the council had court authority to place (the first E1 or D1 episode of that care)."""
    care = _prepare(episodes)
    authority = np.where(np.isin(care.ls, list(AUTHORITY_TO_PLACE)), care.start, _NAT)
    spell = pd.Series(authority.view("i8")).where(~np.isnat(authority))
    first_authority = (
        spell.groupby([care.child, care.care_start.view("i8")]).transform("min").to_numpy()
    )
    adopted = np.isin(care.rec, list(ADOPTED)) & ~np.isnat(care.dec)
    return pd.DataFrame(
        {
            "child": care.child[adopted],
            "care": care.care_start[adopted],
            "placement": care.placement_start[adopted],
            "authority": pd.to_datetime(first_authority[adopted]),
            "adopted": care.dec[adopted],
        }
    )


def _average_days(days: pd.Series, when: pd.Series, periods) -> pd.DataFrame:
    first, after = bounds(periods)
    total, count = [], []
    known = days.notna().to_numpy()
    day = when.to_numpy(dtype="datetime64[ns]")
    for a, b in zip(first, after):
        here = known & (day >= a) & (day < b)
        total.append(float(days[here].sum()))
        count.append(int(here.sum()))
    return _share(total, count, scale=1.0)


def adoption_care_to_placed(episodes: pd.DataFrame, periods: Sequence[Period]) -> pd.DataFrame:
    """For children adopted in each period, the average number of days between entering
    care and moving in with the family that adopted them (``adoption_care_to_placed_days``;
    DfE's adoption scorecard measure A1, "average time between a child entering care and
    moving in with its adoptive family", *Children looked after in England including
    adoptions*: "average time between different stages of the adoption process").

    Moving in is the start of the placement the child was adopted from: for a child adopted
    by its foster carers (a change of placement with the same carer, B or U) that is when
    it moved in with them as foster carers, as DfE counts it."""
    found = _adoptions(episodes)
    days = (found["placement"] - found["care"]).dt.days.astype(float)
    return _average_days(days, found["adopted"], periods)


def adoption_authority_to_match(
    episodes: pd.DataFrame, ad1: pd.DataFrame, periods: Sequence[Period]
) -> pd.DataFrame:
    """For children adopted in each period, the average number of days between the council
    receiving court authority to place the child for adoption (a placement order, legal
    status E1) and deciding on a match with adopters (AD1 ``DATE_MATCH``)
    (``adoption_authority_to_match_days``; DfE's adoption scorecard measure A2). Children
    with no placement order or no match date recorded are left out."""
    found = _adoptions(episodes)
    match = ad1.drop_duplicates("child").set_index("child")["date_match"]
    matched = found["child"].map(match)
    days = (matched - found["authority"]).dt.days.astype(float)
    return _average_days(days, found["adopted"], periods)
