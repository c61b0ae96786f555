"""Storage: the article corpus, the ledger and the outbox in one SQLite or PostgreSQL database.

schema.py      the current tables (SQLAlchemy Core)
migrations.py  small recorded migrations that build them
engine.py      engines, SQLite tuning, dialect differences
corpus.py      articles and their URLs
archive.py     the raw archive of fetched pages, listing validators, known ids
reparse_rows.py rewriting stored articles in place after a parser or extractor change
ledger_rows.py ledger entries, mentions and outbox rows
delivery_rows.py targets, claims and delivery rows
repository.py  `Store`, the one door used by the rest of the pipeline
"""

from pohang_watch.store.archive import ArchivedPage, StoredArticle
from pohang_watch.store.delivery_rows import Claim
from pohang_watch.store.repository import RecordOutcome, Store, StoredValidatorCache

__all__ = [
    "ArchivedPage",
    "Claim",
    "RecordOutcome",
    "Store",
    "StoredArticle",
    "StoredValidatorCache",
]
