"""The run report: what an ingest read, skipped, stored and changed — as data, text and markdown.

The CLI prints the text form; the Prefect flow publishes the markdown form as an artifact.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pohang_watch.ledger import ChangeType, LedgerChange
from pohang_watch.models import Commitment, Item, PageError

if TYPE_CHECKING:
    from pohang_watch.notify import DeliveryReport
    from pohang_watch.pipeline import ProcessedBatch
    from pohang_watch.store import RecordOutcome


@dataclass(frozen=True, slots=True)
class DiscoveryCounts:
    """What the live listings gave: pages read, unchanged (304), and article pages fetched."""

    listing_pages: int = 0
    not_modified: int = 0
    articles_found: int = 0
    articles_fetched: int = 0


# NEW and UPDATED changes a report lists in full; past them a run only counts (a backfill of
# 100,000 pages finds hundreds of thousands, all in the ledger and the outbox anyway).
LISTED_CHANGES = 1_000


@dataclass(frozen=True, slots=True)
class RunReport:
    pages_seen: int
    stored: int
    not_about_pohang: tuple[str, ...]
    duplicates: dict[str, int]
    errors: tuple[PageError, ...]
    changes: tuple[LedgerChange, ...]  # NEW and UPDATED only, the first LISTED_CHANGES
    alerts_enqueued: int
    delivery: DeliveryReport | None
    flow: str = "pohang-ingest"
    discovery: DiscoveryCounts | None = None  # None: no live listing was read
    skipped: dict[str, int] = field(default_factory=dict)  # reason → pages left out
    undated: int = 0  # kept by a date range although their date is unknown
    updated: int = 0  # stored articles rewritten in place (reparse)
    revisions: int = 0  # new articles that republish or lightly edit a stored story
    restated: int = 0  # mentions that restate a ledger entry unchanged (counted, not kept)
    summary: DeliveryReport | None = None  # the one message a backfill or reparse sends
    new_left_out: int = 0  # NEW changes past LISTED_CHANGES: counted, not listed
    updated_left_out: int = 0  # UPDATED changes past LISTED_CHANGES

    def changes_of(self, change: ChangeType) -> list[LedgerChange]:
        """The listed changes of one type."""
        return [c for c in self.changes if c.change is change]

    def count_of(self, change: ChangeType) -> int:
        """All the run's changes of one type, listed or not."""
        left_out = {ChangeType.NEW: self.new_left_out, ChangeType.UPDATED: self.updated_left_out}
        return len(self.changes_of(change)) + left_out.get(change, 0)

    @property
    def changes_left_out(self) -> int:
        return self.new_left_out + self.updated_left_out


@dataclass(slots=True)
class RunTally:
    """A run's results folded in batch by batch, so a backfill of 100,000 pages keeps counts,
    sources and the first LISTED_CHANGES NEW/UPDATED changes, never its articles, its
    restatements or the changes past those."""

    pages_seen: int = 0
    stored: int = 0
    not_about_pohang: list[str] = field(default_factory=list)
    duplicates: Counter[str] = field(default_factory=Counter)
    errors: list[PageError] = field(default_factory=list)
    changes: list[LedgerChange] = field(default_factory=list)
    restated: int = 0
    left_out: Counter[ChangeType] = field(default_factory=Counter)
    alerts_enqueued: int = 0
    updated: int = 0
    revisions: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    undated: int = 0
    discovery: DiscoveryCounts | None = None

    def add(self, batch: ProcessedBatch, outcome: RecordOutcome) -> None:
        self.not_about_pohang += (a.source for a in batch.not_about_pohang)
        self.errors += batch.errors
        self.stored += outcome.stored
        self.duplicates.update(outcome.duplicates)
        self.alerts_enqueued += outcome.alerts_enqueued
        self.updated += outcome.updated
        self.revisions += outcome.revisions
        for change in outcome.changes:
            if change.change is ChangeType.RESTATED:
                self.restated += 1
            elif len(self.changes) < LISTED_CHANGES:
                self.changes.append(change)
            else:
                self.left_out[change.change] += 1

    def report(self, *, flow: str, delivery: DeliveryReport | None) -> RunReport:
        return RunReport(
            flow=flow,
            discovery=self.discovery,
            skipped=dict(self.skipped),
            undated=self.undated,
            updated=self.updated,
            revisions=self.revisions,
            pages_seen=self.pages_seen,
            stored=self.stored,
            not_about_pohang=tuple(self.not_about_pohang),
            duplicates=dict(self.duplicates),
            errors=tuple(self.errors),
            changes=tuple(self.changes),
            restated=self.restated,
            alerts_enqueued=self.alerts_enqueued,
            delivery=delivery,
            new_left_out=self.left_out[ChangeType.NEW],
            updated_left_out=self.left_out[ChangeType.UPDATED],
        )


def describe_item(item: Item) -> str:
    """One line naming an item: who, what, when, in what state."""
    year = f" (by {item.target_year})" if item.target_year else ""
    if isinstance(item, Commitment):
        return f"{item.actor}: {item.what}{year} [{item.status}]"
    parties = " + ".join(item.parties)
    return f"{parties}: {item.partnership_kind} — {item.what}{year} [{item.status}]"


def counts_line(report: RunReport) -> str:
    """Pages read, stored, duplicate, off-topic and failed, in one line."""
    duplicates = sum(report.duplicates.values())
    detail = ", ".join(f"{k} {v}" for k, v in sorted(report.duplicates.items()))
    rewritten = f"{report.updated} stored articles re-extracted, " if report.updated else ""
    revised = f" ({report.revisions} revisions of stored stories)" if report.revisions else ""
    return (
        f"{report.pages_seen} pages read, {rewritten}{report.stored} new articles stored"
        f"{revised}, "
        f"{duplicates} duplicates{f' ({detail})' if detail else ''}, "
        f"{len(report.not_about_pohang)} not about Pohang, "
        f"{len(report.errors)} error{'' if len(report.errors) == 1 else 's'}"
    )


def ledger_counts(report: RunReport) -> str:
    """How many ledger items were new, updated and restated."""
    new, updated = (report.count_of(kind) for kind in (ChangeType.NEW, ChangeType.UPDATED))
    restated = report.restated
    return f"ledger: {new} new, {updated} updated, {restated} restated"


def ledger_line(report: RunReport) -> str:
    """The ledger counts and how many alerts were queued."""
    return f"{ledger_counts(report)}; {report.alerts_enqueued} alerts enqueued"


def _more_line(report: RunReport) -> str:
    return (
        f"… and {report.changes_left_out} more new or updated items, not listed "
        "(see `pohang-watch ledger`)"
    )


def _delivery_line(delivery: DeliveryReport | None) -> str:
    if delivery is None:
        return "alerts: not sent this run (they stay pending in the outbox)"
    parts = [
        f"{t.name}: {t.sent} sent, {t.failed} failed"
        + (f", {t.busy} being sent by another run" if t.busy else "")
        + (f", {t.waiting} waiting for the route's interval" if t.waiting else "")
        for t in delivery.targets
    ]
    return "alerts: " + ("; ".join(parts) if parts else "nothing pending")


def _source_lines(report: RunReport) -> list[str]:
    """Listing pages and article pages of a live run, pages left out, undated pages kept."""
    lines = []
    if found := report.discovery:
        lines.append(
            f"listings: {found.listing_pages} pages read, {found.not_modified} not modified; "
            f"{found.articles_found} new articles found, {found.articles_fetched} fetched"
        )
    if report.skipped:
        detail = ", ".join(f"{reason} {n}" for reason, n in sorted(report.skipped.items()))
        lines.append(f"skipped: {detail}")
    if report.undated:
        lines.append(f"undated pages kept: {report.undated}")
    return lines


def _summary_line(summary: DeliveryReport) -> str:
    parts = [f"{t.name}: {'sent' if t.sent else 'failed'}" for t in summary.targets]
    return "summary message: " + ("; ".join(parts) if parts else "no target takes summaries")


def render_text(report: RunReport) -> str:
    """The plain-text summary the CLI prints after a run."""
    lines = [counts_line(report), *_source_lines(report)]
    lines += [f"  error  {e.source} ({e.stage}): {e.message}" for e in report.errors]
    lines.append(ledger_line(report))
    for change in report.changes:
        lines.append(
            f"  {change.change.value:<8} {change.item.kind:<11} {describe_item(change.item)}"
        )
        lines += [f"           {what}" for what in change.what_changed]
    if report.changes_left_out:
        lines.append(f"  {_more_line(report)}")
    lines.append(_delivery_line(report.delivery))
    if report.delivery:
        lines += [f"  failed {t.name}: {t.error}" for t in report.delivery.targets if t.error]
    if report.summary:
        lines.append(_summary_line(report.summary))
        lines += [f"  failed {t.name}: {t.error}" for t in report.summary.targets if t.error]
    return "\n".join(lines)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def _md(text: str) -> str:
    """Article text as inert markdown: no links, images, tables or HTML it did not ask for."""
    flat = " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def render_markdown(report: RunReport) -> str:
    """The run summary published as a Prefect artifact."""
    lines = [f"# {report.flow} run", "", counts_line(report), ""]
    lines += [line for text in _source_lines(report) for line in (_md(text), "")]
    lines += [ledger_line(report), ""]
    if report.errors:
        lines += ["## Errors", "", "| page | stage | error |", "|---|---|---|"]
        lines += [f"| {_md(e.source)} | {e.stage} | {_md(e.message)} |" for e in report.errors]
        lines.append("")
    if report.not_about_pohang:
        lines += ["## Skipped: not about Pohang", ""]
        lines += [f"- {_md(source)}" for source in report.not_about_pohang]
        lines.append("")
    if report.changes:
        lines += ["## New and updated items", ""]
        for change in report.changes:
            link = change.article_url or change.source
            lines.append(
                f"- **{change.change.value}** {_md(describe_item(change.item))} — {_md(link)}"
            )
            lines += [f"  - {_md(what)}" for what in change.what_changed]
            lines.append(f"  - > {_md(change.item.evidence)}")
        if report.changes_left_out:
            lines.append(f"- {_md(_more_line(report))}")
        lines.append("")
    lines.append(_delivery_line(report.delivery))
    if report.summary:
        lines += ["", _md(_summary_line(report.summary))]
    return "\n".join(lines)
