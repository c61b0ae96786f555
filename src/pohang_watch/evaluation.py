"""Measuring the extractor against a labelled set: relevance, commitments, partnerships.

A labelled set is a folder of saved pages, each with a sibling `<stem>.labels.json`:

    {"about_pohang": true,
     "commitments": [{"actor": "Pohang City", "what": "key phrase", "target_year": 2030,
                      "status": "planned", "evidence": "the whole sentence", "optional": false}],
     "partnerships": [{"parties": ["Pohang City", "UCL"], "what": "…", "status": "signed",
                       "evidence": "…"}]}

`status` may be a list of acceptable statuses. Optional items are neither required (no recall
miss when absent) nor errors (no precision loss when found).

Every page goes through the pipeline's own `analyse_source`, so the numbers are those of the
shipped parse → relevance → extract chain. Matching rule (one-to-one, greedy, best pairs first):
a predicted item matches a gold item of the same kind when
  * its evidence is the gold sentence (compared as lower-case word sequences, a lost dash "?"
    read as a space) or overlaps it strongly (`EVIDENCE_RATIO`, or one contains the other and
    is at least `CONTAINED_SHARE` of it: a splitter that cuts or joins differently still gets
    the credit);
  * commitments: the actor is the gold actor after aliasing through `[extract.aliases]`;
    partnerships: the non-Pohang parties intersect (for a partnership between Pohang bodies
    only, the party sets are equal);
  * and, where the gold sentence holds several items of that kind (a ▲ list), the gold key
    phrase is found in the predicted `what` (`PHRASE_SHARE` of its content words).
Target year and status are not part of the match: their agreement is reported separately as
attribute accuracy over the matched pairs. Items of articles that are not about Pohang count
as errors only when relevance let the article through (the pipeline drops the others); an
about-Pohang article that relevance missed is still extracted (`extract_all`), so a relevance
miss is counted once, by relevance.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from pohang_watch.config import Settings
from pohang_watch.models import Commitment, ExtractedArticle, Item
from pohang_watch.pipeline import analyse_source

LABELS_SUFFIX = ".labels.json"
PAGE_SUFFIXES = (".txt", ".html", ".htm")
EVIDENCE_RATIO = 0.8
CONTAINED_SHARE = 0.5
PHRASE_SHARE = 0.5
STEM_CHARS = 5  # "establishing" and "establishment" share their first letters
STOPWORDS = frozenset(
    {"a", "an", "the", "of", "to", "for", "and", "in", "on", "at", "with", "its", "by", "s"}
)
KINDS = ("commitment", "partnership")
_WORDS = re.compile(r"[a-z0-9]+")
_LOST_DASH = re.compile(r"(?<=[A-Za-z])\?(?=[A-Za-z])")


@dataclass(frozen=True, slots=True)
class GoldItem:
    """One labelled commitment or partnership."""

    kind: str
    who: tuple[str, ...]  # (actor,) or the parties
    what: str
    target_year: int | None
    statuses: tuple[str, ...]
    evidence: str
    optional: bool = False


@dataclass(frozen=True, slots=True)
class GoldArticle:
    source: str
    about_pohang: bool
    items: tuple[GoldItem, ...]


@dataclass(frozen=True, slots=True)
class Score:
    """True positives, false positives, false negatives, and what follows from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class Attributes:
    """Agreement of target year and status over matched pairs."""

    matched: int = 0
    year_agrees: int = 0
    status_agrees: int = 0

    def __add__(self, other: Attributes) -> Attributes:
        return Attributes(
            self.matched + other.matched,
            self.year_agrees + other.year_agrees,
            self.status_agrees + other.status_agrees,
        )

    @property
    def year_accuracy(self) -> float:
        return self.year_agrees / self.matched if self.matched else 1.0

    @property
    def status_accuracy(self) -> float:
        return self.status_agrees / self.matched if self.matched else 1.0


@dataclass(frozen=True, slots=True)
class KindResult:
    score: Score = Score()
    attributes: Attributes = Attributes()
    misses: tuple[str, ...] = ()  # "source: gold item" not found
    extras: tuple[str, ...] = ()  # "source: predicted item" matching no gold item

    def __add__(self, other: KindResult) -> KindResult:
        return KindResult(
            self.score + other.score,
            self.attributes + other.attributes,
            self.misses + other.misses,
            self.extras + other.extras,
        )


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    articles: int
    relevance: Score
    kinds: dict[str, KindResult] = field(default_factory=dict)
    relevance_errors: tuple[str, ...] = ()
    page_errors: tuple[str, ...] = ()

    @property
    def commitments(self) -> KindResult:
        return self.kinds.get("commitment", KindResult())

    @property
    def partnerships(self) -> KindResult:
        return self.kinds.get("partnership", KindResult())


def load_labelled_set(path: str | Path) -> tuple[GoldArticle, ...]:
    """Every page under `path` (a folder, or one page) that has a labels file beside it."""
    root = Path(path)
    pages = sorted(root.iterdir()) if root.is_dir() else [root]
    gold = []
    for page in pages:
        labels = page.with_name(page.name.rsplit(".", 1)[0] + LABELS_SUFFIX)
        if page.suffix.lower() in PAGE_SUFFIXES and labels.is_file():
            data = json.loads(labels.read_text(encoding="utf-8"))
            gold.append(_gold_article(str(page), data))
    return tuple(gold)


def _gold_article(source: str, data: dict[str, Any]) -> GoldArticle:
    items = [_gold_item("commitment", row, (row["actor"],)) for row in data.get("commitments", [])]
    items += [
        _gold_item("partnership", row, tuple(row["parties"]))
        for row in data.get("partnerships", [])
    ]
    return GoldArticle(source, bool(data["about_pohang"]), tuple(items))


def _gold_item(kind: str, row: dict[str, Any], who: tuple[str, ...]) -> GoldItem:
    status = row.get("status") or ()
    statuses = (status,) if isinstance(status, str) else tuple(status)
    return GoldItem(
        kind,
        who,
        row["what"],
        row.get("target_year"),
        statuses,
        row["evidence"],
        bool(row.get("optional", False)),
    )


def run_evaluation(path: str | Path, settings: Settings) -> EvaluationResult:
    """Load the labelled set at `path`, analyse every page as the pipeline does, and score."""
    gold = load_labelled_set(path)
    predicted: list[ExtractedArticle | None] = []
    errors: list[str] = []
    for article in gold:
        try:
            predicted.append(analyse_source(article.source, settings, extract_all=True))
        except Exception as exc:  # a page that fails is scored as predicting nothing
            predicted.append(None)
            errors.append(f"{article.source}: {type(exc).__name__}: {exc}")
    return score_articles(gold, predicted, settings, tuple(errors))


def score_articles(
    gold: Sequence[GoldArticle],
    predicted: Sequence[ExtractedArticle | None],
    settings: Settings,
    page_errors: tuple[str, ...] = (),
) -> EvaluationResult:
    """Scores of predictions against labels, article by article (same order)."""
    aliases = _alias_table(settings)
    pohang = frozenset(_canonical(aliases, n) for n in settings.extract.pohang_bodies)
    relevance = Score()
    relevance_errors: list[str] = []
    kinds = {kind: KindResult() for kind in KINDS}
    for gold_article, result in zip(gold, predicted, strict=True):
        said = result is not None and result.relevance.about_pohang
        relevance += _relevance_score(gold_article.about_pohang, said)
        if said != gold_article.about_pohang:
            score = result.relevance.score if result else None
            relevance_errors.append(
                f"{gold_article.source}: labelled {gold_article.about_pohang}, scored {score}"
            )
        items = result.items if result is not None else ()
        if not gold_article.about_pohang and not said:
            items = ()
        for kind in KINDS:
            golds = [g for g in gold_article.items if g.kind == kind]
            preds = [i for i in items if i.kind == kind]
            kinds[kind] += _score_kind(gold_article.source, golds, preds, aliases, pohang)
    return EvaluationResult(len(gold), relevance, kinds, tuple(relevance_errors), page_errors)


def _relevance_score(gold: bool, said: bool) -> Score:
    return Score(tp=int(gold and said), fp=int(said and not gold), fn=int(gold and not said))


def _alias_table(settings: Settings) -> dict[str, str]:
    table: dict[str, str] = {}
    for canonical, spellings in settings.extract.aliases.items():
        for spelling in (canonical, *spellings):
            table[spelling.casefold()] = canonical
    return table


def _canonical(aliases: dict[str, str], name: str) -> str:
    return aliases.get(name.casefold(), name).casefold()


def _words(text: str) -> list[str]:
    return _WORDS.findall(_LOST_DASH.sub(" ", text).casefold())


def evidence_matches(predicted: str, gold: str) -> bool:
    """The same sentence, or strongly overlapping word sequences (see the module docstring)."""
    a, b = _words(predicted), _words(gold)
    if a == b:
        return True
    if SequenceMatcher(None, a, b, autojunk=False).ratio() >= EVIDENCE_RATIO:
        return True
    short, long_ = sorted((a, b), key=len)
    joined_short, joined_long = " ".join(short), " ".join(long_)
    return (
        bool(short)
        and f" {joined_short} " in f" {joined_long} "
        and (len(short) >= CONTAINED_SHARE * len(long_))
    )


def phrase_matches(what: str, phrase: str) -> bool:
    """Whether most content words of the gold key phrase appear (by stem) in `what`."""
    wanted = {w[:STEM_CHARS] for w in _words(phrase) if w not in STOPWORDS}
    have = {w[:STEM_CHARS] for w in _words(what)}
    return not wanted or len(wanted & have) >= PHRASE_SHARE * len(wanted)


def _who_matches(
    item: Item, gold: GoldItem, aliases: dict[str, str], pohang: frozenset[str]
) -> bool:
    if isinstance(item, Commitment):
        return _canonical(aliases, item.actor) == _canonical(aliases, gold.who[0])
    mine = {_canonical(aliases, p) for p in item.parties}
    theirs = {_canonical(aliases, p) for p in gold.who}
    if theirs - pohang:
        return bool((mine - pohang) & (theirs - pohang))
    return mine == theirs


def _score_kind(
    source: str,
    golds: list[GoldItem],
    preds: list[Item],
    aliases: dict[str, str],
    pohang: frozenset[str],
) -> KindResult:
    pairs = _candidate_pairs(golds, preds, aliases, pohang)
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    attributes = Attributes()
    for _, g, p in sorted(pairs, reverse=True):
        if g in used_gold or p in used_pred:
            continue
        used_gold.add(g)
        used_pred.add(p)
        attributes += _attributes(golds[g], preds[p])
    tp = sum(1 for g in used_gold if not golds[g].optional)
    misses = tuple(
        f"{source}: {_describe_gold(golds[g])}"
        for g in range(len(golds))
        if g not in used_gold and not golds[g].optional
    )
    extras = tuple(
        f"{source}: {_describe(preds[p])}" for p in range(len(preds)) if p not in used_pred
    )
    return KindResult(Score(tp, len(extras), len(misses)), attributes, misses, extras)


def _candidate_pairs(
    golds: list[GoldItem], preds: list[Item], aliases: dict[str, str], pohang: frozenset[str]
) -> list[tuple[tuple[bool, bool, float], int, int]]:
    pairs = []
    for g, gold in enumerate(golds):
        shared = sum(1 for other in golds if _words(other.evidence) == _words(gold.evidence))
        for p, pred in enumerate(preds):
            if not evidence_matches(pred.evidence, gold.evidence):
                continue
            if not _who_matches(pred, gold, aliases, pohang):
                continue
            phrase = phrase_matches(pred.what, gold.what)
            if shared > 1 and not phrase:
                continue
            closeness = SequenceMatcher(None, pred.what.casefold(), gold.what.casefold()).ratio()
            pairs.append(((not gold.optional, phrase, closeness), g, p))
    return pairs


def _attributes(gold: GoldItem, pred: Item) -> Attributes:
    return Attributes(
        1, int(pred.target_year == gold.target_year), int(pred.status in gold.statuses)
    )


def _describe_gold(gold: GoldItem) -> str:
    return f"{'/'.join(gold.who)} | {gold.what} | {gold.target_year} | {gold.evidence[:70]}"


def _describe(item: Item) -> str:
    who = item.actor if isinstance(item, Commitment) else "/".join(item.parties)
    return f"{who} | {item.what} | {item.target_year} | {item.status} | {item.evidence[:70]}"


def render_evaluation(result: EvaluationResult, *, details: bool = False) -> str:
    """A table of precision, recall and F1 per kind and for relevance; with `details`, the
    misses and extras that explain them."""
    lines = [
        f"{result.articles} labelled articles",
        f"{'':<13}{'precision':>10}{'recall':>8}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}"
        f"{'year':>7}{'status':>8}",
        _row("relevance", result.relevance, None),
    ]
    lines += [
        _row(kind, result.kinds[kind].score, result.kinds[kind].attributes)
        for kind in KINDS
        if kind in result.kinds
    ]
    if details:
        lines += _section("relevance errors", result.relevance_errors)
        for kind in KINDS:
            lines += _section(f"{kind} misses", result.kinds[kind].misses)
            lines += _section(f"{kind} extras", result.kinds[kind].extras)
    lines += _section("page errors", result.page_errors)
    return "\n".join(lines)


def _row(name: str, score: Score, attributes: Attributes | None) -> str:
    tail = ""
    if attributes is not None:
        tail = f"{attributes.year_accuracy:>7.2f}{attributes.status_accuracy:>8.2f}"
    return (
        f"{name:<13}{score.precision:>10.3f}{score.recall:>8.3f}{score.f1:>7.3f}"
        f"{score.tp:>5}{score.fp:>5}{score.fn:>5}{tail}"
    )


def _section(title: str, rows: Iterable[str]) -> list[str]:
    rows = list(rows)
    return [f"\n{title} ({len(rows)}):", *(f"  {row}" for row in rows)] if rows else []
