"""DfE's children looked after measures on a small return written by hand: every figure
below is counted by hand in the comment beside it (2024-25 is 1 April 2024 to 31 March
2025; its second quarter ends on 30 September 2024)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from perf.childlevel import looked_after as la
from perf.periods import parse_period

YEAR, Q1, Q2, Q3 = (parse_period(p) for p in ("2024-25", "2024-25 Q1", "2024-25 Q2", "2024-25 Q3"))

# child, DECOM, DEC, RNE, LS, PLACE, REC
EPISODES = la.episodes_frame(
    [
        # 1: three placements in 2024-25: the one it was in on 1 April (U4), a new carer
        #    (P, U5), a legal status change only (L: same placement), a holiday (T2:
        #    temporary, not a placement), a new carer (P, U6)
        (1, "2023-01-10", "2024-06-01", "S", "C2", "U4", "X1"),
        (1, "2024-06-01", "2024-09-01", "P", "C2", "U5", "X1"),
        (1, "2024-09-01", "2024-12-01", "L", "C1", "U5", "X1"),
        (1, "2024-12-01", "2025-01-05", "P", "C1", "T2", "X1"),
        (1, "2025-01-05", None, "P", "C1", "U6", ""),
        # 2: starts on 1 November 2024, one placement
        (2, "2024-11-01", None, "S", "V2", "U1", ""),
        # 3: short breaks only (V3, V4): left out of everything
        (3, "2024-07-01", "2024-07-03", "S", "V3", "U1", "E13"),
        (3, "2025-03-30", None, "S", "V4", "U1", ""),
        # 4: in care 1 March 2022, placement order 1 March 2023 (L to E1), placed with new
        #    adopters 1 February 2024 (P, A5), adopted 15 October 2024 (E11)
        (4, "2022-03-01", "2023-03-01", "S", "C2", "U4", "X1"),
        (4, "2023-03-01", "2024-02-01", "L", "E1", "U4", "X1"),
        (4, "2024-02-01", "2024-10-15", "P", "E1", "A5", "E11"),
        # 5: fostered from 1 June 2023; the same carers adopt (B: same carer, placement
        #    order 1 August 2024), adopted 1 February 2025 (E12)
        (5, "2023-06-01", "2024-08-01", "S", "C2", "U4", "X1"),
        (5, "2024-08-01", "2025-02-01", "B", "E1", "A4", "E12"),
        # 6: starts twice and leaves twice in 2024-25 (counted once each way)
        (6, "2024-05-01", "2024-08-20", "S", "V2", "U4", "E13"),
        (6, "2024-12-01", "2025-02-01", "S", "V2", "U4", "E4A"),
        # 7: in care since 2021, same placement: long-term stable
        (7, "2021-06-01", None, "S", "C2", "U4", ""),
        # 8: in care since 2020, moved on 1 October 2024: not stable; 2 placements
        (8, "2020-01-01", "2024-10-01", "S", "C2", "U4", "X1"),
        (8, "2024-10-01", None, "P", "C2", "U5", ""),
        # 9: in care since 2022, placed for adoption 1 December 2024: with the placement
        #    before it, over two years
        (9, "2022-01-01", "2024-12-01", "S", "C2", "U4", "X1"),
        (9, "2024-12-01", None, "P", "E1", "A5", ""),
        # 10: aged 17, in care since 2020: not in the long-term stability cohort (under 16)
        (10, "2020-01-01", None, "S", "C2", "U4", ""),
    ]
)
HEADER = pd.DataFrame(
    {
        "child": list(range(1, 11)),
        "dob": pd.to_datetime(
            [
                "2010-01-01",
                "2011-01-01",
                "2012-01-01",
                "2021-01-01",
                "2022-01-01",
                "2009-01-01",
                "2015-01-01",
                "2012-05-01",
                "2020-02-01",
                "2008-01-01",
            ]
        ),
    }
)
MISSING = pd.DataFrame(
    {
        "child": [1, 2, 7, 3],
        "missing": ["M", "A", "M", "M"],
        "start": pd.to_datetime(["2024-07-10", "2025-01-15", "2023-05-01", "2024-07-02"]),
        "end": pd.to_datetime(["2024-07-11", "2025-01-15", "2023-05-02", "2024-07-02"]),
    }
)


def _values(result: pd.DataFrame, column: str = "value") -> list[float]:
    return [round(v, 2) for v in result[column].tolist()]


def test_children_looked_after_at_a_period_s_end():
    # 31 March 2025: 1, 2, 7, 8, 9, 10 (3 is on short breaks; 4, 5, 6 have left) = 6
    # 30 September 2024: 1, 4, 5, 7, 8, 9, 10 = 7; not 2 (starts in November), 3 (short
    #   breaks) or 6 (left on 20 August, back on 1 December)
    assert _values(la.cla_count(EPISODES, [YEAR, Q2])) == [6.0, 7.0]


def test_starts_count_each_child_once():
    # 2024-25: 2 (1 Nov) and 6 (1 May and 1 Dec: once); 3's short breaks left out = 2
    # Q1: 6 (1 May) = 1; Q3: 2 (1 Nov) and 6 (1 Dec) = 2
    assert _values(la.cla_starts(EPISODES, [YEAR, Q1, Q3])) == [2.0, 1.0, 2.0]


def test_ceasing_counts_each_child_once():
    # 2024-25: 4 (E11, 15 Oct), 5 (E12, 1 Feb), 6 (E13 20 Aug and E4A 1 Feb: once) = 3;
    # X1 endings (the care goes on) and 3's short break (E13) do not count
    assert _values(la.ceased(EPISODES, [YEAR])) == [3.0]


def test_adoptions_and_their_share_of_children_leaving():
    # adopted in 2024-25: 4 (E11) and 5 (E12) = 2, of 3 children who left = 66.67%
    assert _values(la.adopted(EPISODES, [YEAR, Q3])) == [2.0, 1.0]  # Q3: 4 (15 October)
    share = la.adopted_share(EPISODES, [YEAR])
    assert _values(share) == [66.67]
    assert _values(share, "numerator") == [2.0] and _values(share, "denominator") == [3.0]


def test_three_or_more_placements_in_the_twelve_months():
    # Looked after on 31 March 2025: 1, 2, 7, 8, 9, 10 = 6.
    # Placements from 1 April 2024: 1 has U4 (held on 1 April), U5 (P), U6 (P) = 3 (the L
    # change keeps U5, the T2 holiday is not a placement); 2: 1; 7: 1; 8: U4 then U5 = 2;
    # 9: U4 then A5 = 2; 10: 1. Three or more: child 1 = 1 of 6 = 16.67%.
    result = la.placements_3plus(EPISODES, [YEAR])
    assert _values(result) == [16.67]
    assert _values(result, "numerator") == [1.0] and _values(result, "denominator") == [6.0]


def test_long_term_stability():
    # On 31 March 2025, looked after continuously since 30 September 2022 or before and
    # under 16: 7 (since 2021, aged 10), 8 (since 2020, aged 12), 9 (since 2022-01, aged
    # 5); 10 is 17. Same placement for 2 years (since 31 March 2023): 7 yes; 8 no (moved
    # October 2024); 9 placed for adoption in December 2024, but with the placement before
    # it (from January 2022) over two years: yes. 2 of 3 = 66.67%.
    result = la.long_term_stability(EPISODES, HEADER, [YEAR])
    assert _values(result) == [66.67]
    assert _values(result, "numerator") == [2.0] and _values(result, "denominator") == [3.0]


def test_long_term_stability_needs_every_date_of_birth():
    without_8 = HEADER[HEADER["child"] != 8]
    assert np.isnan(la.long_term_stability(EPISODES, without_8, [YEAR])["value"].iloc[0])


def test_children_who_went_missing_or_were_away():
    # Looked after at any time in 2024-25 (not on short breaks): 1, 2, 4, 5, 6, 7, 8, 9, 10
    # = 9. Missing in the year: 1 (10 July) = 1 of 9 = 11.11% (7 went missing in 2023; 3's
    # incident was during a short break). Away without authorisation: 2 = 11.11%.
    missing = la.children_missing(EPISODES, MISSING, [YEAR])
    assert _values(missing) == [11.11]
    assert _values(missing, "denominator") == [9.0]
    assert _values(la.children_away(EPISODES, MISSING, [YEAR])) == [11.11]
    # Q2 (July to September): looked after then: 1, 4, 5, 6, 7, 8, 9, 10 = 8; missing: 1
    assert _values(la.children_missing(EPISODES, MISSING, [Q2])) == [12.5]


OC3 = pd.DataFrame(
    {
        "child": [11, 12, 13, 14, 15],
        # each birthday in the 2025 return's year (April 2024 to March 2025):
        # 11: 17 on 10 May 2024; 12: 19 on 20 February 2025; 13: 20 on 1 September 2024;
        # 14: 18 on 25 December 2024; 15: 21 on 30 June 2024
        "dob": pd.to_datetime(
            ["2007-05-10", "2006-02-20", "2004-09-01", "2006-12-25", "2003-06-30"]
        ),
        "in_touch": ["YES", "YES", "YES", "NO", "YES"],
        "activ": ["F2", "G4", "P4", "0", "F1"],
        "accom": ["C1", "V2", "0", "B1", "K1"],
        "year": [2025] * 5,
    }
)


def test_care_leavers_in_education_employment_or_training():
    # 17-18: 11 (F2: in education) and 14 (0: not known) -> 1 of 2 = 50%
    # 19-21: 12 (G4: not), 13 (P4: part-time work or training), 15 (F1: higher education)
    #        -> 2 of 3 = 66.67%
    # Q1 (April-June 2024): 17-18: 11 (May) 1 of 1; 19-21: 15 (30 June) 1 of 1
    assert _values(la.care_leavers_eet(OC3, [YEAR, Q1], (17, 18))) == [50.0, 100.0]
    assert _values(la.care_leavers_eet(OC3, [YEAR, Q1], (19, 20, 21))) == [66.67, 100.0]


def test_care_leavers_in_suitable_accommodation():
    # the digit carries the judgement: 1 suitable, 2 not, 0 no information
    # 17-18: 11 (C1), 14 (B1) -> 2 of 2 = 100%; 19-21: 12 (V2), 13 (0), 15 (K1) -> 1 of 3
    assert _values(la.care_leavers_suitable(OC3, [YEAR], (17, 18))) == [100.0]
    result = la.care_leavers_suitable(OC3, [YEAR], (19, 20, 21))
    assert _values(result) == [33.33]
    assert _values(result, "denominator") == [3.0]


AD1 = pd.DataFrame(
    {
        "child": [4, 5],
        "date_int": pd.to_datetime(["2022-12-01", "2024-06-01"]),
        "date_match": pd.to_datetime(["2024-01-10", "2024-09-01"]),
    }
)


def test_adoption_timeliness_from_care_to_moving_in():
    # 4: care from 1 March 2022, moved in with its adopters 1 February 2024:
    #    365 (to 1 March 2023) + 337 (March 2023 to January 2024: 31+30+31+30+31+31+30+31
    #    +30+31+31) = 702 days.
    # 5: adopted by its foster carers (B: same carer): moved in when fostered, the day it
    #    came into care, 1 June 2023: 0 days. Average (702 + 0) / 2 = 351.
    result = la.adoption_care_to_placed(EPISODES, [YEAR])
    assert _values(result) == [351.0]
    assert _values(result, "numerator") == [702.0] and _values(result, "denominator") == [2.0]


def test_adoption_timeliness_from_authority_to_match():
    # 4: placement order (E1) 1 March 2023, matched 10 January 2024: 306 (to 1 January)
    #    + 9 = 315 days. 5: placement order 1 August 2024, matched 1 September: 31 days.
    #    Average (315 + 31) / 2 = 173.
    assert _values(la.adoption_authority_to_match(EPISODES, AD1, [YEAR])) == [173.0]


@pytest.mark.parametrize("short_break", ["V3", "V4"])
def test_a_child_on_short_breaks_is_never_counted(short_break):
    alone = la.episodes_frame([(1, "2024-05-01", None, "S", short_break, "U1", "")])
    assert _values(la.cla_count(alone, [YEAR])) == [0.0]
    assert _values(la.cla_starts(alone, [YEAR])) == [0.0]
