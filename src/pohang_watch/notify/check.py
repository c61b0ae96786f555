"""`pohang-watch notify --test`: one sample alert to every target, each result reported.

The sample is not an outbox row: it checks URLs, credentials and formatting without touching
what is pending. Every target gets it whatever its tags, so each route is exercised.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from pohang_watch.alerts import Alert, ChangeType
from pohang_watch.errors import NotifyError
from pohang_watch.models import ItemKind
from pohang_watch.notify.render import render_alerts
from pohang_watch.notify.targets import Notifier

SAMPLE = Alert(
    change=ChangeType.UPDATED,
    kind=ItemKind.PARTNERSHIP,
    key="partnership|pohang city,sample partner|mou",
    actor=None,
    what="MOU on a sample battery recycling centre",
    parties=("Pohang City", "Sample Partner"),
    partnership_kind="mou",
    status="signed",
    target_year=None,
    amount_text=None,
    sector="battery",
    what_changed=("status: discussed → signed",),
    evidence="Pohang City and Sample Partner signed the MOU on the 30th (a test of pohang-watch).",
    article_id=None,
    article_url="https://www.asiae.co.kr/en/article/2025073014000000000",
    article_title="pohang-watch test alert",
    source="pohang-watch notify --test",
    published_at=datetime(2025, 7, 30, 5, 0, tzinfo=UTC),
    previous_status="discussed",
    previous_evidence="Pohang City and Sample Partner discussed an MOU (a test of pohang-watch).",
    previous_url="https://www.asiae.co.kr/en/article/2025040214000000000",
    previous_at=datetime(2025, 4, 2, 5, 0, tzinfo=UTC),
)


@dataclass(frozen=True, slots=True)
class TestResult:
    name: str
    tags: tuple[str, ...]
    error: str | None  # None: the target accepted the message

    __test__ = False  # not a pytest class


def send_test(notifier: Notifier) -> list[TestResult]:
    """Send the sample alert to each target; one failure does not stop the others."""
    message = render_alerts([SAMPLE])
    message = replace(message, title=f"[test] {message.title}")
    results = []
    for target in notifier.targets:
        try:
            target.send(message)
            error = None
        except NotifyError as exc:
            error = str(exc)
        results.append(TestResult(target.name, tuple(sorted(target.tags)), error))
    return results
