"""Article texts for the synthetic corpus, written from our own sentence templates.

Pohang articles carry the things extraction looks for (MOUs with named partners, plans with
target years and amounts, ▲ enumerations, quotes with relative dates), mixed with background
sentences that hold none, so extraction has real work to do. Other articles are about other
cities and markets; a few of them name Pohang in passing, as real coverage does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

PARTNERS = (
    "University College London",
    "Fraunhofer IKTS",
    "POSCO Future M",
    "Korea South-East Power",
    "Doosan Fuel Cell",
    "EcoPro BM",
    "Korea Hydro & Nuclear Power",
    "the Korea Institute of Energy Research",
    "the city of Busan",
    "Kitakyushu City",
    "Lotte Chemical",
    "the Korea Trade-Investment Promotion Agency",
)
SECTORS = {
    "battery": ("secondary battery recycling", "cathode material production", "battery testing"),
    "hydrogen": ("hydrogen fuel cell power", "hydrogen reduction steelmaking", "a hydrogen tram"),
    "bio": ("a bio-health campus", "vaccine research", "a protein analysis centre"),
    "tourism": ("a marine tourism belt", "an international convention", "a waterfront park"),
}
GOALS = (
    "build a {topic} cluster in the Yeongil Bay Free Economic Zone",
    "pursue joint research on {topic}",
    "attract international academic events on {topic}",
    "train 500 engineers in {topic}",
    "establish a pilot plant for {topic}",
)
OTHER_PLACES = ("Seoul", "Busan", "Incheon", "Daegu", "Ulsan", "Gwangju", "Suwon")
OTHER_TOPICS = (
    "semiconductor exports",
    "the KOSPI index",
    "apartment prices",
    "the won-dollar exchange rate",
    "a new subway line",
    "youth employment",
)
FIRST_ID_TIME = datetime(2021, 1, 1)
ID_TIME_SPAN = timedelta(days=5 * 365)


@dataclass(frozen=True, slots=True)
class ArticleText:
    """The words of one article and its identity; pages render it in the paper's HTML."""

    article_id: str
    published: datetime  # KST, naive (the id's own clock)
    section: str
    title: str
    subtitles: tuple[str, ...]
    paragraphs: tuple[str, ...]  # each a list of sentences joined by spaces
    captions: tuple[str, ...]
    about_pohang: bool


def new_id(rng: random.Random) -> tuple[str, datetime]:
    """A 19-digit id in the paper's form: YYYYMMDDHHMMSS (KST) and five more digits."""
    published = FIRST_ID_TIME + timedelta(seconds=rng.randrange(int(ID_TIME_SPAN.total_seconds())))
    return f"{published:%Y%m%d%H%M%S}{rng.randrange(100_000):05}", published


def pohang_article(rng: random.Random) -> ArticleText:
    """An article about a Pohang commitment or partnership, 8–20 paragraphs."""
    sector = rng.choice(list(SECTORS))
    topic = rng.choice(SECTORS[sector])
    partner = rng.choice(PARTNERS)
    year = rng.randrange(2026, 2036)
    title = f"Pohang Teams Up with {_title_case(partner)} on {_title_case(topic)}"
    lead = (
        f"On the {_ordinal(rng.randrange(1, 29))}, Pohang City signed a memorandum of "
        f"understanding (MOU) with {partner} to {rng.choice(GOALS).format(topic=topic)}, "
        "according to the city."
    )
    body = [
        lead,
        *(_pohang_paragraph(rng, partner, topic, year) for _ in range(rng.randrange(7, 20))),
    ]
    return _article(rng, "industry", title, _subtitles(rng, partner, topic, year), body, True)


def other_article(rng: random.Random) -> ArticleText:
    """An article about somewhere else; one in five names Pohang in a list of cities."""
    place, topic = rng.choice(OTHER_PLACES), rng.choice(OTHER_TOPICS)
    title = f"{place} Reports Shift in {_title_case(topic)}"
    body = [_other_paragraph(rng, place, topic) for _ in range(rng.randrange(8, 21))]
    if rng.random() < 0.2:
        body[-1] += f" Similar trends were seen in 28 cities, including {place}, Pohang and Gumi."
    subtitles = (f"{place} Officials Cite {_title_case(topic)}",)
    return _article(rng, "economy", title, subtitles, body, False)


def near_duplicate(rng: random.Random, original: ArticleText) -> ArticleText:
    """The same story republished under a new id with one sentence changed."""
    article_id, published = new_id(rng)
    paragraphs = list(original.paragraphs)
    index = rng.randrange(1, len(paragraphs))
    sentences = paragraphs[index].split(". ")
    # Never the last piece, which carries the paragraph's closing punctuation.
    sentences[rng.randrange(max(1, len(sentences) - 1))] = "Officials said the plan was revised"
    paragraphs[index] = ". ".join(sentences)
    return replace(
        original, article_id=article_id, published=published, paragraphs=tuple(paragraphs)
    )


def _article(
    rng: random.Random,
    section: str,
    title: str,
    subtitles: tuple[str, ...],
    body: list[str],
    about_pohang: bool,
) -> ArticleText:
    article_id, published = new_id(rng)
    captions = tuple(
        f"{title} Officials pose for a photo at the ceremony on the {_ordinal(day)}. "
        "Provided by the city"
        for day in rng.sample(range(1, 29), rng.randrange(1, 4))
    )
    return ArticleText(
        article_id, published, section, title, subtitles, tuple(body), captions, about_pohang
    )


def _subtitles(rng: random.Random, partner: str, topic: str, year: int) -> tuple[str, ...]:
    lines = (
        f"Pohang City and {partner} Sign MOU on {_title_case(topic)}",
        f"Completion Targeted for {year}... Investment of KRW {rng.randrange(50, 900)} Billion",
        "Mayor Lee Kang-deok: “A Turning Point Beyond Steel”",
    )
    return lines[: rng.randrange(1, 4)]


def _pohang_paragraph(rng: random.Random, partner: str, topic: str, year: int) -> str:
    sentences = [rng.choice(_POHANG_SENTENCES) for _ in range(rng.randrange(2, 5))]
    return " ".join(
        s.format(
            partner=partner,
            topic=topic,
            year=year,
            amount=rng.randrange(10, 900),
            jobs=rng.randrange(20, 900),
            day=_ordinal(rng.randrange(1, 29)),
            other=rng.choice(PARTNERS),
        )
        for s in sentences
    )


def _other_paragraph(rng: random.Random, place: str, topic: str) -> str:
    sentences = [rng.choice(_OTHER_SENTENCES) for _ in range(rng.randrange(2, 5))]
    values = {"place": place, "topic": topic, "share": rng.randrange(2, 40)}
    return " ".join(s.format(**values, year=rng.randrange(2019, 2026)) for s in sentences)


_POHANG_SENTENCES = (
    "Under the agreement, {partner} will invest KRW {amount} billion in {topic} in Pohang by "
    "{year}.",
    "Pohang City plans to complete the first phase of the {topic} project by {year}.",
    "The city aims to create {jobs} jobs in {topic} by {year}, Mayor Lee Kang-deok said.",
    "POSTECH and {partner} agreed to pursue joint research on {topic}.",
    "The two sides agreed to cooperate on: ▲regular joint workshops on {topic}; ▲exchanges of "
    "researchers; ▲attracting international conferences to POEX.",
    "Pohang City Council will review a support ordinance for {topic} on the {day}.",
    "Handong Global University will open a training course on {topic} with {other}.",
    "“We will make sure the project proceeds without delay,” Mayor Lee Kang-deok said.",
    "Pohang has been laying the groundwork for {topic} for several years.",
    "The site covers about {jobs},000 square meters near Pohang Steelworks.",
    "Officials from both sides toured the plant on the {day}.",
    "An official from {partner} said the region had both the demand and the infrastructure.",
    "Local businesses welcomed the plan, citing a shortage of skilled workers.",
)
_OTHER_SENTENCES = (
    "{place} reported that {topic} changed by {share} percent from a year earlier.",
    "Analysts attributed the change in {topic} to weaker demand since {year}.",
    "The figures for {place} were released by the statistics office on Monday.",
    "Officials in {place} said they would watch {topic} closely in the coming months.",
    "Market participants expect volatility to continue through the next quarter.",
    "The government has not announced additional measures so far.",
)


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _title_case(text: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in text.split())
