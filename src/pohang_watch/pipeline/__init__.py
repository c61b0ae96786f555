"""The pipeline as plain functions: read or fetch → parse → relevance → extract → record → tell.

stages.py   batch stages shared by every run (analyse, record, deliver, summarise)
live.py     the live site: discover links, fetch and archive pages
runs.py     ingest and backfill runs over saved pages and the live site
reparse.py  rebuild articles and the ledger from the raw archive and the stored articles

flows/ wraps the stages as Prefect tasks, one task per batch of pages; these functions chain
them without Prefect for the CLI's helpers, scripts and tests.
"""

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
    ProcessedBatch,
    analyse_article,
    analyse_document,
    analyse_source,
    chunked,
    deliver_alerts,
    page_error,
    process_sources,
    record_batch,
    send_run_summary,
)

__all__ = [
    "AlertMode",
    "DateWindow",
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
    "discover_links",
    "execute",
    "fetch_articles",
    "page_error",
    "plan_sources",
    "process_sources",
    "record_batch",
    "reparse_batch",
    "run_ingest",
    "run_reparse",
    "send_run_summary",
]
