"""A synthetic SSDA903 return and CIN census of any size, with a fixed seed: made-up
children, for the worked example, the tests and the benchmark. Not any council's data.

:func:`generate` makes the child-level frames the readers would give
(:class:`perf.childlevel.ssda903.SSDA903`'s and :class:`perf.childlevel.cin.CIN`'s
columns); :func:`write` writes them as a council would send them: the SSDA903 tables as
CSV files in DfE's layout (day-first dates) in one folder, the census as DfE's XML, and a
:data:`perf.childlevel.common.MARKER` file saying they are synthetic (every figure
computed from them is flagged ``ex``).

The children's histories start ``history_years`` before the extract's collection year, so
every definition that looks back has something to look at, and the return is an in-year
extract: its folder and file are named for the collection year and the extract date
(``ssda903_2025-26_to_2025-09-30``), so only that year's quarters to the extract date get
figures. Beside the random children the generator always writes a few that exercise every
definition: a child with several placements (a legal status change, a holiday, two moves),
an adoption by new adopters and one by the foster carers, children on short breaks only
(V3, V4), children who went missing and who were away, care leavers with every activity
and every accommodation code, referrals within and beyond 12 months of the last, and plans
of every length, two years or more and second plans included.

Run ``perf synth --out DIR`` (or ``python -m perf.childlevel.synthetic --out DIR``) to write
one; ``data/local/example_dudley_returns`` was written with the defaults.

Examples:
    >>> from datetime import date
    >>> made = generate(children=40, referrals=120, seed=1)
    >>> made.area_code, made.extract
    ('E08000027', datetime.date(2025, 9, 30))
    >>> len(made.episodes) > 40, bool(made.episodes["ls"].isin(["V3", "V4"]).any())
    (True, True)
    >>> generate(children=40, referrals=120, seed=1).episodes.equals(made.episodes)
    True
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from perf.areas import find_area
from perf.childlevel.common import MARKER, collection_year
from perf.childlevel.ssda903 import CODES, TABLES
from perf.childlevel.workdays import bank_holidays
from perf.fileio import atomic_write

__all__ = ["Synthetic", "generate", "main", "write"]

_DAY = np.timedelta64(1, "D")
_NAT = np.datetime64("NaT", "ns")
#: Placement types drawn for ordinary placements, with their weights (mostly foster care).
_PLACES = (
    ["U1", "U2", "U3", "U4", "U5", "U6", "K2", "R1", "P1", "S1"],
    [0.05, 0.05, 0.10, 0.30, 0.20, 0.10, 0.10, 0.03, 0.05, 0.02],
)
#: Reasons for leaving care drawn for children not adopted, with their weights.
_LEAVING = (
    ["E13", "E4A", "E41", "E8", "E17", "E15", "E2", "E45"],
    [0.35, 0.15, 0.12, 0.12, 0.12, 0.06, 0.04, 0.04],
)


@dataclass(frozen=True)
class Synthetic:
    """A generated return: the frames in the readers' layout (``child`` a number)."""

    area_code: str
    extract: date
    history_start: date
    episodes: pd.DataFrame = field(repr=False)
    header: pd.DataFrame = field(repr=False)
    missing: pd.DataFrame = field(repr=False)
    oc3: pd.DataFrame = field(repr=False)
    ad1: pd.DataFrame = field(repr=False)
    referrals: pd.DataFrame = field(repr=False)
    assessments: pd.DataFrame = field(repr=False)
    section47: pd.DataFrame = field(repr=False)
    plans: pd.DataFrame = field(repr=False)


def _days(values) -> np.ndarray:
    return np.asarray(values, dtype="datetime64[D]")


def _uniform_days(rng, first: date, last: date, n: int) -> np.ndarray:
    span = (last - first).days
    return _days(first) + rng.integers(0, span + 1, n).astype("timedelta64[D]")


# -- children looked after ---------------------------------------------------------------


def _looked_after(rng, n: int, history_start: date, extract: date, area: str) -> dict:
    """Random children looked after, vectorised: a period of care each, cut into episodes."""
    start = _days(history_start)
    end = _days(extract)
    # 40% already in care when the history starts (since up to 6 years before), the rest
    # come into care during it
    before = rng.random(n) < 0.4
    entry = np.where(
        before,
        start - rng.integers(1, 6 * 365, n).astype("timedelta64[D]"),
        _uniform_days(rng, history_start, extract, n),
    )
    age = rng.choice(np.arange(18), n, p=_age_weights())
    dob = entry - (age * 365.25 + rng.integers(0, 365, n)).astype("timedelta64[D]")
    eighteen = _birthday(dob, 18)
    stay = np.ceil(rng.exponential(700, n)).astype("timedelta64[D]") + 7 * _DAY
    leave = np.minimum(entry + stay, eighteen)
    # those in care since before the history must still be in care on its first day
    leave = np.where(before & (leave <= start), start + rng.integers(30, 900, n) * _DAY, leave)
    leave = np.minimum(leave, eighteen)
    left = leave <= end
    adopted = left & (age < 5) & (rng.random(n) < 0.45)
    reason = np.where(adopted, np.where(rng.random(n) < 0.6, "E11", "E12"), "")
    others = left & ~adopted
    reason[others] = rng.choice(_LEAVING[0], int(others.sum()), p=_LEAVING[1])
    reason[left & (leave == eighteen)] = "E17"
    # episodes: 1 + a number growing with the time in care
    last_day = np.where(left, leave, end)
    years = (last_day - entry).astype(int) / 365.25
    count = 1 + rng.poisson(np.clip(years * 1.1, 0, 8))
    count = np.where(adopted, np.maximum(count, 3), count)
    child = np.repeat(np.arange(n), count)
    order = np.arange(len(child)) - np.repeat(np.cumsum(count) - count, count)
    first = order == 0
    last = order == np.repeat(count - 1, count)
    # episode starts: the entry, then sorted points inside the stay
    length = (last_day - entry).astype(int)
    cut = rng.random(len(child)) * np.repeat(length, count)
    cut = np.where(first, 0, np.maximum(cut, 1)).astype(int)
    frame = pd.DataFrame({"child": child, "cut": cut})
    frame = frame.sort_values(["child", "cut"], kind="mergesort")
    cut = frame["cut"].to_numpy()
    # two episodes must not start on the same day: push repeats on by a day
    same = np.r_[False, (child[1:] == child[:-1]) & (cut[1:] <= cut[:-1])]
    while same.any():
        cut = np.where(same, np.r_[0, cut[:-1]] + 1, cut)
        same = np.r_[False, (child[1:] == child[:-1]) & (cut[1:] <= cut[:-1])]
    decom = np.repeat(entry, count) + cut.astype("timedelta64[D]")
    dec = np.r_[decom[1:], _days(["NaT"])]
    ends_care = last
    dec = np.where(ends_care, np.repeat(np.where(left, leave, _days(["NaT"])[0]), count), dec)
    # a stay cut short by the 18th birthday can leave a last episode with no length
    dec = np.where(~np.isnat(dec) & (dec <= decom), decom + _DAY, dec)
    rne = rng.choice(["P", "L", "T", "B", "U"], len(child), p=[0.55, 0.25, 0.1, 0.05, 0.05])
    rne = np.where(first, "S", rne)
    place = rng.choice(_PLACES[0], len(child), p=_PLACES[1])
    # the legal status changes only with a new episode for it (L, T, U): to a care order
    legal = rng.choice(["C2", "V2", "L2", "J2"], n, p=[0.5, 0.4, 0.05, 0.05])
    changes = first | np.isin(rne, ["L", "T", "U"])
    ls = np.where(first, np.repeat(legal, count), "C1")
    ls = ls[np.maximum.accumulate(np.where(changes, np.arange(len(child)), 0))]
    # an adopted child: placement order (E1) for its last two episodes, placed for adoption
    # in the last (B: with its foster carers, else P: with new adopters)
    adopted_rows = np.repeat(adopted, count)
    ls = np.where(adopted_rows & (order >= np.repeat(count - 2, count)), "E1", ls)
    place = np.where(adopted_rows & last, "A5", place)
    rne = np.where(adopted_rows & last, np.where(rng.random(len(child)) < 0.3, "B", "P"), rne)
    rec = np.where(last, np.repeat(reason, count), "X1")
    rec = np.where(np.isnat(dec), "", rec)
    episodes = pd.DataFrame(
        {
            "child": child,
            "decom": decom.astype("datetime64[ns]"),
            "dec": dec.astype("datetime64[ns]"),
            "rne": rne,
            "ls": ls,
            "cin": "N1",
            "place": place,
            "rec": rec,
        }
    )
    header = pd.DataFrame({"child": np.arange(n), "sex": rng.choice(["M", "F"], n), "dob": dob})
    header["dob"] = header["dob"].astype("datetime64[ns]")
    adoption_end = leave[adopted]
    ad1 = pd.DataFrame(
        {
            "child": np.flatnonzero(adopted),
            "date_int": (adoption_end - rng.integers(300, 500, int(adopted.sum())) * _DAY),
            "date_match": (adoption_end - rng.integers(150, 280, int(adopted.sum())) * _DAY),
        }
    )
    # the match is after the placement order: the order is the second to last episode's start
    second_last = episodes[adopted_rows & (order == np.repeat(count - 2, count))]
    order_day = second_last.set_index("child")["decom"]
    if len(ad1):
        ad1["date_match"] = np.fmax(
            ad1["date_match"].to_numpy(dtype="datetime64[ns]"),
            pd.to_datetime(ad1["child"].map(order_day)).to_numpy(dtype="datetime64[ns]")
            + 20 * _DAY,
        )
    for column in ("date_int", "date_match"):
        ad1[column] = ad1[column].astype("datetime64[ns]")
    went = rng.random(n) < 0.12
    chosen = np.flatnonzero(went)
    times = rng.integers(1, 4, len(chosen))
    who = np.repeat(chosen, times)
    span = (np.minimum(last_day, end) - entry)[who].astype(int)
    when = entry[who] + (rng.random(len(who)) * np.maximum(span, 1)).astype("timedelta64[D]")
    missing = pd.DataFrame(
        {
            "child": who,
            "missing": rng.choice(["M", "A"], len(who), p=[0.7, 0.3]),
            "start": when.astype("datetime64[ns]"),
            "end": (when + rng.integers(0, 4, len(who)) * _DAY).astype("datetime64[ns]"),
        }
    )
    return {"episodes": episodes, "header": header, "ad1": ad1, "missing": missing, "n": n}


def _birthday(dob: np.ndarray, years: int) -> np.ndarray:
    shifted = pd.DatetimeIndex(dob) + pd.DateOffset(years=years)
    return shifted.to_numpy(dtype="datetime64[D]")


def _age_weights() -> np.ndarray:
    weights = np.array([14, 6, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 7, 8, 9, 9, 8, 6], dtype=float)
    return weights / weights.sum()


def _showcase(next_child: int, history_start: date) -> dict:
    """The children who exercise every definition (see the module docstring)."""
    y = history_start.year  # the history's first April
    rows = [
        # several placements: a move, a legal status change, a holiday, another move
        (0, f"{y}-06-01", f"{y + 2}-01-10", "S", "V2", "U4", "X1"),
        (0, f"{y + 2}-01-10", f"{y + 2}-11-01", "P", "V2", "U5", "X1"),
        (0, f"{y + 2}-11-01", f"{y + 3}-04-20", "L", "C1", "U5", "X1"),
        (0, f"{y + 3}-04-20", f"{y + 3}-05-02", "P", "C1", "T2", "X1"),
        (0, f"{y + 3}-05-02", f"{y + 3}-06-15", "P", "C1", "U6", "X1"),
        (0, f"{y + 3}-06-15", None, "P", "C1", "K2", ""),
        # adopted by new adopters in the extract's year
        (1, f"{y}-09-01", f"{y + 1}-08-01", "S", "C2", "U4", "X1"),
        (1, f"{y + 1}-08-01", f"{y + 2}-12-01", "L", "E1", "U4", "X1"),
        (1, f"{y + 2}-12-01", f"{y + 3}-07-15", "P", "E1", "A5", "E11"),
        # adopted by its foster carers (B: same carer)
        (2, f"{y}-05-01", f"{y + 2}-02-01", "S", "C2", "U4", "X1"),
        (2, f"{y + 2}-02-01", f"{y + 3}-05-20", "B", "E1", "A6", "E12"),
        # short breaks only
        (3, f"{y + 3}-04-05", f"{y + 3}-04-07", "S", "V3", "U1", "E13"),
        (4, f"{y + 2}-10-01", None, "S", "V4", "U1", ""),
    ]
    episodes = pd.DataFrame(rows, columns=["child", "decom", "dec", "rne", "ls", "place", "rec"])
    episodes["child"] += next_child
    episodes["cin"] = "N1"
    episodes["decom"] = pd.to_datetime(episodes["decom"])
    episodes["dec"] = pd.to_datetime(episodes["dec"])
    header = pd.DataFrame(
        {
            "child": next_child + np.arange(5),
            "sex": ["F", "M", "F", "M", "U"],
            "dob": pd.to_datetime(
                [
                    f"{y - 9}-03-01",
                    f"{y - 2}-07-01",
                    f"{y - 1}-02-01",
                    f"{y - 8}-05-05",
                    f"{y - 10}-11-11",
                ]
            ),
        }
    )
    ad1 = pd.DataFrame(
        {
            "child": next_child + np.array([1, 2]),
            "date_int": pd.to_datetime([f"{y + 1}-06-01", f"{y + 1}-12-01"]),
            "date_match": pd.to_datetime([f"{y + 2}-10-20", f"{y + 2}-03-01"]),
        }
    )
    missing = pd.DataFrame(
        {
            "child": next_child + np.array([0, 0]),
            "missing": ["M", "A"],
            "start": pd.to_datetime([f"{y + 3}-05-10", f"{y + 3}-08-03"]),
            "end": pd.to_datetime([f"{y + 3}-05-11", f"{y + 3}-08-03"]),
        }
    )
    return {"episodes": episodes, "header": header, "ad1": ad1, "missing": missing, "n": 5}


def _care_leavers(rng, first_child: int, year: int, extract: date, n: int) -> pd.DataFrame:
    """OC3 records for the collection year: every activity and every accommodation code at
    least once, birthdays (17 to 21) up to the extract date."""
    activities = sorted(CODES["ACTIV"])
    accommodation = sorted(CODES["ACCOM"])
    n = max(n, len(accommodation))
    birthday = _uniform_days(rng, date(year - 1, 4, 1), min(extract, date(year, 3, 31)), n)
    age = np.r_[np.tile([17, 18, 19, 20, 21], n // 5 + 1)[:n]]
    dob = np.array(
        [
            np.datetime64(date(int(str(b)[:4]) - a, int(str(b)[5:7]), min(int(str(b)[8:10]), 28)))
            for b, a in zip(birthday, age)
        ],
        dtype="datetime64[D]",
    )
    activ = np.array([activities[i % len(activities)] for i in range(n)])
    accom = np.array([accommodation[i % len(accommodation)] for i in range(n)])
    in_touch = np.where(activ == "0", "NO", "YES")
    return pd.DataFrame(
        {
            "child": first_child + np.arange(n),
            "dob": dob.astype("datetime64[ns]"),
            "in_touch": in_touch,
            "activ": activ,
            "accom": accom,
            "year": year,
        }
    )


# -- children in need --------------------------------------------------------------------


def _working_days_on(days: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The day ``count`` working days after each day."""
    return np.busday_offset(_days(days), count, roll="forward", holidays=bank_holidays()).astype(
        "datetime64[ns]"
    )


def _in_need(rng, wanted: int, history_start: date, extract: date) -> dict:
    """About ``wanted`` random referrals and what followed them, vectorised (more are drawn,
    as those made while the child's episode was still open are dropped; then whole
    children are left out until ``wanted`` remain)."""
    n = int(wanted / 0.85) + 1
    children = max(1, int(n * 0.72))
    per_child = 1 + rng.poisson(n / children - 1, children)
    child = np.repeat(np.arange(children), per_child)
    first = np.r_[True, child[1:] != child[:-1]]
    start = _uniform_days(rng, history_start, extract, children)
    # gaps between a child's referrals: a third within the year
    gap = np.where(
        rng.random(len(child)) < 0.35,
        rng.integers(20, 365, len(child)),
        rng.integers(366, 900, len(child)),
    )
    step = np.where(first, 0, gap)
    offset = pd.Series(step).groupby(child).cumsum().to_numpy()
    referral = np.repeat(start, per_child) + offset.astype("timedelta64[D]")
    keep = referral <= _days(extract)
    child, referral = child[keep], referral[keep]
    m = len(child)
    nfa = rng.random(m) < 0.1
    length = rng.exponential(110, m).astype(int) + 1
    closure = np.where(nfa, referral, referral + length.astype("timedelta64[D]"))
    # assessments: most episodes that were not closed at once
    assessed = ~nfa & (rng.random(m) < 0.85)
    a_start = referral + rng.integers(0, 4, m).astype("timedelta64[D]")
    took = np.where(rng.random(m) < 0.8, rng.integers(8, 46, m), rng.integers(46, 80, m))
    a_done = _working_days_on(a_start, took)
    # section 47 enquiries, conferences and plans
    s47 = ~nfa & (rng.random(m) < 0.22)
    s_start = referral + rng.integers(0, 8, m).astype("timedelta64[D]")
    held = s47 & (rng.random(m) < 0.55)
    wait = np.where(rng.random(m) < 0.75, rng.integers(5, 16, m), rng.integers(16, 30, m))
    icpc = _working_days_on(s_start, wait)
    planned = held & (rng.random(m) < 0.85)
    months = rng.choice([3, 6, 9, 12, 18, 24, 30], m, p=[0.2, 0.25, 0.2, 0.15, 0.1, 0.05, 0.05])
    plan_end = (
        pd.DatetimeIndex(icpc) + pd.to_timedelta(months * 30.5 + rng.integers(0, 20, m), "D")
    ).to_numpy(dtype="datetime64[ns]")
    # the episode stays open while its plan or assessment is open
    closure = np.fmax(closure.astype("datetime64[ns]"), np.where(planned, plan_end, _NAT))
    closure = np.fmax(closure, np.where(assessed, a_done, _NAT))
    # a child's next referral comes after its episode closed: drop those that do not
    order = pd.DataFrame(
        {"child": child, "referral": referral.astype("datetime64[ns]"), "closure": closure}
    )
    previous_close = order.groupby("child")["closure"].shift().to_numpy()
    inside = ~np.isnat(previous_close) & (order["referral"].to_numpy() <= previous_close)
    inside = pd.Series(inside).groupby(child).cummax().to_numpy()
    keep = ~inside
    end = np.datetime64(extract, "ns")
    closure = np.where(closure > end, _NAT, closure)
    referrals = pd.DataFrame(
        {
            "child": child,
            "referral": referral.astype("datetime64[ns]"),
            "closure": closure,
            "nfa": nfa,
        }
    )[keep].reset_index(drop=True)
    sel = keep & assessed & (a_start.astype("datetime64[ns]") <= end)
    assessments = pd.DataFrame(
        {
            "child": child[sel],
            "start": a_start[sel].astype("datetime64[ns]"),
            "authorised": np.where(a_done[sel] > end, _NAT, a_done[sel]),
        }
    )
    sel = keep & s47 & (s_start.astype("datetime64[ns]") <= end)
    section47 = pd.DataFrame(
        {
            "child": child[sel],
            "start": s_start[sel].astype("datetime64[ns]"),
            "icpc": np.where(held[sel] & (icpc[sel] <= end), icpc[sel], _NAT),
        }
    )
    sel = keep & planned & (icpc <= end)
    plans = pd.DataFrame(
        {
            "child": child[sel],
            "start": icpc[sel],
            "end": np.where(plan_end[sel] > end, _NAT, plan_end[sel]),
            "previous": np.where(rng.random(int(sel.sum())) < 0.15, 1, 0),
        }
    )
    found = {
        "referrals": referrals,
        "assessments": assessments,
        "section47": section47,
        "plans": plans,
    }
    per = referrals["child"].value_counts().sort_index()
    shuffled = per.sample(frac=1.0, random_state=int(rng.integers(2**31)))
    kept = set(shuffled.index[shuffled.cumsum().to_numpy() <= wanted])
    return {k: f[f["child"].isin(kept)].reset_index(drop=True) for k, f in found.items()}


def _in_need_showcase(next_child: int, history_start: date) -> dict:
    """Children in need who exercise every definition: re-referrals within and beyond 12
    months, and plans of every length (a second plan, one of over two years)."""
    y = history_start.year
    referrals = pd.DataFrame(
        {
            "child": next_child + np.array([0, 0, 0, 1, 1, 2]),
            "referral": pd.to_datetime(
                [
                    f"{y + 2}-06-01",
                    f"{y + 3}-04-15",
                    f"{y + 3}-09-01",  # 10.5 months, then 4.5
                    f"{y}-05-01",
                    f"{y + 3}-05-05",  # a second plan, three years on
                    f"{y}-06-01",
                ]
            ),
            "closure": pd.to_datetime(
                [f"{y + 2}-09-01", f"{y + 3}-05-01", None, f"{y + 2}-08-01", None, None]
            ),
            "nfa": [False] * 6,
        }
    )
    plans = pd.DataFrame(
        {
            "child": next_child + np.array([1, 1, 2]),
            "start": pd.to_datetime([f"{y}-06-10", f"{y + 3}-05-20", f"{y}-07-01"]),
            "end": pd.to_datetime([f"{y + 2}-07-30", None, None]),  # 2 years 1 month; open
            "previous": [0, 1, 0],
        }
    )
    section47 = pd.DataFrame(
        {
            "child": next_child + np.array([1]),
            "start": pd.to_datetime([f"{y + 3}-05-06"]),
            "icpc": pd.to_datetime([f"{y + 3}-05-20"]),
        }
    )
    assessments = pd.DataFrame(
        {
            "child": next_child + np.array([0, 0]),
            "start": pd.to_datetime([f"{y + 3}-04-15", f"{y + 3}-09-02"]),
            "authorised": pd.to_datetime([f"{y + 3}-06-10", None]),
        }
    )
    return {
        "referrals": referrals,
        "assessments": assessments,
        "section47": section47,
        "plans": plans,
    }


def generate(
    *,
    area: str = "Dudley",
    children: int = 2100,
    referrals: int = 1000,
    care_leavers: int = 40,
    extract: date = date(2025, 9, 30),
    history_years: int = 3,
    seed: int = 2025,
) -> Synthetic:
    """A synthetic return (see the module docstring): ``children`` looked after at some
    time in the history (plus the showcase children), about ``referrals`` referrals, the
    history starting 1 April ``history_years`` before the extract's collection year."""
    rng = np.random.default_rng(seed)
    area_code = str(find_area(area)["area_code"])
    year = collection_year(extract)
    history_start = date(year - 1 - history_years, 4, 1)
    made = _looked_after(rng, children, history_start, extract, area_code)
    shown = _showcase(made["n"], history_start)
    frames = {
        k: pd.concat([made[k], shown[k]], ignore_index=True)
        for k in ("episodes", "header", "ad1", "missing")
    }
    last = int(frames["header"]["child"].max()) + 1
    oc3 = _care_leavers(rng, last, year, extract, care_leavers)
    need = _in_need(rng, referrals, history_start, extract)
    extra = _in_need_showcase(int(need["referrals"]["child"].max()) + 1, history_start)
    need = {k: pd.concat([need[k], extra[k]], ignore_index=True) for k in need}
    for frame in (*frames.values(), *need.values()):
        frame["area_code"] = area_code
    return Synthetic(
        area_code=area_code,
        extract=extract,
        history_start=history_start,
        episodes=frames["episodes"].sort_values(["child", "decom"]).reset_index(drop=True),
        header=frames["header"],
        missing=frames["missing"],
        oc3=oc3.assign(area_code=area_code),
        ad1=frames["ad1"],
        referrals=need["referrals"],
        assessments=need["assessments"],
        section47=need["section47"],
        plans=need["plans"],
    )


# -- writing -----------------------------------------------------------------------------


def _dmy(values) -> list[str]:
    days = pd.to_datetime(pd.Series(values))
    return [d.strftime("%d/%m/%Y") if not pd.isna(d) else "" for d in days]


def _iso(value) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _ident(prefix: str, child) -> list[str]:
    return [f"{prefix}{int(c):06d}" for c in child]


def _csv(table: str, frame: pd.DataFrame) -> str:
    out = frame.reindex(columns=list(TABLES[table]), fill_value="").astype(object)
    out = out.where(out.notna(), "")
    return out.to_csv(index=False, lineterminator="\n")


def _ssda903_tables(made: Synthetic) -> dict[str, str]:
    e, h = made.episodes, made.header
    dob = h.set_index("child")["dob"]
    episodes = pd.DataFrame(
        {
            "CHILD": _ident("SYN", e["child"]),
            "DECOM": _dmy(e["decom"]),
            "RNE": e["rne"],
            "LS": e["ls"],
            "CIN": e["cin"],
            "PLACE": e["place"],
            "PLACE_PROVIDER": "PR1",
            "DEC": _dmy(e["dec"]),
            "REC": e["rec"],
            "REASON_PLACE_CHANGE": np.where(e["rne"].isin(["P", "T"]), "CARPL", ""),
        }
    )
    header = pd.DataFrame(
        {
            "CHILD": _ident("SYN", h["child"]),
            "SEX": h["sex"],
            "DOB": _dmy(h["dob"]),
            "ETHNIC": "NOBT",
            "UPN": "UN1",
        }
    )
    missing = pd.DataFrame(
        {
            "CHILD": _ident("SYN", made.missing["child"]),
            "DOB": _dmy(made.missing["child"].map(dob)),
            "MISSING": made.missing["missing"],
            "MIS_START": _dmy(made.missing["start"]),
            "MIS_END": _dmy(made.missing["end"]),
        }
    )
    oc3 = pd.DataFrame(
        {
            "CHILD": _ident("SYN", made.oc3["child"]),
            "DOB": _dmy(made.oc3["dob"]),
            "IN_TOUCH": made.oc3["in_touch"],
            "ACTIV": made.oc3["activ"],
            "ACCOM": made.oc3["accom"],
        }
    )
    ad1 = pd.DataFrame(
        {
            "CHILD": _ident("SYN", made.ad1["child"]),
            "DOB": _dmy(made.ad1["child"].map(dob)),
            "DATE_INT": _dmy(made.ad1["date_int"]),
            "DATE_MATCH": _dmy(made.ad1["date_match"]),
            "FOSTER_CARE": "0",
            "NB_ADOPTR": "2",
            "SEX_ADOPTR": "MF",
            "LS_ADOPTR": "L0",
        }
    )
    return {
        "header.csv": _csv("Header", header),
        "episodes.csv": _csv("Episodes", episodes),
        "missing.csv": _csv("Missing", missing),
        "oc3.csv": _csv("OC3", oc3),
        "ad1.csv": _csv("AD1", ad1),
    }


def _cin_xml(made: Synthetic, lea: int) -> str:
    year = collection_year(made.extract)
    r, a, s, p = made.referrals, made.assessments, made.section47, made.plans
    r = r.assign(episode=np.arange(len(r)))

    def episode_of(frame: pd.DataFrame, column: str) -> np.ndarray:
        """Each record's episode: the child's latest referral on or before its first day."""
        left = frame[["child", column]].assign(at=np.arange(len(frame)))
        found = pd.merge_asof(
            left.sort_values(column),
            r[["child", "referral", "episode"]].sort_values("referral"),
            left_on=column,
            right_on="referral",
            by="child",
            direction="backward",
        ).sort_values("at")
        return found["episode"].fillna(-1).to_numpy(dtype=int)

    inner: dict[int, list[str]] = {}
    for frame, column, render in (
        (
            a,
            "start",
            lambda x: (
                "<Assessments><AssessmentActualStartDate>"
                f"{_iso(x.start)}</AssessmentActualStartDate>"
                + (
                    f"<AssessmentAuthorisationDate>{_iso(x.authorised)}</AssessmentAuthorisationDate>"
                    if not pd.isna(x.authorised)
                    else ""
                )
                + "</Assessments>"
            ),
        ),
        (
            s,
            "start",
            lambda x: (
                f"<Section47><S47ActualStartDate>{_iso(x.start)}"
                "</S47ActualStartDate>"
                + (
                    f"<DateOfInitialCPC>{_iso(x.icpc)}</DateOfInitialCPC>"
                    if not pd.isna(x.icpc)
                    else ""
                )
                + "<ICPCnotRequired>false</ICPCnotRequired></Section47>"
            ),
        ),
        (
            p,
            "start",
            lambda x: (
                f"<ChildProtectionPlans><CPPstartDate>{_iso(x.start)}"
                "</CPPstartDate>"
                + (f"<CPPendDate>{_iso(x.end)}</CPPendDate>" if not pd.isna(x.end) else "")
                + "<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG"
                f"</LatestCategoryOfAbuse><NumberOfPreviousCPP>{int(x.previous)}"
                "</NumberOfPreviousCPP></ChildProtectionPlans>"
            ),
        ),
    ):
        for at, row in zip(episode_of(frame, column), frame.itertuples(index=False)):
            if at >= 0:
                inner.setdefault(at, []).append(render(row))
    children = []
    for child, rows in r.groupby("child", sort=True):
        details = []
        for row in rows.itertuples(index=False):
            blocks = inner.get(int(row.episode), [])
            order = sorted(blocks, key=lambda b: ("<Ass" not in b, "<Sec" not in b))
            close = (
                (
                    f"<CINclosureDate>{_iso(row.closure)}</CINclosureDate>"
                    "<ReasonForClosure>RC8</ReasonForClosure>"
                )
                if not pd.isna(row.closure)
                else ""
            )
            plans = [b for b in order if b.startswith("<ChildProtection")]
            rest = [b for b in order if not b.startswith("<ChildProtection")]
            details.append(
                f"<CINdetails><CINreferralDate>{_iso(row.referral)}</CINreferralDate>"
                f"<ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>{close}"
                + "".join(rest)
                + f"<ReferralNFA>{'true' if row.nfa else 'false'}</ReferralNFA>"
                + "".join(plans)
                + "</CINdetails>"
            )
        children.append(
            f"<Child><ChildIdentifiers><LAchildID>{escape(_ident('SYNC', [child])[0])}"
            "</LAchildID><UPNunknown>UN1</UPNunknown><GenderCurrent>1</GenderCurrent>"
            "</ChildIdentifiers><ChildCharacteristics><Ethnicity>NOBT</Ethnicity>"
            "</ChildCharacteristics>" + "".join(details) + "</Child>"
        )
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Message><Header><CollectionDetails>'
        f"<Collection>CIN</Collection><Year>{year}</Year>"
        f"<ReferenceDate>{_iso(made.extract)}</ReferenceDate></CollectionDetails>"
        f"<Source><SourceLevel>L</SourceLevel><LEA>{lea}</LEA>"
        "<SoftwareCode>perf synthetic worked example</SoftwareCode><Release>1</Release>"
        "<SerialNo>001</SerialNo><DateTime>2025-10-01T09:00:00</DateTime></Source></Header>"
        "<Children>\n"
    )
    return head + "\n".join(children) + "\n</Children></Message>\n"


def _marker(made: Synthetic, area_name: str) -> str:
    return (
        f"# SYNTHETIC worked example: made-up children, not {area_name}'s data\n\n"
        "Written by `perf synth` (perf.childlevel.synthetic) with a fixed seed. No real child "
        "is in these files. Every figure perf computes from them is flagged `ex` and its "
        "source says it is synthetic. Delete this folder when the council's own returns "
        "arrive.\n\n"
        f"- SSDA903 (children looked after): an in-year extract for "
        f"{collection_year(made.extract) - 1}-{collection_year(made.extract) % 100:02d} to "
        f"{made.extract:%-d %B %Y}, the children's histories from "
        f"{made.history_start:%-d %B %Y}\n"
        "- CIN census: the same year, to the same date\n"
    )


def write(made: Synthetic, out: str | Path) -> Path:
    """Write ``made`` under ``out``: ``SYNTHETIC.md``, a folder of SSDA903 CSV tables and
    the CIN census XML, each named for the collection year and the extract date."""
    out = Path(out)
    row = find_area(made.area_code)
    year = collection_year(made.extract)
    tag = f"{year - 1}-{year % 100:02d}_to_{made.extract.isoformat()}"
    tables = out / f"ssda903_{tag}"
    tables.mkdir(parents=True, exist_ok=True)
    atomic_write(out / MARKER, _marker(made, str(row["area_name"])))
    for name, text in _ssda903_tables(made).items():
        atomic_write(tables / name, text)
    atomic_write(out / f"cin_census_{tag}.xml", _cin_xml(made, int(row["la_number"])))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """``perf synth`` / ``python -m perf.childlevel.synthetic``: write a synthetic return."""
    parser = argparse.ArgumentParser(
        prog="perf synth",
        description="Write a synthetic SSDA903 return and CIN census (made-up children, "
        "fixed seed) for a council, as an in-year extract.",
    )
    parser.add_argument("--out", required=True, help="the folder to write (created)")
    parser.add_argument("--area", default="Dudley", help="the council (name, code or number)")
    parser.add_argument("--children", type=int, default=2100, help="children looked after")
    parser.add_argument("--referrals", type=int, default=1000, help="referrals, about")
    parser.add_argument("--to", default="2025-09-30", help="the extract date (yyyy-mm-dd)")
    parser.add_argument("--years", type=int, default=3, help="years of history before it")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    made = generate(
        area=args.area,
        children=args.children,
        referrals=args.referrals,
        extract=date.fromisoformat(args.to),
        history_years=args.years,
        seed=args.seed,
    )
    path = write(made, args.out)
    print(f"wrote a synthetic return for {made.area_code} to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
