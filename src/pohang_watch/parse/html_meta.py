"""Standard page metadata: canonical link, Open Graph and article meta tags, JSON-LD.

These are read before any site-specific markup because they are the one part of a news page
that does not change with a redesign (DESIGN §3). They are read from the lxml tree of the whole
page, before anything is removed (scripts hold the JSON-LD).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any, cast

from bs4 import Tag
from lxml.etree import _Element

from pohang_watch.parse.article_ids import KST
from pohang_watch.parse.cleanup import normalise_space

_SITE_NAMES = (
    "The Asia Business Daily",
    "Asia Business Daily",
    "아시아경제",
    "asiae.co.kr",
    "asiae",
)
_SEPARATORS = r"[-|–—:·»]+"
_ARTICLE_TYPES = re.compile(r"(?:Article|BlogPosting|Report)$")
_JSON_LD_TYPE = re.compile(r"ld\+json", re.IGNORECASE)
_PUBLISHED_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "dc.date.issued",
    "date",
)
_LOOSE_DATE = re.compile(
    r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})\.?(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?"
)


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What the standard metadata says about the page."""

    title: str | None
    self_urls: tuple[str, ...]
    published_at: datetime | None
    byline: str | None
    article_body: str | None  # JSON-LD articleBody, line breaks kept


MAX_JSON_LD_DEPTH = 4


def read_metadata(root: _Element) -> PageMeta:
    """Collect the standard metadata; missing or malformed parts are simply absent."""
    tags = _meta_tags(root)
    ld = _json_ld_article(root)
    site_names = tuple(n for n in (tags.get("og:site_name"), tags.get("application-name")) if n)
    raw_title = tags.get("og:title") or tags.get("twitter:title") or _text(ld.get("headline"))
    published = next((_date(tags[key]) for key in _PUBLISHED_KEYS if key in tags), None)
    return PageMeta(
        title=strip_site_name(raw_title, site_names) if raw_title else None,
        self_urls=tuple(_self_urls(root, tags, ld)),
        published_at=published or _date(_text(ld.get("datePublished") or ld.get("dateCreated"))),
        byline=_author(ld.get("author")) or _byline_tag(tags),
        article_body=body if isinstance(body := ld.get("articleBody"), str) else None,
    )


def strip_site_name(title: str, site_names: tuple[str, ...] = ()) -> str:
    """The title without a " - The Asia Business Daily" / " | 아시아경제" suffix or prefix;
    empty if it is nothing but the site's name."""
    suffix, prefix, whole = _site_name_patterns(site_names)
    title = prefix.sub("", suffix.sub("", normalise_space(title)))
    # A title that is only the site's name (a logo, a bare <title>) names no article.
    return "" if whole.fullmatch(title) else title


@lru_cache(maxsize=64)
def _site_name_patterns(
    site_names: tuple[str, ...],
) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The site name as a suffix, as a prefix and alone, compiled once per page's own names
    (escaping and joining the names cost more than the substitutions)."""
    names = "|".join(re.escape(name) for name in (*site_names, *_SITE_NAMES))
    return (
        re.compile(rf"\s*{_SEPARATORS}\s*(?:{names})\s*$", re.IGNORECASE),
        re.compile(rf"^(?:{names})\s*{_SEPARATORS}\s*", re.IGNORECASE),
        re.compile(names, re.IGNORECASE),
    )


def parse_datetime(value: str) -> datetime | None:
    """An aware datetime from ISO 8601, RFC 2822 or "2025.06.04 13:20" forms; naive means KST."""
    value = value.strip()
    parsed: datetime | None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = _parse_loose_date(value)
    return parsed.replace(tzinfo=KST) if parsed and parsed.tzinfo is None else parsed


def _parse_loose_date(value: str) -> datetime | None:
    match = _LOOSE_DATE.search(value)
    if match is None:
        try:
            return parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    year, month, day, hour, minute, second, offset = match.groups()
    iso = f"{year}-{int(month):02}-{int(day):02}T{int(hour or 0):02}:{minute or '00'}"
    iso += f":{second or '00'}{offset or ''}"
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        return None


def _date(value: str | None) -> datetime | None:
    return parse_datetime(value) if value else None


def _meta_tags(root: _Element) -> dict[str, str]:
    """First content of each <meta property|name|itemprop>, keys lower-cased."""
    found: dict[str, str] = {}
    for tag in root.iter("meta"):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop")
        content = tag.get("content")
        if key and content and content.strip():
            found.setdefault(key.strip().lower(), content.strip())
    return found


def _json_ld_article(root: _Element) -> dict[str, Any]:
    """The first JSON-LD object typed as an article (also inside @graph or lists), else {}."""
    for script in root.iter("script"):
        if not _JSON_LD_TYPE.search(script.get("type") or ""):
            continue
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):
            continue  # malformed (or hostile, deeply nested) JSON-LD; other signals still apply
        for item in _json_ld_items(data):
            types = item.get("@type")
            type_list = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and _ARTICLE_TYPES.search(t) for t in type_list):
                return item
    return {}


def _json_ld_items(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Objects of a JSON-LD document: top level, lists and @graph, a few levels deep at most."""
    if depth > MAX_JSON_LD_DEPTH:
        return
    if isinstance(data, list):
        for entry in data:
            yield from _json_ld_items(entry, depth + 1)
    elif isinstance(data, dict):
        yield data
        yield from _json_ld_items(data.get("@graph"), depth + 1)


def _self_urls(root: _Element, tags: dict[str, str], ld: dict[str, Any]) -> Iterator[str]:
    """URLs the page names for itself: canonical link, og:url, JSON-LD url and mainEntityOfPage."""
    for link in root.iter("link"):
        href = link.get("href")
        if href is not None and "canonical" in (link.get("rel") or "").lower().split():
            yield href.strip()
    if "og:url" in tags:
        yield tags["og:url"]
    for value in (ld.get("url"), ld.get("mainEntityOfPage")):
        url = value.get("@id") or value.get("url") if isinstance(value, dict) else value
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            yield url.strip()


def _author(value: Any) -> str | None:
    if isinstance(value, list):
        names = [name for name in (_author(entry) for entry in value) if name]
        return ", ".join(names) or None
    if isinstance(value, dict):
        value = value.get("name")
    return _text(value)


def _byline_tag(tags: dict[str, str]) -> str | None:
    author = tags.get("author") or tags.get("article:author")
    # article:author is often a profile URL, which is not a byline.
    return author if author and not author.startswith(("http://", "https://")) else None


def _text(value: Any) -> str | None:
    return normalise_space(value) or None if isinstance(value, str) else None


def element_text(element: Tag | _Element) -> str:
    """An element's visible text on one line (comments and processing instructions left out)."""
    if isinstance(element, Tag):
        return normalise_space(element.get_text(" "))
    return normalise_space(" ".join(cast("Iterator[str]", element.itertext())))
