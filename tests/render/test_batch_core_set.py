"""Every council in England has a full briefing from published data alone (issue 24): `perf
batch` renders the 2024-25 briefing of a sample of ten councils of every kind (a county, a
metropolitan borough, London, a unitary, the smallest councils, new ones), each with the
children's services core set, and the manifest lists every one as rendered."""

from __future__ import annotations

import html
import re

import pytest

from perf.render.batch import all_local_authorities, parse_schedule, run_batch

#: Ten councils: Dudley (the default), Rutland (no plan of its own), the City of London and
#: the Isles of Scilly (too small for NEET figures), two councils created since 2021
#: (Cumberland; North Northamptonshire), a county, a London borough, a big city, a unitary.
SAMPLE = [
    "Dudley",
    "Rutland",
    "City of London",
    "Isles of Scilly",
    "Cumberland",
    "North Northamptonshire",
    "Kent",
    "Hackney",
    "Birmingham",
    "Hartlepool",
]

#: Words every core-set briefing shows: its themes, the Ofsted inspection, the periods in
#: words.
EVERY_BRIEFING = [
    "Children's services core set",
    "Special educational needs and disabilities",
    "Social work workforce",
    "Help and protection",
    "Care leavers",
    "at 31 March 2025",
    "year to 31 March 2025",
    "at 30 September 2024",
]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    out = tmp_path_factory.mktemp("batch")
    jobs = parse_schedule({"notebooks": ["briefing"], "periods": ["2024-25"], "areas": SAMPLE})
    return out, run_batch(jobs, out=out, workers=2, progress=False)


def test_the_sample_is_of_current_councils():
    assert set(SAMPLE) <= set(all_local_authorities())


def test_every_council_in_the_sample_is_rendered(batch):
    out, results = batch
    assert [r["status"] for r in results] == ["ok"] * len(SAMPLE), [
        (r["area"], r.get("error")) for r in results if r["status"] != "ok"
    ]


@pytest.mark.parametrize("area", SAMPLE)
def test_each_briefing_shows_the_core_set_and_no_made_up_figure(batch, area):
    out, _ = batch
    page = (out / "2024-25" / area.replace(" ", "_") / "briefing.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    for words in EVERY_BRIEFING:
        assert words in text, (area, words)
    assert "[ex]" not in re.sub(r"\[ex\]\s+Illustrative example figure", "", text), area
    assert "Last Ofsted inspection of children's services" in text, area
