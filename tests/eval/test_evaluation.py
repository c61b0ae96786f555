"""The matching rule of the evaluation, on hand-made predictions."""

from __future__ import annotations

import json
from pathlib import Path

from pohang_watch.config import Settings
from pohang_watch.evaluation import (
    evidence_matches,
    load_labelled_set,
    phrase_matches,
    render_evaluation,
    score_articles,
)
from pohang_watch.models import Article, Commitment, ExtractedArticle, Partnership, Relevance

LIST = "The city plans projects, including: ▲opening a test center; and ▲creating a fund."


def settings() -> Settings:
    return Settings.model_validate({"extract": {"aliases": {"University College London": ["UCL"]}}})


def write_case(folder: Path, labels: dict[str, object]) -> Path:
    page = folder / "01-2025031109452318842.txt"
    page.write_text("Pohang News\n\nBody.\n", encoding="utf-8")
    (folder / "01-2025031109452318842.labels.json").write_text(json.dumps(labels))
    return folder


def predicted(*items: Commitment | Partnership, about: bool = True) -> ExtractedArticle:
    article = Article(None, None, "t", (), None, None, ("p",), (), "h")
    return ExtractedArticle("s", article, Relevance(0.9 if about else 0.1, about), items)


def commitment(what: str, evidence: str = LIST, actor: str = "Pohang City") -> Commitment:
    return Commitment(actor, what, None, None, "other", "planned", evidence)


def test_evidence_ignores_case_quotes_and_lost_dashes() -> None:
    assert evidence_matches("“Sectors?batteries will grow.”", "sectors — batteries will grow")
    assert not evidence_matches("The city plans a fund.", "The council passed a law.")


def test_phrase_matches_by_word_stems() -> None:
    assert phrase_matches("establish an open innovation center", "establishment of the center")
    assert not phrase_matches("open a test center", "creating a fund")


def test_list_items_are_told_apart_by_their_key_phrase(tmp_path: Path) -> None:
    labels = {
        "about_pohang": True,
        "commitments": [
            {"actor": "Pohang City", "what": "test center", "status": "planned", "evidence": LIST},
            {"actor": "Pohang City", "what": "fund", "status": "planned", "evidence": LIST},
        ],
    }
    gold = load_labelled_set(write_case(tmp_path, labels))
    result = score_articles(gold, [predicted(commitment("open a test center"))], settings())
    score = result.commitments.score
    assert (score.tp, score.fp, score.fn) == (1, 0, 1)


def test_partnerships_match_on_outside_parties_after_aliasing(tmp_path: Path) -> None:
    evidence = "Pohang City and UCL signed an MOU."
    labels = {
        "about_pohang": True,
        "partnerships": [
            {
                "parties": ["Pohang City", "UCL"],
                "what": "MOU",
                "status": "signed",
                "evidence": evidence,
            },
        ],
    }
    gold = load_labelled_set(write_case(tmp_path, labels))
    found = Partnership(
        ("POSTECH", "University College London"), "mou", "agreed", "MOU", "other", evidence
    )
    result = score_articles(gold, [predicted(found)], settings())
    assert result.partnerships.score.f1 == 1.0
    assert result.partnerships.attributes.status_accuracy == 0.0


def test_items_of_an_article_relevance_dropped_are_not_errors(tmp_path: Path) -> None:
    gold = load_labelled_set(write_case(tmp_path, {"about_pohang": False}))
    result = score_articles(gold, [predicted(commitment("x y z"), about=False)], settings())
    assert result.commitments.score.fp == 0
    assert result.relevance.fp == 0
    assert "relevance" in render_evaluation(result)
