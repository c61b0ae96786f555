"""Storage: the article corpus, the ledger and the outbox in one SQLite or PostgreSQL database.

schema.py      the current tables (SQLAlchemy Core)
migrations.py  small recorded migrations that build them
engine.py      engines, SQLite tuning, dialect differences
corpus.py      articles and their URLs
archive.py     the raw archive of fetched pages, listing validators, known ids
reparse_rows.py rewriting stored articles in place after a parser or extractor change
story_rows.py  near-duplicate stories found by LSH bands (an indexed lookup, never a scan)
ledger_rows.py ledger entries (loaded by match group), mentions and outbox rows
outbox_rows.py pending alerts per target, and the alerts of a period (digests)
delivery_rows.py targets, claims and delivery rows
health_rows.py target health: consecutive failures, what ops was told, the last send
migration_3.py near-duplicates, match groups, UPDATED evidence, target health
judged_rows.py saved pages judged by earlier runs (skipped when unchanged)
migration_4.py ledger match buckets; migration_5.py judged saved pages
migration_6.py near-duplicate signatures of the articles stored before it
repository.py  `Store`, the one door used by the rest of the pipeline
validator_cache.py listing validators behind discovery's ValidatorCache
"""

from pohang_watch.store.archive import ArchivedPage, StoredArticle
from pohang_watch.store.delivery_rows import Claim
from pohang_watch.store.health_rows import TargetHealth
from pohang_watch.store.repository import RecordOutcome, RecordRules, Store
from pohang_watch.store.validator_cache import StoredValidatorCache

__all__ = [
    "ArchivedPage",
    "Claim",
    "RecordOutcome",
    "RecordRules",
    "Store",
    "StoredArticle",
    "StoredValidatorCache",
    "TargetHealth",
]
