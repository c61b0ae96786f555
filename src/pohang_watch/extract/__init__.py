"""Extraction: an article about Pohang → its commitments and partnerships.

    paragraphs ─ sentences.py ─> sentences (quotes, speakers, ▲ lists)
               ─ entities.py ──> canonical names (aliases, shapes, acronyms the article defines)
               ─ context.py ───> what "the company", "the plant" point back to
               ─ clauses.py ───> clauses with actor and forward-looking cue
               ─ commitments.py / partnerships.py ─> items
                 (wording.py: the `what`; quantities.py: year, amount; sectors.py: sector)

literals.py reads the rule tables' patterns once and finds the words each cannot match
without, so that a pattern runs only on texts that have one of them (same results).

Pure functions over the article: no I/O, rules in tables at the top of each module. Only the
body paragraphs are read; the headline and subtitles restate the body in headline case, and
captions describe photos.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from pohang_watch.config import ExtractSettings
from pohang_watch.extract.clauses import read_sentence
from pohang_watch.extract.commitments import find_commitments
from pohang_watch.extract.context import ArticleContext, remember
from pohang_watch.extract.entities import defined_acronyms, entity_index
from pohang_watch.extract.partnerships import find_partnerships
from pohang_watch.extract.sentences import Sentence, split_sentences
from pohang_watch.models import Article, Commitment, Item, Partnership

__all__ = ["extract_items"]

# How far a partnership has got, least to most: one article's furthest statement counts.
PARTNERSHIP_PROGRESS: tuple[str, ...] = ("discussed", "requested", "proposed", "agreed", "signed")


def extract_items(article: Article, settings: ExtractSettings) -> tuple[Item, ...]:
    """Every commitment and partnership the article states, each once, in reading order."""
    index = entity_index(settings)
    index = entity_index(settings, defined_acronyms(index, article.paragraphs)).for_article()
    published = article.published_at.date() if article.published_at else None
    context = ArticleContext(published)
    items: list[Item] = []
    said: dict[_State, _Said] = {}
    for paragraph in article.paragraphs:
        for sentence in split_sentences(paragraph):
            state = (
                sentence,
                context.company,
                context.counterpart,
                context.pohang_party,
                context.last_year,
                tuple(context.facilities.items()),
            )
            found = said.get(state)
            if found is None:
                read = read_sentence(index, sentence, context)
                stated: tuple[Item, ...] = (
                    *find_commitments(read, index),
                    *find_partnerships(read, index),
                )
                found = said[state] = _Said(stated, context.last_year, read.text)
            items.extend(found.items)
            context.last_year = found.last_year
            remember(context, index, found.text)
    return _first_of_each(items)


# Everything the items of a sentence depend on: the sentence and what the article has said
# before it (see `ArticleContext`). Articles repeat sentences, often in the same state.
_State = tuple[
    Sentence, str | None, str | None, str | None, int | None, tuple[tuple[str, str], ...]
]


class _Said(NamedTuple):
    """A sentence's items, the last target year after them, and its canonical text."""

    items: tuple[Item, ...]
    last_year: int | None
    text: str


def _first_of_each(items: list[Item]) -> tuple[Item, ...]:
    """One item per identity within an article: the first statement carries the evidence,
    later ones fill in a year or sum it left out and a partnership's further progress."""
    merged: dict[tuple[str, ...], Item] = {}
    for item in items:
        key = _identity(item)
        first = merged.get(key)
        merged[key] = item if first is None else _merge(first, item)
    return tuple(merged.values())


def _merge(first: Item, later: Item) -> Item:
    if isinstance(first, Commitment) and isinstance(later, Commitment):
        return replace(
            first,
            target_year=first.target_year or later.target_year,
            amount=first.amount or later.amount,
        )
    if isinstance(first, Partnership) and isinstance(later, Partnership):
        progress = {s: i for i, s in enumerate(PARTNERSHIP_PROGRESS)}
        if progress.get(later.status, -1) > progress.get(first.status, -1):
            return replace(first, status=later.status)
    return first


def _identity(item: Item) -> tuple[str, ...]:
    if isinstance(item, Commitment):
        return ("commitment", item.actor, item.what.casefold())
    return ("partnership", item.partnership_kind, *item.parties)
