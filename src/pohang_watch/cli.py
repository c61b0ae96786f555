"""The `pohang-watch` command (contract in DESIGN §5).

Exit status: 0 success; 1 some inputs of `extract` failed (reported per input, after the
others ran); 2 bad usage or configuration; 3 the database or another dependency failed.
`ingest` reports failed pages in its run report and still exits 0 when the run completed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from pohang_watch.config import Settings, load_settings
from pohang_watch.errors import ConfigError, PohangWatchError
from pohang_watch.export import error_to_json, extracted_to_json, ledger_entry_to_json
from pohang_watch.notify import Notifier
from pohang_watch.notify.check import send_test
from pohang_watch.parse.article_ids import KST
from pohang_watch.pipeline import (
    DateWindow,
    analyse_source,
    open_store,
    page_error,
    plan_sources,
    preview,
    run_digest,
)
from pohang_watch.report import render_text
from pohang_watch.sources.saved_pages import list_saved_pages

EXIT_INPUT_FAILED = 1
EXIT_USAGE = 2
EXIT_FAILED = 3


def _print_json(obj: dict[str, Any]) -> None:
    print(json.dumps(obj, ensure_ascii=False), flush=True)


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    """Parse and extract saved pages; print results; touch no database and send nothing."""
    sources, errors = list_saved_pages(args.paths)
    failed = len(errors)
    for error in errors:
        _print_result(args, error=error_to_json(error))
    for source in sources:
        try:
            result = extracted_to_json(analyse_source(source, settings, extract_all=True))
        except Exception as exc:  # reported per input; the other inputs still run
            failed += 1
            _print_result(args, error=error_to_json(page_error(source, exc)))
            continue
        _print_result(args, result=result)
    return EXIT_INPUT_FAILED if failed else 0


def _print_result(
    args: argparse.Namespace,
    *,
    result: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None,
) -> None:
    if args.json:
        _print_json(result or error or {})
    elif error:
        print(f"{error['source']}: error ({error['stage']}): {error['error']}", flush=True)
    elif result:
        article = result["article"]
        about = "about Pohang" if result["about_pohang"] else "not about Pohang"
        print(f"{result['source']}: {article['title']}  [{about}, {result['relevance']}]")
        for item in result["items"]:
            who = item.get("actor") or " + ".join(item.get("parties") or [])
            year = f" (by {item['target_year']})" if item["target_year"] else ""
            print(f"  {item['kind']:<11} {who}: {item['what']}{year} [{item['status']}]")


def _prefect_quietly() -> None:
    """Prefect's usage analytics are opt-in here; the setting must precede Prefect's import."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Run the pohang-ingest Prefect flow on saved pages or the live site.

    A page that fails is data in the run report, not a failed run: a scheduled ingest must not
    turn red for ever because one saved page in its folder is corrupt.
    """
    plan_sources(settings, args.from_paths or [], args.listings or [])  # fails before Prefect
    _prefect_quietly()
    from flows.ingest import ingest_flow  # Prefect is imported only by the flows package

    report = ingest_flow(
        paths=args.from_paths,
        send_alerts=not args.no_send,
        config=args.config,
        listings=args.listings,
    )
    print(render_text(report))
    return 0


def _today_in_korea() -> date:
    return datetime.now(KST).date()


def cmd_backfill(args: argparse.Namespace, settings: Settings) -> int:
    """Run the pohang-backfill flow over a range of publication dates."""
    until = args.until or _today_in_korea()
    DateWindow(args.since, until)  # a reversed range fails here, before Prefect starts
    plan_sources(settings, args.from_paths or [], args.listings or [])
    _prefect_quietly()
    from flows.backfill import DateRange, backfill_flow

    report = backfill_flow(
        dates=DateRange(start=args.since, end=until),
        alerts=args.alerts,
        paths=args.from_paths,
        listings=args.listings,
        config=args.config,
    )
    print(render_text(report))
    return 0


def cmd_reparse(args: argparse.Namespace, settings: Settings) -> int:
    """Run the pohang-reparse flow: rebuild articles and the ledger from what is stored."""
    _prefect_quietly()
    from flows.reparse import reparse_flow

    report = reparse_flow(since=args.since, alerts=args.alerts, config=args.config)
    print(render_text(report))
    return 0


def cmd_ledger(args: argparse.Namespace, settings: Settings) -> int:
    """List every commitment and partnership known, oldest first."""
    with open_store(settings) as store:
        entries = store.ledger_entries()
    for entry in entries:
        if args.kind and entry.kind != args.kind:
            continue
        if args.json:
            _print_json(ledger_entry_to_json(entry))
        else:
            year = f" (by {entry.target_year})" if entry.target_year else ""
            who = entry.actor or " + ".join(entry.parties or ())
            print(
                f"{entry.kind:<11} {entry.status:<9} x{entry.mentions:<3} "
                f"{who}: {entry.what}{year}  [first: {entry.first_seen}]"
            )
    return 0


def cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    """Send (or, with --dry-run, print) the digest of a period to the `digest` targets."""
    if args.dry_run:
        for text in preview(settings, args.since, args.until):
            print(text, end="\n\n")
        return 0
    report = run_digest(settings, args.since, args.until)
    for target in report.targets:
        state = f"failed: {target.error}" if target.error else f"{target.sent} items sent"
        print(f"{target.name}: {state}")
    return EXIT_FAILED if report.errors else 0


def cmd_notify(args: argparse.Namespace, settings: Settings) -> int:
    """`notify --test`: a sample alert to every configured target, each result printed."""
    if not args.test:
        print("pohang-watch notify: nothing to do (use --test)", file=sys.stderr)
        return EXIT_USAGE
    results = send_test(Notifier.from_settings(settings.notify))
    for result in results:
        tags = f" [{', '.join(result.tags)}]" if result.tags else ""
        print(f"{result.name}{tags}: {'ok' if result.error is None else result.error}")
    return EXIT_FAILED if any(result.error for result in results) else 0


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _add_source_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--from",
        dest="from_paths",
        action="append",
        metavar="PATH",
        help="saved pages to read, files or folders (repeatable); replaces the configured sources",
    )
    command.add_argument(
        "--listing",
        dest="listings",
        action="append",
        metavar="URL",
        help="live listing page or feed to read (repeatable), its host allowed for this run; "
        "replaces the configured sources",
    )


def _add_alerts_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--alerts",
        choices=["summary", "none", "each"],
        default="summary",
        help="summary (default): one message with counts and the first new items; none: "
        "record only; each: alert item by item, like ingest",
    )


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Serve every deployment (schedules included) from this one process until stopped."""
    _prefect_quietly()
    from flows.serve import serve_all

    serve_all(limit=args.limit)
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    """Score relevance and extraction on a labelled set; exit 1 when a page failed to load."""
    from pohang_watch.evaluation import render_evaluation, run_evaluation

    result = run_evaluation(args.path, settings)
    print(render_evaluation(result, details=args.details))
    return EXIT_INPUT_FAILED if result.page_errors else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pohang-watch",
        description="Watch The Asia Business Daily for Pohang's commitments and partnerships.",
    )
    parser.add_argument("--config", metavar="FILE", help="config file (default: see README)")
    parser.add_argument("--log-level", default="WARNING", help="logging level (default WARNING)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    extract = commands.add_parser(
        "extract",
        help="parse saved pages and print articles and items (no database, no alerts)",
        description="Parse saved pages (.html, .htm, .txt; a folder means every such file in it) "
        "and print the article, its relevance and the extracted items.",
    )
    extract.add_argument("paths", nargs="+", metavar="PATH")
    extract.add_argument("--json", action="store_true", help="one JSON object per input per line")
    extract.set_defaults(handler=cmd_extract)

    ingest = commands.add_parser(
        "ingest",
        help="run the pohang-ingest flow: store new articles, update the ledger, send alerts",
        description="Run the pohang-ingest Prefect flow: without --from or --listing on the "
        "configured sources (the live site's listings and/or saved pages).",
    )
    _add_source_options(ingest)
    ingest.add_argument(
        "--no-send",
        action="store_true",
        help="record alerts in the outbox without sending them (the next run sends them)",
    )
    ingest.set_defaults(handler=cmd_ingest)

    backfill = commands.add_parser(
        "backfill",
        help="run the pohang-backfill flow: record a range of publication dates, one summary",
        description="Run the pohang-backfill Prefect flow: walk back through the live listings "
        "until --since (or read saved pages, keeping those published in the range; undated "
        "pages are kept and counted), record what is found and send one summary message.",
    )
    backfill.add_argument("--since", type=_date, required=True, metavar="DATE", help="first day")
    backfill.add_argument(
        "--until", type=_date, metavar="DATE", help="last day, included (default: today in Korea)"
    )
    _add_source_options(backfill)
    _add_alerts_option(backfill)
    backfill.set_defaults(handler=cmd_backfill)

    reparse = commands.add_parser(
        "reparse",
        help="run the pohang-reparse flow: re-parse the raw archive, re-extract stored articles",
        description="Run the pohang-reparse Prefect flow after a parser or extractor change: "
        "parse archived pages and re-extract stored articles again, rewrite them in place and "
        "update the ledger, without fetching and without re-alerting what was alerted.",
    )
    reparse.add_argument(
        "--since", type=_date, metavar="DATE", help="only pages fetched or stored from this day"
    )
    _add_alerts_option(reparse)
    reparse.set_defaults(handler=cmd_reparse)

    ledger = commands.add_parser(
        "ledger",
        help="list known commitments and partnerships",
        description="List every ledger entry with its status, target year and mention count.",
    )
    ledger.add_argument("--json", action="store_true", help="one JSON object per entry per line")
    ledger.add_argument("--kind", choices=["commitment", "partnership"], help="only this kind")
    ledger.set_defaults(handler=cmd_ledger)

    _add_alert_commands(commands)

    evaluate = commands.add_parser(
        "eval",
        help="score relevance and extraction against a labelled set",
        description="Precision, recall and F1 for relevance, commitments and partnerships on "
        "a labelled set (each page beside a .labels.json file; see eval/README.md).",
    )
    evaluate.add_argument("path", metavar="PATH", help="a labelled folder, e.g. eval/devset")
    evaluate.add_argument("--details", action="store_true", help="list misses and extras")
    evaluate.set_defaults(handler=cmd_eval)

    serve = commands.add_parser(
        "serve",
        help="serve the pohang-ingest, -digest, -backfill and -reparse deployments",
        description="Serve all deployments from one process: the 30-minute ingest and the "
        "daily digest on their Asia/Seoul schedules, and backfill/reparse on demand from the "
        "Prefect UI. Stop with Ctrl-C or SIGTERM.",
    )
    serve.add_argument(
        "--limit", type=int, default=None, help="most flow runs at once (default: no limit)"
    )
    serve.set_defaults(handler=cmd_serve)
    return parser


def _add_alert_commands(commands: Any) -> None:
    digest = commands.add_parser(
        "digest",
        help="send the digest of a period's new and updated items to the `digest` targets",
        description="Summarise the NEW and UPDATED items of a period (days in Korea, both "
        "included) in digest messages for the targets tagged `digest` (the console when "
        "none). Each target gets each item once: a rerun sends nothing new.",
    )
    digest.add_argument(
        "--since", type=_date, metavar="DATE", help="first day (default: a week ago)"
    )
    digest.add_argument("--until", type=_date, metavar="DATE", help="last day (default: today)")
    digest.add_argument(
        "--dry-run", action="store_true", help="print the whole digest; send and record nothing"
    )
    digest.set_defaults(handler=cmd_digest)

    notify = commands.add_parser(
        "notify",
        help="check the alert targets: `notify --test` sends each a sample alert",
        description="With --test, send a sample alert to every configured target (whatever "
        "its tags) and print, per target, ok or the error. Nothing is recorded.",
    )
    notify.add_argument("--test", action="store_true", help="send the sample alert")
    notify.set_defaults(handler=cmd_notify)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings(args.config)
        return int(args.handler(args, settings))
    except ConfigError as exc:
        print(f"pohang-watch: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except PohangWatchError as exc:
        print(f"pohang-watch: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:
        # The reader went away (`… | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_INPUT_FAILED


if __name__ == "__main__":
    sys.exit(main())
