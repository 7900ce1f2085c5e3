"""Revisions: a published figure that changed is marked, with old and new values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from perf import config
from perf.disclosure import is_suppressed, suppress
from perf.errors import (
    EmptyFileError,
    FileFormatError,
    MissingColumnError,
    ParameterError,
)
from perf.revisions import (
    FROZEN_COLUMNS,
    freeze,
    frozen_path,
    load_frozen,
    mark_revisions,
    revision_footnotes,
)

STR = pd.StringDtype(na_value=np.nan)


def obs(rows):
    """rows: (indicator, area_code, area_name, period, value, flag)."""
    out = pd.DataFrame(
        rows, columns=["indicator", "area_code", "area_name", "period", "value", "flag"]
    )
    out["value"] = out["value"].astype(float)
    out["flag"] = out["flag"].astype(STR)
    return out


def ees_release_2025() -> pd.DataFrame:
    """Children looked after on 31 March (count and rate), every area and year, exactly as
    the real 2025 EES release gives them (suppression symbols kept as flags)."""
    raw = pd.read_csv(
        config.RAW_DIR / "dfe" / "cla_number_and_rate_per_10k_children.csv",
        dtype=str,
        encoding="utf-8-sig",
    )
    raw = raw[raw["population_type"].str.startswith("Children looked after on 31 March")]
    level = raw["geographic_level"]
    code = np.where(
        level == "Local authority",
        raw["new_la_code"],
        np.where(level == "Regional", raw["region_code"], raw["country_code"]),
    )
    name = np.where(
        level == "Local authority",
        raw["la_name"],
        np.where(level == "Regional", raw["region_name"], raw["country_name"]),
    )
    frames = []
    for indicator, column in [("cla_count", "children_count"), ("cla_rate", "rate_per_10000")]:
        number = pd.to_numeric(raw[column], errors="coerce")
        frames.append(
            pd.DataFrame(
                {
                    "indicator": indicator,
                    "area_code": code,
                    "area_name": name,
                    "period": "31 March " + raw["time_period"],
                    "value": number.astype(float),
                    "flag": raw[column].where(number.isna()).astype(STR),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


# --- the real DfE revision -----------------------------------------------------------


def test_dfe_revised_england_2023_count_is_marked(tmp_path):
    current = ees_release_2025()
    england_2023 = (
        (current["indicator"] == "cla_count")
        & (current["area_code"] == "E92000001")
        & (current["period"] == "31 March 2023")
    )
    assert current.loc[england_2023, "value"].tolist() == [83750.0]  # SOURCE.md spot check
    # What the 2022-23 briefing published: the first-published figure, 83,840.
    first_published = current[current["period"] == "31 March 2023"].copy()
    first_published.loc[england_2023, "value"] = 83840.0
    record = freeze(
        first_published,
        frozen_path(tmp_path / "england_2022-23.html"),
        briefing="2022-23 (DfE 2023 release)",
    )

    marked = mark_revisions(current, load_frozen(record))
    revised = marked[marked["revised"]]
    assert revised[["indicator", "area_code", "period"]].values.tolist() == [
        ["cla_count", "E92000001", "31 March 2023"]
    ]
    row = revised.iloc[0]
    assert (row["previous_value"], row["value"], row["flag"]) == (83840.0, 83750.0, "r")
    dudley = marked[
        (marked["area_code"] == "E08000027")
        & (marked["indicator"] == "cla_count")
        & (marked["period"] == "31 March 2023")
    ]
    assert dudley["value"].tolist() == [588.0] and not dudley["revised"].any()
    # Other years were not in that briefing: new, not revised.
    assert not marked.loc[marked["period"] != "31 March 2023", "revised"].any()
    assert revision_footnotes(marked, names={"cla_count": "children looked after"}) == [
        (
            "England 31 March 2023 children looked after revised from 83,840 to 83,750 since the "
            "briefing of 2022-23 (DfE 2023 release)."
        )
    ]


def test_dfe_city_of_london_published_then_suppressed(tmp_path):
    # City of London: 7 published at 31 March 2024 (2024 briefing); suppose the next
    # release withholds it. The footnote says so without a number, the flag stays c.
    current = ees_release_2025()
    current = current[current["period"] == "31 March 2024"].reset_index(drop=True)
    record = freeze(current, tmp_path / "r.frozen.csv", briefing="2023-24")
    city = (current["area_code"] == "E09000001") & (current["indicator"] == "cla_count")
    revised_release = current.copy()
    revised_release.loc[city, ["value", "flag"]] = [np.nan, "c"]
    marked = mark_revisions(revised_release, load_frozen(record))
    assert marked["revised"].sum() == 1
    assert is_suppressed(marked).sum() == 1 and marked.loc[city, "flag"].tolist() == ["c"]
    assert revision_footnotes(marked, names={"cla_count": "children looked after"}) == [
        (
            "City of London 31 March 2024 children looked after revised from 7 to [c] since the "
            "briefing of 2023-24."
        )
    ]


# --- freezing ------------------------------------------------------------------------


def test_freeze_is_deterministic_sorted_and_exact(tmp_path):
    f = obs(
        [
            ("PriTotAbs", "E08000027", "Dudley", "2015/16", 4.0599999999999996, None),
            ("LAC", "E08000027", "Dudley", "31 March 2023", 85.0, None),
            ("LAC", "E09000001", "City of London", "31 March 2023", np.nan, "c"),
        ]
    )
    f["status"] = ["green", "red", None]
    a = freeze(f, tmp_path / "a.frozen.csv", briefing="Q1")
    b = freeze(f.iloc[::-1], tmp_path / "b.frozen.csv", briefing="Q1")
    assert a.read_bytes() == b.read_bytes()
    text = a.read_text()
    assert "\r" not in text
    lines = text.splitlines()
    assert lines[0] == ",".join(FROZEN_COLUMNS)
    assert [line.split(",")[0] for line in lines[1:]] == ["LAC", "LAC", "PriTotAbs"]
    back = load_frozen(a)
    assert back["value"].iloc[2] == 4.0599999999999996  # the exact float, read back
    assert back["status"].iloc[0] == "red" and back["status"].iloc[2] == "green"
    assert pd.isna(back["status"].iloc[1])
    assert back["mode"].eq("public").all() and back["briefing"].eq("Q1").all()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.frozen.csv", "b.frozen.csv"]


def test_freeze_refuses_duplicates_and_missing_columns(tmp_path):
    f = obs([("LAC", "A", "A", "2024", 1.0, None)] * 2)
    with pytest.raises(ParameterError, match="same indicator"):
        freeze(f, tmp_path / "x.frozen.csv")
    with pytest.raises(MissingColumnError):
        freeze(f.drop(columns="value"), tmp_path / "x.frozen.csv")
    assert not (tmp_path / "x.frozen.csv").exists()


def test_freeze_default_briefing_name(tmp_path):
    f = obs([("LAC", "A", "A", "2024", 1.0, None)])
    path = freeze(f, frozen_path(tmp_path / "dudley_2024-25.html"))
    assert load_frozen(path)["briefing"].tolist() == ["dudley_2024-25"]


def test_load_frozen_errors_name_the_file(tmp_path):
    with pytest.raises(FileFormatError, match="nope.frozen.csv"):
        load_frozen(tmp_path / "nope.frozen.csv")
    empty = tmp_path / "empty.frozen.csv"
    empty.write_text("")
    with pytest.raises(EmptyFileError, match="empty.frozen.csv"):
        load_frozen(empty)
    partial = tmp_path / "partial.frozen.csv"
    partial.write_text("indicator,area_code,period,value\nLAC,A,2024,1\n")
    with pytest.raises(MissingColumnError, match="partial.frozen.csv"):
        load_frozen(partial)
    bad = tmp_path / "bad.frozen.csv"
    bad.write_text(",".join(FROZEN_COLUMNS) + "\nLAC,A,A,2024,1O,,,Q1,public\n")
    with pytest.raises(FileFormatError, match=r"bad.frozen.csv, row 2, column 'value'"):
        load_frozen(bad)


# --- marking -------------------------------------------------------------------------


def published(tmp_path, frame, **kwargs):
    return load_frozen(freeze(frame, tmp_path / "prev.frozen.csv", briefing="Q1", **kwargs))


def test_unchanged_and_new_figures_are_not_revised(tmp_path):
    before = obs([("LAC", "A", "A", "2023", 70.0, "p")])
    now = obs([("LAC", "A", "A", "2023", 70.0, "p"), ("LAC", "A", "A", "2024", 71.0, None)])
    marked = mark_revisions(now, published(tmp_path, before))
    assert marked["revised"].tolist() == [False, False]
    assert marked["flag"].tolist()[0] == "p" and marked["previous_value"].isna().all()


def test_changed_value_marked_and_input_untouched(tmp_path):
    before = obs([("LAC", "A", "Dudley", "2023", 85.0, "p")])
    now = obs([("LAC", "A", "Dudley", "2023", 86.0, None)])
    copy = now.copy(deep=True)
    marked = mark_revisions(now, published(tmp_path, before))
    assert_frame_equal(now, copy)
    assert marked["revised"].tolist() == [True]
    assert marked["flag"].tolist() == ["r"]
    assert marked["previous_value"].tolist() == [85.0]
    assert marked["revised_since"].tolist() == ["Q1"]
    cat = pd.DataFrame({"indicator": ["LAC"], "title": ["looked-after rate"], "decimals": [1]})
    assert revision_footnotes(marked, catalogue=cat) == [
        "Dudley 2023 looked-after rate revised from 85.0 to 86.0 since the briefing of Q1."
    ]


def test_symbol_changes_are_revisions(tmp_path):
    before = obs(
        [
            ("N", "A", "A", "2023", np.nan, "c"),
            ("N", "B", "B", "2023", 12.0, None),
            ("N", "C", "C", "2023", np.nan, "x"),
        ]
    )
    now = obs(
        [
            ("N", "A", "A", "2023", 7.0, None),
            ("N", "B", "B", "2023", np.nan, "x"),
            ("N", "C", "C", "2023", np.nan, "x"),
        ]
    )
    marked = mark_revisions(now, published(tmp_path, before))
    assert marked["revised"].tolist() == [True, True, False]
    assert marked["flag"].tolist() == ["r", "x", "x"]
    assert revision_footnotes(marked) == [
        "A 2023 N revised from [c] to 7 since the briefing of Q1.",
        "B 2023 N revised from 12 to [x] since the briefing of Q1.",
    ]


def test_revision_compared_as_the_reader_saw_it(tmp_path):
    before = obs([("LAC", "A", "A", "2023", 70.04, None)])
    now = obs([("LAC", "A", "A", "2023", 69.96, None)])
    cat = pd.DataFrame({"indicator": ["LAC"], "decimals": [0]})
    assert not mark_revisions(now, published(tmp_path, before), catalogue=cat)["revised"].any()
    assert mark_revisions(now, published(tmp_path, before))["revised"].all()
    # float artefacts are not revisions
    artefact = obs([("LAC", "A", "A", "2023", 0.1 + 0.2, None)])
    same = obs([("LAC", "A", "A", "2023", 0.3, None)])
    assert not mark_revisions(same, published(tmp_path, artefact))["revised"].any()


def test_public_briefing_refuses_internal_record(tmp_path):
    # An internal record holds unsuppressed small counts: a public footnote quoting the old
    # figure ("revised from 3 to [c]") would publish one.
    before = obs([("N", "A", "A", "2023", 3.0, None)])
    now = obs([("N", "A", "A", "2023", np.nan, "c")])
    record = published(tmp_path, before, public=False)
    with pytest.raises(ParameterError, match="internal"):
        mark_revisions(now, record)
    assert mark_revisions(now, record, public=False)["revised"].all()


def test_suppress_then_mark_keeps_suppression(tmp_path):
    cat = pd.DataFrame({"indicator": ["N"], "unit": ["count"]})
    before = suppress(obs([("N", "A", "A", "2023", 9.0, None)]), catalogue=cat, groups=None)
    now = suppress(obs([("N", "A", "A", "2023", 4.0, None)]), catalogue=cat, groups=None)
    marked = mark_revisions(now, published(tmp_path, before))
    assert is_suppressed(marked).tolist() == [True]
    assert revision_footnotes(marked) == [
        "A 2023 N revised from 9 to [c] since the briefing of Q1."
    ]


def test_footnotes_need_marked_frame():
    with pytest.raises(ParameterError, match="mark_revisions"):
        revision_footnotes(obs([("N", "A", "A", "2023", 1.0, None)]))


# --- end to end: a rendered briefing marks what changed since the last one ----------------


@pytest.fixture(scope="module")
def renderer():
    from perf.render.runner import Renderer

    with Renderer() as r:
        yield r


def test_rendered_briefing_marks_revisions_against_the_last_briefing(
    renderer, tmp_path, monkeypatch
):
    """Real DfE data: the 2023-24 briefing is frozen beside its HTML; DfE's revision of a
    figure it showed (simulated by editing the record to the first-published value) is
    marked [r] in the 2024-25 briefing with both values in a footnote."""
    import re
    from pathlib import Path

    from perf.render.freeze import previous_record, run_and_freeze
    from perf.render.registry import validate_parameters

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    params = {"area": "Dudley", "period": "2024-25"}
    # No earlier record: no comparison, no [r].
    first = run_and_freeze(
        renderer, "briefing", validate_parameters("briefing", params), out=tmp_path
    )
    assert first.status == "ok", first.error
    html = Path(first.html).read_text(encoding="utf-8")
    assert re.search(r"\d \[r\]", html) is None and "Revisions since" not in html
    assert frozen_path(first.html).is_file()

    earlier = run_and_freeze(
        renderer,
        "briefing",
        validate_parameters("briefing", {"area": "Dudley", "period": "2023-24"}),
        out=tmp_path,
    )
    assert earlier.status == "ok", earlier.error
    record = frozen_path(earlier.html)
    frozen = record.read_text(encoding="utf-8")
    assert "cla_rate,E08000027,Dudley,31 March 2024,82.0,,improving,2023-24,public" in frozen
    assert previous_record(tmp_path, "briefing", validate_parameters("briefing", params)) == record
    # As if the 2023-24 briefing had shown 83 before DfE revised Dudley's rate to 82.
    record.write_text(
        frozen.replace("Dudley,31 March 2024,82.0,", "Dudley,31 March 2024,83.0,"), encoding="utf-8"
    )

    runs = [
        run_and_freeze(renderer, "briefing", validate_parameters("briefing", params), out=tmp_path)
        for _ in range(2)
    ]
    assert all(r.status == "ok" for r in runs), [r.error for r in runs]
    html = Path(runs[0].html).read_text(encoding="utf-8")
    assert re.search(r"82 \[r\] \(at 31 March 2024\)", html), "revised figure not marked"
    note = (
        "Dudley 31 March 2024 Children looked after on 31 March per 10,000 children revised "
        "from 83 to 82 since the briefing of 2023-24."
    )
    assert html.count(note) == 2  # the summary's notice and the appendix
    assert "Revisions since the last briefing" in html
    # nothing else changed: only that figure is marked, wherever it is shown (the headline
    # table; the performance matrix's changes and last three figures)
    assert set(re.findall(r"\d+ \[r\]", html)) == {"82 [r]"}
    # wherever the 31 March 2024 figure is shown (the themes' tables, the matrix's changes and
    # last three figures) it is marked: not once is it shown unmarked
    assert len(re.findall(r"\d+ \[r\]", html)) >= 3
    assert not re.search(r"\b82 \(at 31 March 2024\)", html)
    # Byte-reproducible: the same record and SOURCE_DATE_EPOCH give the same page.
    assert Path(runs[1].html).read_bytes() == Path(runs[0].html).read_bytes()


def _record(out, period, area="Dudley", mode="public"):
    from perf.fileio import slug

    folder = out / slug(period) / slug(area)
    folder.mkdir(parents=True)
    path = folder / "briefing.frozen.csv"
    path.write_text(
        f"indicator,area_code,area_name,period,value,flag,status,briefing,mode\n"
        f"cla_rate,E08000027,{area},31 March 2024,82.0,,,{period},{mode}\n",
        encoding="utf-8",
    )
    return path


def test_previous_record_is_the_same_area_and_cycle(tmp_path):
    """Regression: the 2024-25 briefing was compared with 2012-13 Q1's record."""
    from perf.render.freeze import previous_record

    q1 = _record(tmp_path, "2012-13 Q1")
    assert previous_record(tmp_path, "briefing", {"area": "Dudley", "period": "2024-25"}) is None
    year = _record(tmp_path, "2023-24")
    _record(tmp_path, "2023-24 Q4")  # later than 2023-24's start, but another cycle
    _record(tmp_path, "2023-24", area="Leeds")
    assert previous_record(tmp_path, "briefing", {"area": "Dudley", "period": "2024-25"}) == year
    assert previous_record(tmp_path, "briefing", {"area": "Dudley", "period": "2012-13 Q2"}) == q1
    assert previous_record(tmp_path, "briefing", {"area": "Dudley", "period": "2012-13 Q1"}) is None


def test_a_frozen_record_keeps_formula_like_text_as_text_and_reads_it_back(tmp_path):
    # issue 27 item 6: the record is a CSV perf writes (and a person may open)
    f = obs([("=HYPERLINK(1)", "E08000027", "Dudley", "2024-25", 3.0, None)])
    path = freeze(f, tmp_path / "a.frozen.csv", briefing="Q1")
    assert "\n'=HYPERLINK(1)," in path.read_text()
    assert load_frozen(path)["indicator"].tolist() == ["=HYPERLINK(1)"]
