"""Acceptance on the two real articles in ../shared/seeds (read at run time, never copied)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pohang_watch.config import ExtractSettings, RelevanceSettings
from pohang_watch.extract import extract_items
from pohang_watch.models import Article, Commitment, Item, Partnership
from pohang_watch.relevance import score_relevance

BATTERY = "000_"
UCL = "004_"
SeedArticle = Callable[[str], Article]


def commitments(items: tuple[Item, ...]) -> list[Commitment]:
    return [item for item in items if isinstance(item, Commitment)]


def partnerships(items: tuple[Item, ...]) -> list[Partnership]:
    return [item for item in items if isinstance(item, Partnership)]


@pytest.fixture
def battery(seed_article: SeedArticle, extract_settings: ExtractSettings) -> tuple[Item, ...]:
    return extract_items(seed_article(BATTERY), extract_settings)


@pytest.fixture
def ucl(seed_article: SeedArticle, extract_settings: ExtractSettings) -> tuple[Item, ...]:
    return extract_items(seed_article(UCL), extract_settings)


@pytest.mark.parametrize("prefix", [BATTERY, UCL])
def test_both_seeds_are_about_pohang(seed_article: SeedArticle, prefix: str) -> None:
    assert score_relevance(seed_article(prefix), RelevanceSettings()).about_pohang


def test_battery_mega_cluster_targets_2030(battery: tuple[Item, ...]) -> None:
    cluster = [c for c in commitments(battery) if "mega cluster" in c.what]
    assert [(c.actor, c.target_year, c.status, c.sector) for c in cluster] == [
        ("Pohang City", 2030, "planned", "battery")
    ]


def test_battery_open_innovation_center_is_its_own_item(battery: tuple[Item, ...]) -> None:
    center = [c for c in commitments(battery) if "open innovation center" in c.what]
    assert len(center) == 1
    assert "mega cluster" not in center[0].what
    assert center[0].what.startswith("establish")


def test_battery_joint_research_with_postech(battery: tuple[Item, ...]) -> None:
    found = [p for p in partnerships(battery) if "POSTECH" in p.parties]
    assert [(p.parties, p.partnership_kind) for p in found] == [
        (("Pohang City", "POSTECH"), "joint_research")
    ]


def test_battery_past_ecopro_investment_is_no_commitment(battery: tuple[Item, ...]) -> None:
    assert not any("EcoPro" in item.evidence for item in commitments(battery))


def test_both_seeds_state_the_same_poex_commitment(
    battery: tuple[Item, ...], ucl: tuple[Item, ...]
) -> None:
    def poex(items: tuple[Item, ...]) -> list[tuple[str, str, int | None, str]]:
        return [
            (c.actor, c.what, c.target_year, c.status)
            for c in commitments(items)
            if "POEX" in c.what
        ]

    assert poex(battery) == poex(ucl) == [("Pohang City", "complete POEX", 2027, "planned")]


def test_ucl_partnerships(ucl: tuple[Item, ...]) -> None:
    found = partnerships(ucl)
    assert any(p.parties == ("Pohang City", "University College London") for p in found)
    proposal = [p for p in found if "Handong Global University" in p.parties]
    assert len(proposal) == 1
    assert {"POSTECH", "University College London"} <= set(proposal[0].parties)
    assert (proposal[0].status, proposal[0].partnership_kind) == ("proposed", "joint_research")
    cop = [p for p in found if "COP33" in p.what]
    assert [(p.status, p.partnership_kind) for p in cop] == [("requested", "support")]


def test_ucl_each_planned_project_is_its_own_commitment(ucl: tuple[Item, ...]) -> None:
    listed = [c for c in commitments(ucl) if "▲" in c.evidence and c.status == "planned"]
    whats = [c.what for c in listed]
    assert len(whats) == 4
    assert {c.actor for c in listed} == {"Pohang City"}
    for fragment in ("joint workshops", "academic events", "internship", "research studio"):
        assert sum(fragment in what for what in whats) == 1, fragment


def test_ucl_council_chair_speaks_for_the_council(ucl: tuple[Item, ...]) -> None:
    assert any(c.actor == "Pohang City Council" for c in commitments(ucl))


def test_ucl_forecast_is_no_commitment(ucl: tuple[Item, ...]) -> None:
    assert not any("expects" in c.evidence for c in commitments(ucl))
