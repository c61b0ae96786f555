"""The live ingest end to end: the fixture site over real sockets, real SQLite, no Prefect.

The paper's hosts are sent to the fixture site by PaperHostsToSite (as if DNS pointed there);
listing pages live on 127.0.0.1, allowed for the run as `--listing` allows them.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from http_recorder import Recorder

from pohang_watch.config import ENV_APPRISE_URLS, FetchSettings, Settings, load_settings
from pohang_watch.pipeline import DateWindow, RunPlan, execute, plan_sources, run_reparse
from pohang_watch.report import RunReport
from pohang_watch.sources.fetch import Fetcher
from pohang_watch.store import Store
from sources.fixture_site import ALL_ARTICLES, MIDDLE, NEW, TROUBLED, FixtureSite, PaperHostsToSite

LISTINGS = ["/en/list", "/rss/en.xml", "/private/list"]


@pytest.fixture
def live_settings(settings: Settings) -> Settings:
    """The shipped config with a quick, small fetch budget for the fixture site."""
    fetch = settings.fetch.model_copy(
        update={
            "delay_seconds": 0.0,
            "timeout_seconds": 0.5,
            "max_retries": 1,
            "backoff_seconds": 0.05,
            "max_response_bytes": 100_000,
        }
    )
    return settings.model_copy(update={"fetch": fetch})


def run(
    site: FixtureSite,
    settings: Settings,
    paths: list[str],
    *,
    run_id: str,
    **plan: object,
) -> RunReport:
    """One run over these listing paths of the site, as `ingest --listing URL...` does."""
    allowed, _, listings = plan_sources(settings, [], [site.url(path) for path in paths])

    def fetcher(fetch: FetchSettings) -> Fetcher:
        return Fetcher(fetch, transport=PaperHostsToSite(site))

    return execute(
        RunPlan(listings=listings, **plan),  # type: ignore[arg-type]
        allowed,
        run_id=run_id,
        fetcher_factory=fetcher,
    )


def article_hits(site: FixtureSite) -> list[str]:
    return [hit.path.rsplit("/", 1)[-1] for hit in site.hits if hit.path.startswith("/en/article/")]


def test_every_article_once_and_a_rerun_costs_304s(
    site: FixtureSite, live_settings: Settings
) -> None:
    first = run(site, live_settings, LISTINGS, run_id="r1")

    assert sorted(article_hits(site)) == sorted(ALL_ARTICLES), "every article fetched once"
    assert first.stored == len(ALL_ARTICLES)
    assert site.foreign_hits() == []
    assert not [hit for hit in site.hits if hit.path.startswith("/private/")]
    assert [(e.source, e.stage) for e in first.errors] == [(site.url("/private/list"), "discover")]
    assert "robots.txt" in first.errors[0].message
    assert first.discovery is not None
    assert first.discovery.articles_fetched == len(ALL_ARTICLES)
    hits = sorted(site.hits, key=lambda hit: hit.start)
    assert all(a.end <= b.start for a, b in itertools.pairwise(hits)), "one at a time"

    site.hits.clear()
    second = run(site, live_settings, LISTINGS, run_id="r2")
    assert article_hits(site) == [], "nothing new: no article page is fetched"
    assert second.stored == 0
    assert second.discovery is not None
    assert second.discovery.not_modified >= 1, "the unchanged listing answers 304"
    listing = [hit for hit in site.hits if hit.path == "/en/list"]
    assert listing
    assert listing[0].headers.get("if-none-match")
    with Store.open(live_settings.database.url) as store:
        assert store.article_count() == len(ALL_ARTICLES)
        assert sum(1 for _ in store.archived_pages()) == len(ALL_ARTICLES)


def test_bad_responses_are_counted_errors_and_stored_data_stays(
    site: FixtureSite, live_settings: Settings
) -> None:
    run(site, live_settings, ["/en/list"], run_id="good")
    with Store.open(live_settings.database.url) as store:
        before = (store.article_count(), store.ledger_entries())

    report = run(site, live_settings, ["/en/troubled"], run_id="troubled")

    failed = {e.source.rsplit("/", 1)[-1]: e for e in report.errors}
    assert set(failed) == set(TROUBLED), report.errors
    for article_id, error in failed.items():
        assert error.stage in {"fetch", "parse"}, (TROUBLED[article_id], error)
    assert report.stored == 0
    assert site.foreign_hits() == [], "the redirect to a foreign host is not followed"
    with Store.open(live_settings.database.url) as store:
        assert (store.article_count(), store.ledger_entries()) == before

    site.hits.clear()
    run(site, live_settings, ["/en/troubled"], run_id="again")
    listing = [hit for hit in site.hits if hit.path == "/en/troubled"]
    assert "if-none-match" not in listing[0].headers, "validators wait for a clean run"


def test_live_backfill_walks_back_to_the_range_and_sends_one_summary(
    site: FixtureSite,
    live_settings: Settings,
    webhook: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV_APPRISE_URLS, webhook.url())
    alerting = load_settings(live_settings.config_path).model_copy(
        update={"fetch": live_settings.fetch}
    )
    window = DateWindow(date(2025, 6, 9), date(2025, 6, 10))
    report = run(
        site, alerting, ["/en/list"], run_id="b1", window=window, alerts="summary", flow="b"
    )

    assert sorted(article_hits(site)) == sorted(MIDDLE)
    assert report.skipped == {"published after the range": len(NEW)}
    assert report.alerts_enqueued == 0
    assert len(webhook.requests) == 1, "one summary, not one message per item"
    assert report.summary is not None


def test_reparse_reads_the_archive_without_fetching(
    site: FixtureSite, live_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(site, live_settings, ["/en/list"], run_id="r1")
    site.hits.clear()
    renamed = {"Pohang Fixture Alliance": ("Fixture Partner 1 Co.", "Fixture Partner 2 Co.")}
    extract = live_settings.extract.model_copy(update={"aliases": renamed})
    changed = live_settings.model_copy(update={"extract": extract})

    report = run_reparse(changed, run_id="re1")

    assert site.hits == [], "reparse fetches nothing"
    assert report.updated == len(ALL_ARTICLES) - 1, "every listed article (not the feed's)"
    assert report.duplicates == {}, "an article is not a duplicate of itself"
    parties = {p for e in report.changes for p in getattr(e.item, "parties", ())}
    assert "Pohang Fixture Alliance" in parties
    assert report.alerts_enqueued == 0
