"""Fixtures for the render tests: the tiny fixture notebook, and the real briefing rendered
once per test process in the shared warm kernel (``renderer``, tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from perf.render.index import write_index
from perf.render.registry import validate_parameters

#: A notebook that runs in a fraction of a second (and fails, or sleeps, when asked to).
TINY = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks" / "tiny.ipynb"
EPOCH = "1750000000"  # 15 June 2025 15:06:40 UTC
DUDLEY = {"area": "Dudley", "period": "2024-25"}


@pytest.fixture(scope="session")
def briefing_run(renderer, tmp_path_factory):
    """The real default briefing, rendered once at ``SOURCE_DATE_EPOCH`` :data:`EPOCH` with its
    outputs index, for every test of its files and HTML: ``(outputs root, RunResult)``."""
    out = tmp_path_factory.mktemp("outputs")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = renderer.run("briefing", validate_parameters("briefing", DUDLEY), out=out)
    assert result.status == "ok", result.error
    write_index(out)
    return out, result


@pytest.fixture
def briefing_html(briefing_run) -> str:
    return Path(briefing_run[1].html).read_text(encoding="utf-8")
