"""Relevance: articles about Pohang against passing mentions and other cities' news."""

from __future__ import annotations

from pohang_watch.config import RelevanceSettings
from pohang_watch.models import Article
from pohang_watch.relevance import score_relevance

SETTINGS = RelevanceSettings()


def article(title: str, *paragraphs: str, subtitles: tuple[str, ...] = ()) -> Article:
    return Article(
        article_id=None,
        url=None,
        title=title,
        subtitles=subtitles,
        published_at=None,
        byline=None,
        paragraphs=paragraphs,
        captions=(),
        content_hash="test",
    )


def test_an_article_about_pohang_is_relevant() -> None:
    result = score_relevance(
        article(
            "Pohang Picks Three Firms for Hydrogen Test Bed",
            "Pohang City announced on the 2nd that three companies will join its hydrogen "
            "test bed at the Yeongil Bay industrial zone.",
            "The city will provide land and utilities for five years.",
            "Mayor Lee Kang-deok said the test bed would anchor Pohang's hydrogen strategy.",
            subtitles=("Mayor Lee: “A First Step for Hydrogen”",),
        ),
        SETTINGS,
    )
    assert result.about_pohang
    assert result.score >= 0.8
    assert "the headline names Pohang or a related term" in result.reasons


def test_an_article_without_pohang_in_the_headline_can_still_be_relevant() -> None:
    result = score_relevance(
        article(
            "Battery Maker Breaks Ground on Cathode Plant",
            "EcoPro broke ground on a cathode plant in Pohang on the 5th.",
            "The Pohang plant will employ 400 people, according to Pohang City.",
            "POSTECH will train engineers for the plant.",
        ),
        SETTINGS,
    )
    assert result.about_pohang


def test_one_city_among_many_is_a_passing_mention() -> None:
    result = score_relevance(
        article(
            "Ministry Names Smart City Pilot Sites",
            "The Ministry of Land said on the 7th that 28 cities, including Pohang, signed "
            "agreements to test smart traffic lights next year.",
            "The ministry will spend 30 billion won on the program.",
            "Officials said results would be published in 2027.",
        ),
        SETTINGS,
    )
    assert not result.about_pohang
    assert "Pohang is named only as one place in a list" in result.reasons


def test_a_list_of_place_names_is_a_passing_mention() -> None:
    result = score_relevance(
        article(
            "Battery Cities Ulsan, Pohang and Gumi Report Export Gains",
            "Exports from Ulsan, Pohang, Gumi and Cheongju rose 12 percent last quarter.",
            "The trade ministry credited demand for cathode materials.",
        ),
        SETTINGS,
    )
    assert not result.about_pohang


def test_another_citys_news_is_not_relevant() -> None:
    result = score_relevance(
        article(
            "Ulsan Opens Hydrogen Bus Depot",
            "Ulsan Metropolitan City opened a hydrogen bus depot on the 3rd.",
            "The depot can refuel 80 buses a day, the city said.",
            "Ulsan plans two more depots, following a similar project in Pohang.",
            "The city will add 100 hydrogen buses by 2027.",
        ),
        SETTINGS,
    )
    assert not result.about_pohang
    assert result.score < 0.3


def test_related_terms_count_without_the_city_name() -> None:
    result = score_relevance(
        article(
            "POSTECH Team Unveils Solid-State Electrolyte",
            "A POSTECH research team unveiled a solid-state electrolyte on the 8th.",
            "The Pohang University of Science and Technology team worked for four years.",
        ),
        SETTINGS,
    )
    assert result.about_pohang


def test_an_empty_article_scores_zero() -> None:
    result = score_relevance(article(""), SETTINGS)
    assert (result.score, result.about_pohang) == (0.0, False)


def test_the_threshold_comes_from_settings() -> None:
    strict = RelevanceSettings(threshold=0.99)
    result = score_relevance(
        article("Pohang Festival Opens", "The Pohang festival opened on the 1st."), strict
    )
    assert 0.5 < result.score < 0.99
    assert not result.about_pohang


def test_the_football_club_is_not_the_city() -> None:
    result = score_relevance(
        article(
            "Pohang Steelers Beat Jeonbuk 3-1",
            "The Pohang Steelers beat Jeonbuk 3-1 at home on the 4th.",
            "The Steelers scored twice in the second half.",
        ),
        SETTINGS,
    )
    assert not result.about_pohang


def test_the_city_referred_back_to_counts_once_the_lead_names_pohang() -> None:
    result = score_relevance(
        article(
            "Mayor Lee Meets Fishermen, Promises Harbor Repairs",
            "Mayor Lee Kang-deok met 40 fishermen at Guryongpo harbor on the 2nd.",
            "Mayor Lee said the city would repair the breakwater within the year.",
            "The fishermen asked the city to dredge the harbor entrance.",
            "The repairs will take about six months.",
        ),
        SETTINGS,
    )
    assert result.about_pohang
