"""The timed work: anchors (what a user could pick instead) and each pohang-watch stage.

Everything runs in one process on one corpus, so ratios to the bs4 anchor compare like with
like on the same machine at the same moment. Trees are dropped as soon as they are timed:
keeping them alive slows later parses (the issue measured ~28%).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from itertools import repeat
from multiprocessing import get_context
from pathlib import Path

import lxml.html
from bs4 import BeautifulSoup

from benchmarks.timing import Figure, batch, not_run, peak_rss_mb, per_page
from pohang_watch.config import Settings
from pohang_watch.dedup import KnownArticles, article_keys, find_duplicates
from pohang_watch.extract import extract_items
from pohang_watch.models import Article, ExtractedArticle, SourceDocument
from pohang_watch.neardup import band_hashes, shingles
from pohang_watch.parse import parse_document
from pohang_watch.pipeline import ProcessedBatch, chunked, process_sources, record_batch
from pohang_watch.relevance import score_relevance
from pohang_watch.sources.saved_pages import read_saved_page
from pohang_watch.store import Store

RUN_ID = "benchmark"


def anchor_figures(docs: Sequence[SourceDocument]) -> list[Figure]:
    """bs4 "lxml" parse alone, lxml.html parse, and trafilatura when it is installed."""
    texts = [doc.content.decode("utf-8") for doc in docs]
    figures = [
        per_page("bs4 'lxml' parse alone", "anchor", texts, _bs4_parse)[0],
        per_page("lxml.html parse", "anchor", texts, lxml.html.document_fromstring)[0],
    ]
    return figures + _trafilatura_figures(texts)


def _bs4_parse(text: str) -> None:
    BeautifulSoup(text, "lxml")


def _trafilatura_figures(texts: Sequence[str]) -> list[Figure]:
    try:
        import trafilatura  # optional: the `bench` extra
    except ImportError:
        note = "not installed (pip install -e '.[bench]')"
        return [
            not_run(f"trafilatura.extract {mode}", "anchor", note) for mode in ("default", "fast")
        ]
    return [
        per_page("trafilatura.extract default", "anchor", texts, trafilatura.extract)[0],
        per_page(
            "trafilatura.extract fast",
            "anchor",
            texts,
            lambda text: trafilatura.extract(text, fast=True),
        )[0],
    ]


def stage_figures(sources: Sequence[str], settings: Settings) -> list[Figure]:
    """Each stage alone, fed the previous stage's output."""
    limit = settings.parse.max_page_bytes
    read, docs = per_page("read the file", "stage", sources, lambda s: read_saved_page(s, limit))
    parse, articles = per_page("parse", "stage", docs, lambda d: parse_document(d, settings.parse))
    relevance, scores = per_page(
        "relevance", "stage", articles, lambda a: score_relevance(a, settings.relevance)
    )
    dedupe = batch("dedupe exact", "stage", len(articles), lambda: _dedupe(articles))[0]
    about = [
        (source, article, score)
        for source, article, score in zip(sources, articles, scores, strict=True)
        if score.about_pohang
    ]
    extract, items = per_page(
        "extract",
        "stage",
        [article for _, article, _ in about],
        lambda article: extract_items(article, settings.extract),
        note=f"median over the {len(about)} pages about Pohang",
    )
    extracted = [
        ExtractedArticle(source, article, score, found)
        for (source, article, score), found in zip(about, items, strict=True)
    ]
    near = per_page(
        "near-duplicate check",
        "stage",
        [article for _, article, _ in about],
        lambda article: band_hashes(shingles(article.paragraphs)),
        note="shingles + MinHash bands per Pohang page; the indexed lookup is in the store",
    )[0]
    store = _store_figure(extracted, settings.pipeline.batch_size, len(sources))
    return [read, parse, relevance, dedupe, extract, near, store]


def _dedupe(articles: Sequence[Article]) -> None:
    """Keys of the whole corpus, then the decisions against an empty store."""
    article_keys(articles)
    find_duplicates(articles, KnownArticles())


def _store_figure(extracted: list[ExtractedArticle], batch_size: int, pages: int) -> Figure:
    """record_articles into a fresh SQLite file, one transaction per batch."""
    batches = [extracted[i : i + batch_size] for i in range(0, len(extracted), batch_size)]
    with tempfile.TemporaryDirectory(prefix="pohang-bench-") as folder, _open(folder) as store:

        def record() -> None:
            for chunk in batches:
                store.record_articles(chunk, source_run=RUN_ID)

        note = f"{len(extracted)} articles in batches of {batch_size}"
        return batch("store (record_articles)", "stage", pages, record, note)[0]


Processor = Callable[[list[list[str]]], Iterable[ProcessedBatch]]


def pipeline_figures(sources: Sequence[str], settings: Settings) -> list[Figure]:
    """The whole core pipeline: process_sources then record_batch, per batch.

    On one process it runs in a fresh interpreter, so its peak RSS is the pipeline's own and
    not this benchmark's (which holds the corpus and every parsed article). On two processes
    a pool parses while this process records, the shape a backfill across both cores takes;
    the pool is started before the clock.
    """
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as fresh:
        one = fresh.submit(_serial_pipeline, list(sources), settings).result()
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(abs, range(2)))

        def pooled(chunks: list[list[str]]) -> Iterable[ProcessedBatch]:
            return pool.map(process_sources, chunks, repeat(settings))

        two = _pipeline("core pipeline, 2 processes", sources, settings, pooled)
    return [one, two]


def _serial_pipeline(sources: list[str], settings: Settings) -> Figure:
    def serial(chunks: list[list[str]]) -> Iterable[ProcessedBatch]:
        return map(process_sources, chunks, repeat(settings))

    figure = _pipeline("core pipeline, 1 process", sources, settings, serial)
    rss = peak_rss_mb()
    return replace(
        figure, note=f"{figure.note}; its process peaked at {rss:.0f} MB", peak_rss_mb=rss
    )


def _pipeline(name: str, sources: Sequence[str], settings: Settings, process: Processor) -> Figure:
    chunks = list(chunked(sources, settings.pipeline.batch_size))
    with tempfile.TemporaryDirectory(prefix="pohang-bench-") as folder, _open(folder) as store:

        def run() -> int:
            return sum(record_batch(store, done, RUN_ID).stored for done in process(chunks))

        figure, stored = batch(name, "pipeline", len(sources), run)
    return replace(figure, note=f"{stored} articles stored")


def _open(folder: str) -> Store:
    return Store.open(f"sqlite:///{Path(folder) / 'bench.db'}")
