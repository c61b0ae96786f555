"""Listing validators kept in the database, behind discovery's `ValidatorCache` protocol."""

from __future__ import annotations

from pohang_watch.sources.http import Validators
from pohang_watch.store.repository import Store


class StoredValidatorCache:
    """Listing validators kept in the database: `sources.discovery.ValidatorCache`."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, url: str) -> Validators | None:
        return self._store.listing_validators(url)

    def put(self, url: str, validators: Validators) -> None:
        self._store.save_listing_validators(url, validators)
