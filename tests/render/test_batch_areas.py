"""``areas: all`` means the councils that exist now (issue 14, item 5)."""

from perf.render.batch import all_local_authorities, parse_schedule


def test_all_leaves_out_abolished_councils():
    names = all_local_authorities()
    assert len(names) == 153
    assert {"Cumbria", "Northamptonshire"}.isdisjoint(names)
    assert {"Cumberland", "Westmorland and Furness", "North Northamptonshire"} <= set(names)


def test_a_schedule_for_all_renders_each_current_council_once():
    jobs = parse_schedule({"notebooks": ["briefing"], "periods": ["2024-25"], "areas": "all"},
                          validate=False)
    assert sorted(j.parameters["area"] for j in jobs) == sorted(all_local_authorities())
