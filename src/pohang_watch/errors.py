"""One error hierarchy for the whole pipeline.

    PohangWatchError
    ├── ConfigError            a configuration file or variable is invalid (names file and key)
    ├── SourceError            a saved page cannot be read (missing, unreadable, too large)
    ├── FetchError             an HTTP fetch failed
    │   ├── TransientFetchError    worth retrying (timeouts, 429, 5xx)
    │   └── PermanentFetchError    not worth retrying (404, disallowed host, robots.txt)
    ├── ParseError             a page cannot be turned into an Article (binary, empty, undecodable)
    ├── StoreError             the database refused or is out of date
    └── NotifyError            an alert target did not accept a message

Stages raise these; a batch stage catches them per item and records them as data, so one bad
page never stops a run.
"""

from __future__ import annotations


class PohangWatchError(Exception):
    """Base of every error pohang-watch raises on purpose."""


class ConfigError(PohangWatchError):
    """Invalid configuration; the message names the file (or variable) and the key."""


class SourceError(PohangWatchError):
    """A saved page could not be read."""


class FetchError(PohangWatchError):
    """An HTTP fetch failed."""


class TransientFetchError(FetchError):
    """A fetch failure that a later retry may cure."""


class PermanentFetchError(FetchError):
    """A fetch failure that retrying will not cure."""


class ParseError(PohangWatchError):
    """A page could not be parsed into an article."""


class StoreError(PohangWatchError):
    """The database could not be read or written as expected."""


class NotifyError(PohangWatchError):
    """A notification target did not accept a message."""
