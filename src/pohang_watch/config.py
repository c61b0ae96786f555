"""Settings: read once at start-up from a TOML file, validated strictly, overridden by env vars.

Where the file comes from, first match wins: the ``--config`` option, ``$POHANG_WATCH_CONFIG``,
``./config/pohang-watch.toml``, the ``config/`` folder of the checkout this package runs from.
With none of them the embedded defaults below apply. Unknown keys are errors naming file and key.
Secrets (webhook URLs, SMTP passwords) come only from the environment.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pohang_watch.errors import ConfigError

CONFIG_FILE_NAME = "pohang-watch.toml"
ENV_CONFIG = "POHANG_WATCH_CONFIG"
ENV_DB_URL = "POHANG_WATCH_DB_URL"
ENV_APPRISE_URLS = "POHANG_WATCH_APPRISE_URLS"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseSettings(_Section):
    url: str = Field(
        default="sqlite:///data/pohang-watch.db",
        description="SQLAlchemy URL; relative SQLite paths are relative to the working folder.",
    )


class ListingSettings(_Section):
    """One live listing page or feed that discovery pages through."""

    url: str
    kind: Literal["html", "feed"] = "html"
    max_pages: int = Field(default=5, ge=1, le=1_000)
    page_parameter: str | None = Field(
        default=None,
        description="Query parameter counting pages (e.g. 'page'), used when no rel=next link.",
    )


class SourceSettings(_Section):
    saved_pages: tuple[str, ...] = Field(
        default=(), description="Files or folders read by `ingest` when no --from is given."
    )
    listings: tuple[ListingSettings, ...] = Field(
        default=(), description="Live listing pages and feeds read by `ingest` without --from."
    )


class FetchSettings(_Section):
    """Politeness and safety limits of every HTTP request pohang-watch makes."""

    user_agent: str = "pohang-watch/0.1 (news monitor; +mailto:pohang-watch@example.org)"
    allowed_hosts: tuple[str, ...] = Field(
        default=("asiae.co.kr",), description="Domains fetched, each with its subdomains."
    )
    delay_seconds: float = Field(default=2.0, ge=0.0, description="Between starts, per host.")
    timeout_seconds: float = Field(default=20.0, gt=0.0)
    max_retries: int = Field(default=3, ge=0, le=10)
    backoff_seconds: float = Field(default=1.0, ge=0.0, description="First retry's base wait.")
    max_wait_seconds: float = Field(
        default=120.0, ge=0.0, description="Longest Retry-After (or Crawl-delay) obeyed."
    )
    max_redirects: int = Field(default=5, ge=0, le=20)
    max_response_bytes: int = Field(default=5_000_000, ge=1_000)
    html_content_types: tuple[str, ...] = ("text/html", "application/xhtml+xml")
    feed_content_types: tuple[str, ...] = (
        "application/rss+xml",
        "application/atom+xml",
        "application/xml",
        "text/xml",
    )


class HtmlSelectors(_Section):
    """Site-specific CSS selectors, tried after standard metadata and before generic fallbacks."""

    body: tuple[str, ...] = (
        "[itemprop=articleBody]",
        "#txt_area",
        ".article-body",
        ".article_body",
        ".article-view",
        "article",
    )
    title: tuple[str, ...] = ("h1",)
    subtitles: tuple[str, ...] = (".subtitle", ".sub-title", ".sub_title", "h2.sub", ".summary")
    captions: tuple[str, ...] = ("figcaption", ".caption", ".photo-caption", ".img_caption")
    byline: tuple[str, ...] = (".byline", ".reporter", "[rel=author]")
    drop: tuple[str, ...] = (
        "script",
        "style",
        "noscript",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "iframe",
        ".share",
        ".sns",
        ".ad",
        ".related",
    )


class ParseSettings(_Section):
    max_page_bytes: int = Field(default=5_000_000, ge=1_000)
    chrome_lines: tuple[str, ...] = (
        "본문 바로가기",
        "bar_progress",
        "Text Size",
        "Close",
        "Special Coverage",
        "Join us on social!",
        "Top",
    )
    copyright_pattern: str = r"^©\s*The Asia Business Daily"
    selectors: HtmlSelectors = HtmlSelectors()


class RelevanceSettings(_Section):
    threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    primary_terms: tuple[str, ...] = ("Pohang", "포항")
    related_terms: tuple[str, ...] = (
        "POSTECH",
        "Pohang University of Science and Technology",
        "Handong Global University",
        "POEX",
        "Yeongil Bay",
        "Yeongilman",
        "Lee Kang-deok",
        "Lee Kangdeok",
        "Lee Gangdeok",
        "Lee Gang-deok",
    )


class ExtractSettings(_Section):
    aliases: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="Canonical entity name → other spellings (romanisations, short/long forms).",
    )
    pohang_bodies: tuple[str, ...] = Field(
        default=(
            "Pohang City",
            "Pohang City Council",
            "POSTECH",
            "Handong Global University",
            "POEX",
        ),
        description="Canonical names that count as the Pohang side of a partnership.",
    )


# Tags with a fixed meaning: item kinds, digests and pipeline health.
RESERVED_TAGS = ("commitment", "partnership", "digest", "ops")


class RouteSettings(_Section):
    """A tag whose targets get the alerts of some kinds and sectors, at most so often."""

    tag: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", description="Tag of the route's targets.")
    kinds: tuple[Literal["commitment", "partnership"], ...] = Field(
        default=(), description="Item kinds routed (empty: every kind)."
    )
    sectors: tuple[str, ...] = Field(default=(), description="Sectors routed (empty: all).")
    min_interval_minutes: int = Field(
        default=0,
        ge=0,
        description="Alerts wait in the outbox until this long after the last send.",
    )

    @field_validator("tag")
    @classmethod
    def _not_reserved(cls, tag: str) -> str:
        if tag in RESERVED_TAGS:
            raise ValueError(f"{tag!r} is a reserved tag ({', '.join(RESERVED_TAGS)})")
        return tag


class MuteSettings(_Section):
    """Items recorded in the ledger but never alerted."""

    phrases: tuple[str, ...] = Field(default=(), description="Words in the item or its title.")
    parties: tuple[str, ...] = Field(default=(), description="Partners whose items are muted.")
    actors: tuple[str, ...] = Field(default=(), description="Actors whose items are muted.")


class NotifySettings(_Section):
    urls: tuple[str, ...] = Field(
        default=(), description="Apprise URLs; prefer $POHANG_WATCH_APPRISE_URLS for secrets."
    )
    config_file: str | None = Field(default=None, description="An apprise config file (tags).")
    max_items_per_message: int = Field(default=20, ge=1, le=200)
    routes: tuple[RouteSettings, ...] = Field(default=(), description="Tags by kind and sector.")
    mute: MuteSettings = MuteSettings()
    ops_after_failures: int = Field(
        default=3, ge=1, le=100, description="Failed sends in a row before ops is told."
    )


class LedgerSettings(_Section):
    """How alike a reworded mention must be to restate or update a ledger entry (0–1)."""

    commitment_similarity: float = Field(default=0.75, ge=0.0, le=1.0)
    partnership_overlap: float = Field(default=0.5, ge=0.0, le=1.0)


class DedupSettings(_Section):
    near_duplicate_threshold: float = Field(
        default=0.8,
        ge=0.5,
        le=1.0,
        description="Word-shingle Jaccard at or above which a new article revises a stored story.",
    )


class PipelineSettings(_Section):
    batch_size: int = Field(default=200, ge=1, le=10_000)


class Settings(_Section):
    database: DatabaseSettings = DatabaseSettings()
    sources: SourceSettings = SourceSettings()
    fetch: FetchSettings = FetchSettings()
    parse: ParseSettings = ParseSettings()
    relevance: RelevanceSettings = RelevanceSettings()
    extract: ExtractSettings = ExtractSettings()
    notify: NotifySettings = NotifySettings()
    ledger: LedgerSettings = LedgerSettings()
    dedup: DedupSettings = DedupSettings()
    pipeline: PipelineSettings = PipelineSettings()
    config_path: str | None = Field(default=None, exclude=True)


def find_config_file(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The config file to use, or None for the embedded defaults."""
    if explicit is not None:
        return Path(explicit)
    if env := os.environ.get(ENV_CONFIG):
        return Path(env)
    candidates = (
        Path.cwd() / "config" / CONFIG_FILE_NAME,
        Path(__file__).resolve().parents[2] / "config" / CONFIG_FILE_NAME,
    )
    return next((path for path in candidates if path.is_file()), None)


def load_settings(explicit: str | os.PathLike[str] | None = None) -> Settings:
    """Read, validate and apply the environment overrides; raise ConfigError naming the fault."""
    path = find_config_file(explicit)
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"{path}: config file not found") from exc
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read config: {exc}") from exc
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe_validation_error(path, exc)) from None
    return _apply_environment(settings, path)


def _describe_validation_error(path: Path | None, exc: ValidationError) -> str:
    where = str(path) if path else "embedded defaults"
    problems = []
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"])
        message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
        problems.append(f"{where}: {key}: {message}")
    return "; ".join(problems)


# Where a new entry starts after a comma: an optional "tag1,tag2=" and a URL scheme.
_ENTRY_START = re.compile(r"^(?:[\w-]+(?:,[\w-]+)*=)?[A-Za-z][\w+.-]*://")


def split_apprise_urls(value: str) -> tuple[str, ...]:
    """Split a space- or comma-separated list of (optionally "tag,tag=") apprise URLs.

    A comma separates entries only after a whole URL and before the next entry, so tag lists
    ("commitment,ops=slack://…") and URL parameters ("?to=a@x.org,b@y.org") stay intact.
    """
    entries: list[str] = []
    for token in value.split():
        current = ""
        for part in token.split(","):
            if "://" in current and _ENTRY_START.match(part):
                entries.append(current)
                current = part
            else:
                current = f"{current},{part}" if current else part
        entries.append(current)
    return tuple(entry.strip(",") for entry in entries if entry.strip(","))


def _apply_environment(settings: Settings, path: Path | None) -> Settings:
    database = settings.database
    if db_url := os.environ.get(ENV_DB_URL):
        database = database.model_copy(update={"url": db_url})
    notify = settings.notify
    if (urls := os.environ.get(ENV_APPRISE_URLS)) is not None:
        notify = notify.model_copy(update={"urls": split_apprise_urls(urls)})
    return settings.model_copy(
        update={
            "database": database,
            "notify": notify,
            "config_path": str(path) if path else None,
        }
    )
