"""The `pohang-digest` flow: a summary of the period's new and updated items, daily by default.

Each `digest` target (the console when none) gets each alert of the period once — the outbox's
delivery records say what it had — so the flow is idempotent: a rerun, or overlapping runs
after an outage, send nothing twice. Schedule it daily (e.g. cron "0 8 * * *", Asia/Seoul);
without dates it looks back a week, so a day whose digest failed is made up the next day.
"""

from __future__ import annotations

from datetime import date

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from pohang_watch import pipeline
from pohang_watch.config import Settings, load_settings
from pohang_watch.notify import DeliveryReport


@task(name="send-digest", cache_policy=NO_CACHE)
def send_digest_task(settings: Settings, since: date | None, until: date | None) -> DeliveryReport:
    """Send the digest; a target that fails keeps its items for the next digest."""
    return pipeline.run_digest(settings, since, until)


@flow(name="pohang-digest")
def digest_flow(
    since: date | None = None,
    until: date | None = None,
    config: str | None = None,
) -> DeliveryReport:
    """Send the digest of a period's NEW and UPDATED items to the targets tagged `digest`.

    Args:
        since: first day (in Korea) of the period; empty: a week ago (each item is still
            sent to each target only once).
        until: last day of the period, included; empty: today.
        config: path of the config file; empty means the default lookup (see README).
    """
    settings = load_settings(config)
    pipeline.digest_period(since, until)  # a reversed period fails before anything is sent
    report = send_digest_task(settings, since, until)
    lines = [f"- {t.name}: {t.error or f'{t.sent} items sent'}" for t in report.targets]
    create_markdown_artifact(
        key="pohang-digest", markdown="# pohang-digest run\n\n" + "\n".join(lines)
    )
    return report
