"""Text-dump rules: chrome, subtitles, captions and copyright, whatever the line spacing."""

from __future__ import annotations

from pathlib import Path

from pohang_watch.config import ParseSettings
from pohang_watch.models import Article, SourceDocument
from pohang_watch.parse import parse_document
from pohang_watch.parse.cleanup import is_sentence, strip_headline_prefix

PAGES = Path(__file__).parent / "fixtures" / "pages"
WITH_CHROME = PAGES / "2025041110150099887_hydrogen_tram.txt"
HEADLINE = "Pohang Opens Hydrogen Hall... City Eyes 2030 Export Target"


def parse_dump(text: str, source: str = "dump.txt") -> Article:
    doc = SourceDocument(source=source, content=text.encode("utf-8"), media_type="text/plain")
    return parse_document(doc, ParseSettings())


def test_blank_lines_do_not_change_the_article() -> None:
    spaced = WITH_CHROME.read_text("utf-8")
    packed = "\n".join(line for line in spaced.splitlines() if line.strip())
    crlf = spaced.replace("\n", "\r\n")
    expected = parse_dump(spaced)
    assert parse_dump(packed) == expected
    assert parse_dump(crlf) == expected


def test_dump_without_chrome_gives_the_same_article() -> None:
    text = WITH_CHROME.read_text("utf-8")
    without_chrome = text[text.index("Pohang Picks Route") :].removesuffix("Top")
    assert parse_dump(without_chrome) == parse_dump(text)


def test_subtitles_stop_at_the_first_sentence() -> None:
    article = parse_dump(f"{HEADLINE}\nDeck One\nDeck Two\nThe city opened it on the 3rd.\n")
    assert article.subtitles == ("Deck One", "Deck Two")
    assert article.paragraphs == ("The city opened it on the 3rd.",)


def test_at_most_four_subtitles() -> None:
    decks = "\n".join(f"Deck {n}" for n in range(1, 7))
    article = parse_dump(f"{HEADLINE}\n{decks}\nThe hall opened on the 3rd.\n")
    assert article.subtitles == ("Deck 1", "Deck 2", "Deck 3", "Deck 4")
    assert article.paragraphs[:2] == ("Deck 5", "Deck 6")


def test_long_line_without_full_stop_is_body_not_subtitle() -> None:
    cut_paragraph = "The city said the hall would host " + "forums and fairs " * 15
    article = parse_dump(f"{HEADLINE}\n{cut_paragraph}\n")
    assert article.subtitles == ()
    assert article.paragraphs == (cut_paragraph.strip(),)


def test_caption_matches_a_retypeset_headline() -> None:
    headline = 'Mayor Says "Hydrogen Is Next"... Hall Opens'
    retyped = "Mayor Says “Hydrogen  Is Next”… Hall Opens"
    text = f"{headline}\nThe hall opened on the 3rd.\n{retyped}   Visitors tour it.\n"
    article = parse_dump(text)
    assert article.captions == ("Visitors tour it.",)
    assert article.paragraphs == ("The hall opened on the 3rd.",)


def test_line_repeating_only_the_headline_is_dropped() -> None:
    article = parse_dump(f"{HEADLINE}\nThe hall opened on the 3rd.\n{HEADLINE}\n")
    assert article.paragraphs == ("The hall opened on the 3rd.",)
    assert article.captions == ()


def test_copyright_line_and_everything_after_it_are_dropped() -> None:
    text = (
        f"{HEADLINE}\nThe hall opened on the 3rd.\n"
        "© The Asia Business Daily (www.asiae.co.kr). All rights reserved.\n"
        "Most read: another story entirely.\n"
    )
    assert parse_dump(text).paragraphs == ("The hall opened on the 3rd.",)


def test_tail_chrome_is_dropped_without_a_copyright_line() -> None:
    text = f"{HEADLINE}\nThe hall opened on the 3rd.\n\nSpecial Coverage\nJoin us on social!\nTop"
    assert parse_dump(text).paragraphs == ("The hall opened on the 3rd.",)


def test_article_url_in_the_dump_identifies_the_article() -> None:
    url = "https://cm.asiae.co.kr/en/article/2024010203040512345"
    article = parse_dump(f"{url}\n{HEADLINE}\nThe hall opened on the 3rd.\n")
    assert article.title == HEADLINE
    assert article.article_id == "2024010203040512345"
    assert article.url == "https://www.asiae.co.kr/en/article/2024010203040512345"
    assert article.published_at is not None
    assert article.published_at.isoformat() == "2024-01-02T03:04:05+09:00"


def test_dump_without_url_or_id_has_no_identity() -> None:
    article = parse_dump(f"{HEADLINE}\nThe hall opened on the 3rd.\n", source="notes/dump-7.txt")
    assert (article.article_id, article.url, article.published_at) == (None, None, None)


def test_sentence_rule() -> None:
    assert is_sentence("He said so.")
    assert is_sentence('He said, "We will."')
    assert is_sentence("Will it work?”")
    assert not is_sentence('Mayor: "Hydrogen Is Next"')
    assert not is_sentence("Visit to the Faculty:")
    assert not is_sentence("Pohang Bets on Batteries...")


def test_headline_prefix_needs_a_word_boundary() -> None:
    assert strip_headline_prefix("Pohang Hall opens", "Pohang Hall") == "opens"
    assert strip_headline_prefix("Pohang Hallmark opens", "Pohang Hall") is None
    assert strip_headline_prefix("Pohang Hall", "Pohang Hall") == ""
