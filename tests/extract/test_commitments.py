"""Commitments from small articles written in the paper's style."""

from __future__ import annotations

from collections.abc import Callable

from pohang_watch.config import ExtractSettings
from pohang_watch.extract import extract_items
from pohang_watch.models import Article, Commitment, Item

MakeArticle = Callable[..., Article]


def commitments(items: tuple[Item, ...]) -> list[Commitment]:
    return [item for item in items if isinstance(item, Commitment)]


def test_each_enumerated_item_inherits_actor_and_status(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "Following the forum, Pohang City plans to carry out follow-up tasks, including: "
        "▲building a hydrogen fuel cell test bed; ▲expanding bio startup space at the "
        "science park; and ▲hosting an annual battery recycling conference."
    )
    found = commitments(extract_items(article, extract_settings))
    assert [(c.actor, c.status) for c in found] == [("Pohang City", "planned")] * 3
    assert [c.what for c in found] == [
        "build a hydrogen fuel cell test bed",
        "expand bio startup space at the science park",
        "host an annual battery recycling conference",
    ]
    assert [c.sector for c in found] == ["hydrogen", "bio", "battery"]
    assert {c.evidence for c in found} == {article.paragraphs[0]}


def test_past_achievements_are_not_commitments(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "Last year the city attracted a 1 trillion won investment from EcoPro and completed "
        "a cathode materials complex in the Yeongil Bay industrial zone.",
        "The mayor explained the achievements of the past five years to the delegation.",
    )
    assert commitments(extract_items(article, extract_settings)) == []


def test_hedged_and_denied_plans_are_not_commitments(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "A city official said a second plant is under review, but nothing has been "
        "confirmed yet about whether the company will build it in Pohang.",
        "The company said it has no plans to move its headquarters to Pohang.",
        "Some expect that the new line will open by 2028.",
    )
    assert commitments(extract_items(article, extract_settings)) == []


def test_target_year_and_amount(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "Pohang City aims to build a hydrogen special zone worth KRW 400 billion by 2030."
    )
    (found,) = commitments(extract_items(article, extract_settings))
    assert found.what == "build a hydrogen special zone worth KRW 400 billion"
    assert found.target_year == 2030
    assert found.amount is not None
    assert (found.amount.value, found.amount.currency) == (4e11, "KRW")
    assert found.sector == "hydrogen"


def test_another_body_keeps_its_own_name(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article("POSCO Future M will invest $1.5 billion in a new precursor plant.")
    (found,) = commitments(extract_items(article, extract_settings))
    assert found.actor == "POSCO Future M"
    assert found.amount is not None
    assert found.amount.value == 1.5e9


def test_the_mayor_speaks_for_the_city_and_the_chair_for_the_council(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "Mayor Lee Gangdeok stated, “We will create 5,000 jobs in the battery sector.”",
        "Park Jiho, Chair of the Pohang City Council, said, “We will review the port budget "
        "every quarter.”",
    )
    found = commitments(extract_items(article, extract_settings))
    assert [(c.actor, c.what) for c in found] == [
        ("Pohang City", "create 5,000 jobs in the battery sector"),
        ("Pohang City Council", "review the port budget every quarter"),
    ]


def test_a_list_after_including_splits_into_pledges(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "The city said it is focusing on new growth projects, including the establishment "
        "of a bio health cluster and attracting global pharmaceutical firms, aiming to become "
        "a top-three bio city by 2035."
    )
    found = commitments(extract_items(article, extract_settings))
    assert [(c.what, c.target_year) for c in found] == [
        ("establish a bio health cluster", None),
        ("attract global pharmaceutical firms", None),
        ("become a top-three bio city", 2035),
    ]


def test_the_same_completion_reads_the_same_under_any_name(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    first = make_article(
        "Officials noted that the Pohang International Exhibition and Convention Center is "
        "scheduled for completion in 2027."
    )
    second = make_article(
        "With POEX set to be completed in 2027, the city will bid for more expos."
    )
    whats = [
        [(c.actor, c.what, c.target_year) for c in commitments(extract_items(a, extract_settings))]
        for a in (first, second)
    ]
    assert ("Pohang City", "complete POEX", 2027) in whats[0]
    assert ("Pohang City", "complete POEX", 2027) in whats[1]


def test_underway_cues(make_article: MakeArticle, extract_settings: ExtractSettings) -> None:
    article = make_article("Pohang City is pushing ahead with a smart port logistics hub.")
    (found,) = commitments(extract_items(article, extract_settings))
    assert (found.what, found.status, found.sector) == (
        "a smart port logistics hub",
        "underway",
        "trade",
    )


def test_forecasts_with_will_be_are_not_pledges(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article("The new bridge will be a landmark, and the expo will help hotels.")
    assert commitments(extract_items(article, extract_settings)) == []
