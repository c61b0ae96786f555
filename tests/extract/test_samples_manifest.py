"""The bundled samples against the labelled expectation in samples/MANIFEST.md.

Each R (required) and O (optional) row of the manifest is written here as an expectation:
kind, who (for a commitment the actors a reader would accept, for a partnership the parties as
a set), a short key phrase of `what`, the target year (checked only where the manifest gives
one) and the acceptable statuses. An item matches an expectation when the kind agrees, the
actor is accepted (or the parties are equal as sets), the key phrase is contained in `what`
(case and articles ignored) and year and status agree. Recall is over R rows; precision counts
every extracted item that is some R or O row (kind, who and key phrase: a right item with a
wrong year is a recall miss, not an extra). The manifest's scale "proposed" covers
"suggested or requested", so the extractor's "requested" counts as "proposed"; its
"in_progress" is the extractor's "underway".

Deliberate readings of the manifest, each a design rule of the extractor:
* the Pohang side of a partnership is the acting Pohang body and the Pohang bodies it acts
  with, not every Pohang body in the subject, so that the same relation keeps one ledger key
  when another Pohang body signs along (10-P1 is Pohang City and Fraunhofer IKTS);
* a facility's completion date is filed under the body that reports it when the sentence
  names no builder (02-C1, 12-C1), and "planned" and "underway" are both right for a facility
  under construction that has not opened (01-C9, 11-C2, 12-C1).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pohang_watch.config import ParseSettings, Settings, load_settings
from pohang_watch.extract import extract_items
from pohang_watch.ledger import ChangeType
from pohang_watch.models import Commitment, Item
from pohang_watch.parse import parse_document
from pohang_watch.pipeline import run_ingest
from pohang_watch.sources.saved_pages import read_saved_page
from pohang_watch.store import Store

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

CITY = "Pohang City"
PROVINCE = "Gyeongsangbuk-do"
IKTS = "Fraunhofer IKTS"
KSEP = "Korea South-East Power"
DOOSAN = "Doosan Fuel Cell"
HANSEONG = "Hanseong AI Infrastructure"
NIPA = "National IT Industry Promotion Agency"
KEPCO = "Korea Electric Power Corporation"
KBIA = "Korea Battery Industry Association"
HGU = "Handong Global University"
PLANNED = ("planned",)
FACILITY = ("planned", "underway")
DONE = ("completed",)
DESIGN = "design of secondary battery open innovation center"
CENTER = frozenset({CITY, "POSTECH", IKTS})


@dataclass(frozen=True)
class Expect:
    """One row of the manifest."""

    row: str
    required: bool
    kind: str
    who: frozenset[str]
    phrase: str
    year: int | None = None
    statuses: tuple[str, ...] = PLANNED


def c(
    row: str,
    who: str | set[str] | frozenset[str],
    phrase: str,
    year: int | None = None,
    *,
    statuses: tuple[str, ...] = PLANNED,
    optional: bool = False,
) -> Expect:
    actors = frozenset({who} if isinstance(who, str) else who)
    return Expect(row, not optional, "commitment", actors, phrase, year, statuses)


def p(row: str, parties: set[str], status: str, phrase: str = "", optional: bool = False) -> Expect:
    return Expect(row, not optional, "partnership", frozenset(parties), phrase, None, (status,))


MANIFEST: dict[str, tuple[Expect, ...]] = {
    "01-": (
        c("01-C1", CITY, DESIGN, 2025),
        c("01-C2", CITY, "secure site for"),
        c("01-C3", CITY, "bio-health industry support foundation"),
        c("01-C4", CITY, "smart factory support program"),
        c("01-C5", CITY, "application to host"),
        c("01-C6", CITY, "attract 10 trillion won in investment", 2030),
        c("01-C7", CITY, "share of new industries", 2030),
        c("01-C8", CITY, "industrial crisis response area"),
        c("01-C9", CITY, "complete POEX", 2027, statuses=FACILITY),
        c("01-C10", CITY, "global battery conference"),
        c("01-C11", CITY, "spare no administrative support", optional=True),
        c("01-C12", CITY, "312 billion won", 2025, optional=True),
        p("01-P1", {CITY, "POSTECH"}, "proposed", optional=True),
    ),
    "02-": (
        p("02-P1", {CITY, PROVINCE, KSEP, DOOSAN}, "signed"),
        c("02-C1", {KSEP, DOOSAN, CITY}, "hydrogen fuel cell power plant", 2027, statuses=FACILITY),
        c("02-C2", {KSEP, DOOSAN, CITY}, "construction", 2025, optional=True),
        c("02-C3", {PROVINCE, CITY}, "administrative support for permits"),
        c("02-C3b", {PROVINCE, CITY}, "recruit local workers", optional=True),
        c("02-C4", CITY, "hydrogen refueling network", 2025),
    ),
    "04-": (
        p("04-P1", {CITY, IKTS}, "proposed"),
        p("04-P2", {"POSTECH", IKTS}, "proposed"),
    ),
    "05-": (
        c("05-C1", {CITY, "POSTECH"}, "build Bio Open Innovation Campus", 2029),
        c("05-C2", {CITY, "POSTECH"}, "joint graduate program", 2026),
        c("05-C3", {CITY, "POSTECH"}, "fast-track support"),
        c("05-C4", {CITY, "POSTECH"}, "AI drug discovery platform"),
        c("05-C5", {CITY, "POSTECH"}, "global partner program"),
        c("05-C6", "Verdant Biologics", "antibody contract manufacturing plant", 2028),
        p("05-P1", {CITY, "Verdant Biologics"}, "signed"),
        c("05-C7", "POSTECH", "revised proposal", 2025),
        c("05-C8", CITY, "medical school", statuses=FACILITY, optional=True),
        p("05-P2", {CITY, "POSTECH"}, "agreed", optional=True),
    ),
    "09-": (
        p("09-P1", {CITY, HANSEONG, PROVINCE}, "signed"),
        c("09-C1", HANSEONG, "AI data center", 2028),
        c("09-C2", HANSEONG, "set aside part of computing capacity"),
        p("09-P2", {CITY, KEPCO}, "proposed"),
        c("09-C3", CITY, "waste heat"),
        c("09-C4", CITY, "AI convergence support center", 2026),
        c("09-C5", CITY, "AI hub", optional=True),
    ),
    "10-": (
        p("10-P1", {CITY, IKTS}, "signed"),
        p("10-P2", {"POSTECH", IKTS}, "agreed"),
        c("10-C1", CENTER, "Pohang-Fraunhofer Battery Recycling Research Center", 2026),
        c("10-C2", CITY, "provide building"),
        c("10-C3", IKTS, "send resident researchers"),
        c("10-C4", CENTER, "direct recycling of cathode materials"),
        c("10-C5", CENTER, "dry electrode"),
        c("10-C6", CENTER, "certification of recycled materials"),
        c("10-C7", {"POSTECH", IKTS}, "researcher exchange", 2026),
        c("10-C8", CITY, "Korea-Germany battery recycling forum", 2025),
        c("10-C9", CITY, "support center", optional=True),
    ),
    "11-": (
        c("11-C1", CITY, "host 33rd session", 2028),
        c("11-C2", CITY, "complete POEX", 2027, statuses=FACILITY),
        c("11-C3", CITY, "pre-COP climate week", 2027),
        c("11-C4", CITY, "green mobility network", 2028),
        c("11-C5", CITY, "5,000 hotel rooms", 2028),
        c("11-C6", CITY, "present Pohang's shift"),
        p("11-P1", {CITY, PROVINCE}, "proposed"),
        c("11-C7", CITY, "sign cooperation agreement", 2025, optional=True),
        c("11-C8", CITY, "bring COP33", optional=True),
    ),
    "12-": (
        c("12-C1", {KSEP, DOOSAN, CITY}, "hydrogen fuel cell power plant", 2027, statuses=FACILITY),
        c("12-C2", CITY, "heat supply pipeline", 2028),
        c("12-C3", KSEP, "sell part of"),
        c("12-C4", CITY, "30% of electricity", 2035),
        c("12-C5", CITY, "first two stations", 2025),
        p("12-P1", {CITY, KSEP, DOOSAN}, "signed", optional=True),
    ),
    "13-": (
        p("13-P1", {CITY, PROVINCE, "EcoPro"}, "signed"),
        c("13-C1", "EcoPro", "1.2 trillion won", 2028),
        c("13-C2", "EcoPro", "mass production", 2027),
        c("13-C3", "EcoPro", "hire about 500 new employees"),
        c("13-C4", CITY, "administrative support"),
        c("13-C5", HGU, "secondary battery process engineering track", 2026),
        p("13-P2", {HGU, "EcoPro"}, "agreed"),
        c("13-C6", CITY, "keep its promises", optional=True),
    ),
    "14-": (
        c("14-C1", CITY, "10 trillion won", 2030),
        c("14-U1", CITY, DESIGN, 2025, statuses=DONE),
        c("14-C2", CITY, "open innovation center", 2027),
        c("14-C3", CITY, "International Secondary Battery Expo", 2027),
        c("14-C4", CITY, "30 billion won fund"),
        c("14-C5", CITY, "investment promotion office"),
        c("14-C6", CITY, "detailed investment targets", 2026),
        c("14-C7", CITY, "keep our promises", optional=True),
    ),
    "15-": (
        p("15-P1", {CITY, NIPA, "POSTECH", HGU}, "signed"),
        c("15-C1", {CITY, NIPA, "POSTECH", HGU}, "open Pohang AI Talent Academy", 2026),
        c("15-C2", {CITY, NIPA, "POSTECH", HGU}, "1,000 AI specialists", 2030),
        c("15-C3", "POSTECH", "advanced track"),
        c("15-C4", HGU, "conversion course"),
        c("15-C5", {NIPA, "NIPA"}, "4.5 billion won"),
        c("15-C6", CITY, "dormitory and living costs"),
        c("15-C6b", CITY, "12 million won", optional=True),
        c("15-C7", CITY, "designate academy", 2026),
        p("15-P2", {CITY, "Ministry of Science and ICT"}, "proposed", optional=True),
        c("15-C8", CITY, "AI convergence support center", None, statuses=FACILITY, optional=True),
    ),
    "16-": (
        p("16-P1", {CITY, KBIA}, "proposed"),
        c("16-C1", CITY, "International Secondary Battery Expo", 2027),
        c("16-C2", CITY, "venue and operating costs", optional=True),
    ),
}

_ARTICLES = re.compile(r"\b(?:a|an|the)\s+")


def _plain(text: str) -> str:
    return " ".join(_ARTICLES.sub("", text.casefold().replace("’", "'")).split())


def matches(item: Item, expect: Expect, *, fields: bool = True) -> bool:
    """Whether the item is the expected one; with `fields`, also with its year and status."""
    if item.kind != expect.kind or _plain(expect.phrase) not in _plain(item.what):
        return False
    if isinstance(item, Commitment):
        if item.actor not in expect.who:
            return False
        year_ok = expect.year is None or item.target_year == expect.year
        return not fields or (year_ok and item.status in expect.statuses)
    status = "proposed" if item.status == "requested" else item.status
    return set(item.parties) == expect.who and (not fields or status in expect.statuses)


def _who(item: Item) -> str:
    return item.actor if isinstance(item, Commitment) else " + ".join(item.parties)


def _sample(prefix: str) -> Path:
    (path,) = sorted(SAMPLES.glob(f"{prefix}*"))
    return path


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[Item, ...]]:
    config = load_settings(SAMPLES.parent / "config" / "pohang-watch.toml")
    parse: ParseSettings = config.parse
    found = {}
    for prefix in MANIFEST:
        page = read_saved_page(str(_sample(prefix)), parse.max_page_bytes)
        found[prefix] = extract_items(parse_document(page, parse), config.extract)
    return found


def _pairs(
    extracted: dict[str, tuple[Item, ...]],
) -> Iterator[tuple[str, tuple[Item, ...], tuple[Expect, ...]]]:
    for prefix, expects in MANIFEST.items():
        yield prefix, extracted[prefix], expects


def test_recall_of_required_items(extracted: dict[str, tuple[Item, ...]]) -> None:
    required = [
        (e, items) for _, items, expects in _pairs(extracted) for e in expects if e.required
    ]
    missed = [e.row for e, items in required if not any(matches(i, e) for i in items)]
    recall = 1 - len(missed) / len(required)
    print(f"recall {recall:.2f} ({len(required) - len(missed)}/{len(required)}); missed {missed}")
    assert recall >= 0.9, missed


def test_precision_against_required_and_optional(extracted: dict[str, tuple[Item, ...]]) -> None:
    extras = [
        f"{prefix} {item.kind} {_who(item)}: {item.what}"
        for prefix, items, expects in _pairs(extracted)
        for item in items
        if not any(matches(item, e, fields=False) for e in expects)
    ]
    total = sum(len(items) for _, items, _ in _pairs(extracted))
    precision = 1 - len(extras) / total
    print(f"precision {precision:.2f} ({total - len(extras)}/{total}); extras:")
    print("\n".join(extras))
    assert precision >= 0.8, extras


def test_ingesting_the_samples_restates_and_updates(settings: Settings) -> None:
    """The ledger story of the manifest: restatements merge, the IKTS MOU is an update."""
    report = run_ingest([str(SAMPLES)], settings, run_id="samples")

    updated = [(c.current.parties, c.what_changed) for c in report.changes_of(ChangeType.UPDATED)]
    assert ((CITY, IKTS), ("status: proposed → signed",)) in updated, updated
    assert report.restated >= 3
    with Store.open(settings.database.url) as store:
        entries = store.ledger_entries()
    for what in (
        "complete POEX",
        "complete hydrogen fuel cell power plant",
        "attract 10 trillion won in investment",
    ):
        assert [e.mentions >= 2 for e in entries if e.what == what] == [True], what
    poex = [e for e in entries if e.what == "complete POEX"]
    assert [(e.target_year, e.mentions) for e in poex] == [(2027, 2)]
