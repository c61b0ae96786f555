"""Partnerships from small articles written in the paper's style."""

from __future__ import annotations

from collections.abc import Callable

from pohang_watch.config import ExtractSettings
from pohang_watch.extract import extract_items
from pohang_watch.models import Article, Commitment, Item, Partnership

MakeArticle = Callable[..., Article]


def partnerships(items: tuple[Item, ...]) -> list[Partnership]:
    return [item for item in items if isinstance(item, Partnership)]


def summary(p: Partnership) -> tuple[tuple[str, ...], str, str]:
    return p.parties, p.partnership_kind, p.status


def test_a_signed_mou(make_article: MakeArticle, extract_settings: ExtractSettings) -> None:
    article = make_article(
        "On the 9th, Pohang City signed an MOU with the Korea Institute of Energy Research "
        "and Hanul Hydrogen Co. to build a green hydrogen production base."
    )
    (found,) = partnerships(extract_items(article, extract_settings))
    assert summary(found) == (
        ("Pohang City", "Hanul Hydrogen Co.", "Korea Institute of Energy Research"),
        "mou",
        "signed",
    )
    assert found.sector == "hydrogen"
    assert found.evidence == article.paragraphs[0]


def test_a_visit_to_discuss_cooperation(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "Mayor Lee Kangdeok visited KAIST on the 4th to discuss cooperation on AI data centers."
    )
    (found,) = partnerships(extract_items(article, extract_settings))
    assert summary(found) == (("Pohang City", "KAIST"), "cooperation", "discussed")
    assert found.what == "cooperation on AI data centers"
    assert found.sector == "ai_data"


def test_a_request_for_support(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "He also requested KOTRA's support for finding overseas buyers for local firms."
    )
    (found,) = partnerships(extract_items(article, extract_settings))
    assert summary(found) == (("Pohang City", "KOTRA"), "support", "requested")
    assert found.what.startswith("support for finding overseas buyers")


def test_the_two_sides_means_the_last_outside_body(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "The delegation met the president of Kyoto University.",
        "The mayor proposed that the two sides co-host a steel decarbonisation symposium.",
    )
    (found,) = partnerships(extract_items(article, extract_settings))
    assert summary(found) == (("Pohang City", "Kyoto University"), "event", "proposed")


def test_a_hedged_agreement_is_only_discussed(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "POSTECH and Daewon Chemical Co. reportedly agreed on a joint research project, "
        "though neither side has confirmed it."
    )
    (found,) = partnerships(extract_items(article, extract_settings))
    assert summary(found) == (("POSTECH", "Daewon Chemical Co."), "joint_research", "discussed")


def test_cooperation_without_a_pohang_body_is_not_a_partnership(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "Ulsan Metropolitan City signed an MOU with Samsung SDI to build a battery plant."
    )
    assert partnerships(extract_items(article, extract_settings)) == []


def test_a_planned_cooperation_is_proposed(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "The city plans to pursue joint research on hydrogen turbines with Handong University."
    )
    (found,) = partnerships(extract_items(article, extract_settings))
    assert summary(found) == (
        ("Pohang City", "Handong Global University"),
        "joint_research",
        "proposed",
    )


def test_parties_are_ordered_pohang_side_first(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "Zeta Bio Corporation, Alpha Pharma Group and POSTECH signed an MOU with Pohang City."
    )
    (found,) = partnerships(extract_items(article, extract_settings))
    assert found.parties == (
        "Pohang City",
        "POSTECH",
        "Alpha Pharma Group",
        "Zeta Bio Corporation",
    )


def test_a_signing_to_come_is_agreed(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article("POSCO is set to sign an MOU with Pohang City on the 20th.")
    (found,) = partnerships(extract_items(article, extract_settings))
    assert summary(found) == (("Pohang City", "POSCO"), "mou", "agreed")


def test_a_defined_acronym_is_one_party(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "Mayor Lee visited the Korea Drone Industry Association (KDIA) in Seoul and proposed "
        "that KDIA co-host a drone festival in Pohang."
    )
    (found,) = partnerships(extract_items(article, extract_settings))
    assert summary(found) == (
        ("Pohang City", "Korea Drone Industry Association"),
        "event",
        "proposed",
    )


def test_a_venue_is_not_a_party(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "Pohang City signed an investment agreement with Samsung SDI at the Gyeongbuk "
        "Provincial Government Office in Andong."
    )
    (found,) = partnerships(extract_items(article, extract_settings))
    assert summary(found) == (("Pohang City", "Samsung SDI"), "investment", "signed")


def test_an_mou_is_classified_by_its_subject_and_the_acting_body_speaks_for_pohang(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "Pohang City, POSTECH and Kyoto University signed an MOU to set up a joint hydrogen "
        "research lab."
    )
    (found,) = partnerships(extract_items(article, extract_settings))
    assert summary(found) == (("Pohang City", "Kyoto University"), "joint_research", "signed")


def test_proposed_partners_are_the_pohang_side(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "The delegation visited the Korea Institute of Materials Science in Changwon.",
        "The mayor suggested that POSTECH and the institute exchange researchers next year.",
    )
    (found,) = partnerships(extract_items(article, extract_settings))
    assert summary(found) == (
        ("POSTECH", "Korea Institute of Materials Science"),
        "joint_research",
        "proposed",
    )


def test_one_article_keeps_the_furthest_status(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "Mayor Lee visited KAIST and discussed research cooperation on batteries.",
        "He proposed a joint battery research program with KAIST.",
    )
    (found,) = partnerships(extract_items(article, extract_settings))
    assert summary(found) == (("Pohang City", "KAIST"), "joint_research", "proposed")


def test_the_two_sides_of_a_relation_are_both_parties(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "POSTECH signed an agreement with the Korea Institute of Energy Research on the 2nd.",
        "Under the agreement, the two institutions will exchange five researchers a year.",
    )
    found = partnerships(extract_items(article, extract_settings))
    assert ("POSTECH", "Korea Institute of Energy Research") in [p.parties for p in found]
    exchange = [p for p in found if "exchange" in p.evidence]
    assert [(p.partnership_kind, p.status) for p in exchange] == [("joint_research", "agreed")]
    pledges = [i for i in extract_items(article, extract_settings) if isinstance(i, Commitment)]
    assert not any("exchange" in c.evidence for c in pledges)


def test_a_request_to_a_ministry_names_the_ministry(
    make_article: MakeArticle, extract_settings: ExtractSettings
) -> None:
    article = make_article(
        "The city asked the Ministry of Trade, Industry and Energy to designate a crisis area."
    )
    (found,) = partnerships(extract_items(article, extract_settings))
    assert summary(found)[0] == ("Pohang City", "Ministry of Trade, Industry and Energy")
    assert found.status == "requested"
