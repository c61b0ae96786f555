"""Extraction: an article about Pohang → its commitments and partnerships.

    paragraphs ─ sentences.py ─> sentences (quotes, speakers, ▲ lists)
               ─ entities.py ──> canonical names (aliases, organisation shapes)
               ─ clauses.py ───> clauses with actor and forward-looking cue
               ─ commitments.py / partnerships.py ─> items
                 (wording.py: the `what`; quantities.py: year, amount; sectors.py: sector)

Pure functions over the article: no I/O, rules in tables at the top of each module. Only the
body paragraphs are read; the headline and subtitles restate the body in headline case, and
captions describe photos.
"""

from __future__ import annotations

from pohang_watch.config import ExtractSettings
from pohang_watch.extract.clauses import read_sentence
from pohang_watch.extract.commitments import find_commitments
from pohang_watch.extract.entities import entity_index
from pohang_watch.extract.partnerships import find_partnerships
from pohang_watch.extract.sentences import split_sentences
from pohang_watch.models import Article, Commitment, Item

__all__ = ["extract_items"]


def extract_items(article: Article, settings: ExtractSettings) -> tuple[Item, ...]:
    """Every commitment and partnership the article states, each once, in reading order."""
    index = entity_index(settings)
    items: list[Item] = []
    counterpart: str | None = None
    for paragraph in article.paragraphs:
        for sentence in split_sentences(paragraph):
            read = read_sentence(index, sentence)
            items.extend(find_commitments(read, index))
            finding = find_partnerships(read, index, counterpart)
            items.extend(finding.partnerships)
            counterpart = finding.counterpart
    return _first_of_each(items)


def _first_of_each(items: list[Item]) -> tuple[Item, ...]:
    """One item per identity within an article; the first statement carries the evidence."""
    seen: set[tuple[str, ...]] = set()
    unique: list[Item] = []
    for item in items:
        key = _identity(item)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return tuple(unique)


def _identity(item: Item) -> tuple[str, ...]:
    if isinstance(item, Commitment):
        return ("commitment", item.actor, item.what.casefold())
    return ("partnership", item.partnership_kind, *item.parties)
