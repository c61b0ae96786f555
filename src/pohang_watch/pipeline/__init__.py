"""The pipeline as plain functions: read or fetch → parse → relevance → extract → record → tell.

stages.py   batch stages shared by every run (record, deliver, summarise); pages are analysed
            by pohang_watch.analysis, which needs no database and runs on other processes
live.py     the live site: discover links, fetch and archive pages
runs.py     ingest and backfill runs over saved pages and the live site
unchanged.py  saved pages an earlier run judged, skipped before parsing
digest.py   the digest of a period, for `digest` targets
reparse.py  rebuild articles and the ledger from the raw archive and the stored articles

flows/ wraps the stages as Prefect tasks, one task per batch of pages; these functions chain
them without Prefect for the CLI's helpers, scripts and tests.
"""

from pohang_watch.analysis import (
    ProcessedBatch,
    analyse_article,
    analyse_document,
    analyse_source,
    page_error,
    process_sources,
)
from pohang_watch.batching import chunked
from pohang_watch.pipeline.digest import DigestPeriod, digest_period, preview, run_digest
from pohang_watch.pipeline.live import Discovered, discover_links, fetch_articles
from pohang_watch.pipeline.reparse import ReparseStages, reparse_batch, run_reparse
from pohang_watch.pipeline.runs import (
    AlertMode,
    DateWindow,
    IngestStages,
    RunPlan,
    execute,
    plan_sources,
    run_ingest,
)
from pohang_watch.pipeline.stages import (
    BatchProcessor,
    deliver_alerts,
    open_store,
    process_in_order,
    record_batch,
    record_rules,
    send_run_summary,
)

__all__ = [
    "AlertMode",
    "BatchProcessor",
    "DateWindow",
    "DigestPeriod",
    "Discovered",
    "IngestStages",
    "ProcessedBatch",
    "ReparseStages",
    "RunPlan",
    "analyse_article",
    "analyse_document",
    "analyse_source",
    "chunked",
    "deliver_alerts",
    "digest_period",
    "discover_links",
    "execute",
    "fetch_articles",
    "open_store",
    "page_error",
    "plan_sources",
    "preview",
    "process_in_order",
    "process_sources",
    "record_batch",
    "record_rules",
    "reparse_batch",
    "run_digest",
    "run_ingest",
    "run_reparse",
    "send_run_summary",
]
