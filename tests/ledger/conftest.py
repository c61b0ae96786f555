from __future__ import annotations

import pytest


@pytest.fixture
def scored_objects(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The stored objects the ledger scores a commitment against, in order, recorded as it
    scores them: how a test sees that the index spared it the rest of a large group."""
    import pohang_watch.ledger

    scored: list[str] = []
    score = pohang_watch.ledger.commitment_score

    def counted(left: str, left_year: int | None, right: str, right_year: int | None) -> float:
        scored.append(right)
        return score(left, left_year, right, right_year)

    monkeypatch.setattr(pohang_watch.ledger, "commitment_score", counted)
    return scored
