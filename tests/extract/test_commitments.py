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


def test_two_pledges_joined_by_and_the_city_will_are_split(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "The province will fund a new fire station, and the city will build a training "
        "ground next to it, Mayor Lee Kang-deok said."
    )
    found = commitments(extract_items(article, extract_settings))
    assert [c.what for c in found] == [
        "fund a new fire station",
        "build a training ground next to it",
    ]


def test_the_company_is_the_company_named_before(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "Pohang City signed an investment agreement with Samsung SDI and Gyeongsangbuk-do.",
        "The company also pledged to hire 300 local engineers.",
    )
    found = commitments(extract_items(article, extract_settings))
    assert [(c.actor, c.what) for c in found] == [("Samsung SDI", "hire 300 local engineers")]


def test_effort_words_and_descriptions_are_not_pledges(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "Mayor Lee said, “We will do our utmost for the citizens.”",
        "The museum will house 3,000 relics, and its opening date will depend on the budget.",
        "The company did not say which buyers will receive the first batteries.",
    )
    assert commitments(extract_items(article, extract_settings)) == []


def test_a_facility_named_once_is_completed_under_its_name(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "The city broke ground on a 50-megawatt green ammonia plant in the port area.",
        "Work will take two years, and the plant is scheduled for completion in 2027.",
    )
    found = commitments(extract_items(article, extract_settings))
    assert ("Pohang City", "complete green ammonia plant", 2027) in [
        (c.actor, c.what, c.target_year) for c in found
    ]


def test_investment_targets_read_the_same_however_worded(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    first = make_article(
        "The city set a goal of attracting a cumulative 5 trillion won in new investment by 2030."
    )
    second = make_article(
        "The city reaffirmed its goal of drawing a total of 5 trillion won in fresh "
        "investment by 2030."
    )
    for article in (first, second):
        (found,) = commitments(extract_items(article, extract_settings))
        assert (found.what, found.target_year) == ("attract 5 trillion won in investment", 2030)


def test_forecasts_about_things_are_not_pledges(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        'Mayor Lee said, "Battery companies will find everything they need here. '
        'We will open a testing center next year."'
    )
    found = commitments(extract_items(article, extract_settings))
    assert [c.what.startswith("open a testing center") for c in found] == [True]


def test_a_council_chair_and_the_council_pledge_for_the_council(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        'Council Chairman Kim Min-ho stated, "We will review the ordinance every year."',
        "The council will submit a resolution to the ministry next week.",
    )
    found = commitments(extract_items(article, extract_settings))
    assert {c.actor for c in found} == {"Pohang City Council"}
