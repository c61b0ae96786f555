"""Storage: the article corpus, the ledger and the outbox in one SQLite or PostgreSQL database.

schema.py      the current tables (SQLAlchemy Core)
migrations.py  small recorded migrations that build them
engine.py      engines, SQLite tuning, dialect differences
corpus.py      articles and their URLs
ledger_rows.py ledger entries, mentions and outbox rows
delivery_rows.py targets, claims and delivery rows
repository.py  `Store`, the one door used by the rest of the pipeline
"""

from pohang_watch.store.delivery_rows import Claim
from pohang_watch.store.repository import RecordOutcome, Store

__all__ = ["Claim", "RecordOutcome", "Store"]
