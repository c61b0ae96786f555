"""Article ids and URLs of The Asia Business Daily's English edition.

One article id is one article, whatever host or path names it (DESIGN §3), so every URL form
reduces to the id and back to one canonical URL. The id starts with the publication time in
Korea Standard Time, which gives a publication time even for pages without date metadata.
Pure helpers: live-site discovery reuses them to find article links on listing pages.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

KST = timezone(timedelta(hours=9), "KST")

# Any asiae.co.kr host (www., cm., view., bare), scheme optional so protocol-relative links match.
# Forms: /en/article/<id>, /en/article/<section>/<id>, /en/print.htm?…idxno=<id>.
ARTICLE_URL_PATTERN = re.compile(
    r"(?:https?:)?//(?:[a-z0-9-]+\.)*asiae\.co\.kr/en/"
    r"(?:article/(?:[a-z][\w-]*/)*(?P<id>\d{17,19})"
    r"|print\.htm\?(?:[^#\s\"'<>]*?&)?idxno=(?P<print_id>\d{17,19}))"
    r"(?!\d)",
    re.IGNORECASE,
)

_ID_PATTERN = re.compile(r"\d{17,19}")
_ID_IN_NAME = re.compile(r"(?<!\d)(\d{17,19})(?!\d)")
_TIME_FIELDS = ((0, 4), (4, 6), (6, 8), (8, 10), (10, 12), (12, 14))
_CANONICAL_BASE = "https://www.asiae.co.kr/en/article/"


def article_id_from_url(url: str) -> str | None:
    """The article id named by an article URL of the English edition, else None."""
    match = ARTICLE_URL_PATTERN.search(url)
    if match is None:
        return None
    return match.group("id") or match.group("print_id")


def canonical_article_url(article_id: str) -> str:
    """The one URL used for an article, so every host and path form compares equal."""
    return _CANONICAL_BASE + article_id


def published_at_from_id(article_id: str) -> datetime | None:
    """The KST publication time encoded in the id's leading YYYYMMDDHHMMSS; None if invalid."""
    if not _ID_PATTERN.fullmatch(article_id):
        return None
    # Sliced by hand: strptime's one-or-two-digit fields would misread "13" as month 1, day 3….
    year, month, day, hour, minute, second = (int(article_id[a:b]) for a, b in _TIME_FIELDS)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=KST)
    except ValueError:
        return None


def article_id_from_name(name: str) -> str | None:
    """An id embedded in a file name, accepted only if it starts with a valid time.

    File names carry all sorts of numbers; requiring a real timestamp keeps a random 17-digit
    number from becoming an article id.
    """
    for candidate in _ID_IN_NAME.findall(name):
        if published_at_from_id(candidate) is not None:
            return str(candidate)
    return None
