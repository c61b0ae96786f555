"""The HTTP vocabulary of the live source: responses as frozen records, and header parsing.

Kept apart from the Fetcher so discovery, the raw archive and the parser can take a
``FetchedPage`` without caring how it was fetched; no I/O happens here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal

from pohang_watch.models import SourceDocument
from pohang_watch.parse.decoding import decode_page

PageKind = Literal["html", "feed"]  # what a URL is expected to serve: pages or RSS/Atom


@dataclass(frozen=True, slots=True)
class Validators:
    """What a conditional request sends so an unchanged page costs a 304, not a download."""

    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """One successful response, with what the raw archive and the parser need."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int
    content: bytes
    content_type: str | None
    charset: str | None  # declared in Content-Type; the parser also reads <meta>
    etag: str | None
    last_modified: str | None
    date: str | None
    retry_after: str | None
    fetched_at: datetime  # aware, UTC
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sha256", hashlib.sha256(self.content).hexdigest())

    @property
    def media_type(self) -> str:
        return media_type(self.content_type)

    @property
    def headers(self) -> dict[str, str]:
        """The headers worth archiving, lower-case names, absent ones left out."""
        values = {
            "content-type": self.content_type,
            "etag": self.etag,
            "last-modified": self.last_modified,
            "date": self.date,
            "retry-after": self.retry_after,
        }
        return {name: value for name, value in values.items() if value is not None}

    @property
    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified)

    def text(self) -> str:
        """The decoded body (header charset, <meta>, UTF-8, CP949, detector); ParseError if not."""
        return decode_page(self.content, self.charset, html=True).text

    def to_source_document(self) -> SourceDocument:
        """The page as input for the parse stage."""
        return SourceDocument(
            source=self.final_url,
            content=self.content,
            media_type="text/html",
            url=self.final_url,
            charset=self.charset,
        )


@dataclass(frozen=True, slots=True)
class NotModified:
    """A 304: the page is unchanged since the validators were taken."""

    url: str
    final_url: str
    validators: Validators
    fetched_at: datetime


def media_type(content_type: str | None) -> str:
    """The Content-Type without its parameters, lower-case; "" when there is none."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def parse_retry_after(value: str | None, date: str | None = None) -> float | None:
    """Seconds to wait from a Retry-After of delay-seconds or an HTTP date; None if unusable.

    An HTTP date is measured from the response's own Date header when there is one, so a
    server whose clock differs from ours still gets the wait it meant.
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    until = _http_date(value)
    if until is None:
        return None
    now = _http_date(date) if date else None
    return max(0.0, (until - (now or datetime.now(UTC))).total_seconds())


def _http_date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
