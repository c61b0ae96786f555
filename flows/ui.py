"""What a run shows in the Prefect UI besides its report: a table of ledger changes, and one
Prefect event per change so users can build Automations on them (deploy/automations/).

Event names are ``pohang.<kind>.<new|updated>`` (``pohang.partnership.new``,
``pohang.commitment.updated``); the resource is the ledger entry, the related resource its
article, and the payload the same dict an alert carries (ledger.Alert.to_payload).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from prefect.artifacts import create_table_artifact
from prefect.events import emit_event

from pohang_watch.ledger import ChangeType, LedgerChange, alert_for
from pohang_watch.report import RunReport, describe_item

_NAME_LIMIT = 200  # resource names are labels in the UI's event feed, not the evidence


def change_row(change: LedgerChange) -> dict[str, Any]:
    """One table row: what changed, the item in one line, and where it was read."""
    return {
        "change": change.change.value,
        "kind": change.current.kind.value,
        "item": describe_item(change.item),
        "status": change.current.status,
        "target_year": change.current.target_year,
        "what_changed": "; ".join(change.what_changed),
        "article": change.article_url or change.source,
        "evidence": change.item.evidence,
    }


def publish_changes_table(report: RunReport) -> None:
    """The run's listed ledger changes (the first `LISTED_CHANGES`) as a table artifact, keyed
    by flow like the markdown report; its description says how many more there were."""
    more = report.changes_left_out
    create_table_artifact(
        key=f"{report.flow}-changes",
        table=[change_row(change) for change in report.changes],
        description="Commitments and partnerships this run added or updated"
        + (f" (the first {len(report.changes)}; {more} more in the ledger)" if more else ""),
    )


def event_name(change: LedgerChange) -> str:
    return f"pohang.{change.current.kind.value}.{change.change.value.lower()}"


def change_event(change: LedgerChange) -> dict[str, Any]:
    """The keyword arguments of `emit_event` for one ledger change."""
    entry = change.current
    article = change.article_id or change.content_hash
    return {
        "event": event_name(change),
        "resource": {
            "prefect.resource.id": f"pohang.{entry.kind.value}.{change.key}",
            "prefect.resource.name": describe_item(change.item)[:_NAME_LIMIT],
            "pohang.kind": entry.kind.value,
            "pohang.status": entry.status,
        },
        "related": [
            {
                "prefect.resource.id": f"pohang.article.{article}",
                "prefect.resource.role": "article",
                "prefect.resource.name": change.article_title[:_NAME_LIMIT],
            }
        ],
        "payload": alert_for(change).to_payload(),
    }


def emit_change_events(changes: Iterable[LedgerChange]) -> int:
    """One event per NEW or UPDATED change (RESTATED ones say nothing); returns how many."""
    emitted = 0
    for change in changes:
        if change.change is not ChangeType.RESTATED:
            emit_event(**change_event(change))
            emitted += 1
    return emitted
