"""The near-duplicate benchmark runs at tiny sizes and produces every figure; its planted
near-duplicates are found and nothing else is linked. No timing is asserted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.neardup import (
    Bodies,
    NearDupResult,
    as_dict,
    goals,
    main,
    measure_neardup,
    neardup_figures,
    render_text,
)
from pohang_watch.neardup import jaccard, shingles

SIZES = (200, 2000)


@pytest.fixture(scope="module")
def result() -> NearDupResult:
    return measure_neardup(SIZES, batch=60, rounds=2, seed=3)


def test_every_size_has_its_figures(result: NearDupResult) -> None:
    assert [size.stored for size in result.sizes] == list(SIZES)
    for size in result.sizes:
        assert 0 < size.best_ms_per_doc <= size.ms_per_doc
        assert len(size.rounds_ms_per_doc) == 2
        assert size.index_bytes_per_doc is None or 200 < size.index_bytes_per_doc < 20_000
        assert 200 < size.pages_bytes_per_doc < 20_000
        assert size.peak_python_kb > 0
        assert size.candidates_per_doc >= 0
    assert result.ratio is not None
    assert result.ratio > 0
    assert result.best_ratio is not None
    assert [goal["met"] is not None for goal in goals(result)] == [True, True]


def test_planted_near_duplicates_are_found_and_unrelated_documents_are_not(
    result: NearDupResult,
) -> None:
    for size in result.sizes:
        assert size.planted == 6  # one in ten of 60
        assert size.found == size.planted
        assert size.false_links == 0
        # Unrelated bodies share almost no shingles: few or no candidates beyond the planted.
        assert size.candidates_per_doc < 0.5


def test_generated_bodies_are_deterministic_and_near_duplicates_alike() -> None:
    bodies, again = Bodies(3), Bodies(3)
    assert bodies.body(5) == again.body(5) != bodies.body(6)
    original, edited = shingles(bodies.body(5)), shingles(bodies.near_duplicate(5))
    assert original != edited
    assert 0.8 <= jaccard(original, edited) < 1
    assert jaccard(original, shingles(bodies.body(6))) < 0.1


def test_reports_as_text_json_and_figures(result: NearDupResult) -> None:
    text = render_text(result)
    assert "2,000" in text
    assert "near-dup index" in text
    data = json.loads(json.dumps(as_dict(result)))
    assert [size["stored"] for size in data["sizes"]] == list(SIZES)
    assert data["ratio"] == result.ratio
    figures = neardup_figures(result)
    assert [f.name for f in figures] == [
        "near-duplicate check, 200 stored",
        "near-duplicate check, 2,000 stored",
    ]
    assert all(f.ms_per_page for f in figures)


def test_the_command_prints_one_json_object(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--sizes", "50", "120", "--batch", "20", "--rounds", "1", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert [size["stored"] for size in data["sizes"]] == [50, 120]
    assert len(data["goals"]) == 2
    main(["--sizes", "50", "--batch", "10", "--rounds", "1", "--folder", str(tmp_path)])
    assert (tmp_path / "neardup-50.db").exists()
    assert "50" in capsys.readouterr().out
    with pytest.raises(FileExistsError):
        measure_neardup([50], batch=10, rounds=1, folder=tmp_path)
