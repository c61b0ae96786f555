"""Bad pages give a clear ParseError naming the reason, from real files on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from pohang_watch.config import ParseSettings
from pohang_watch.errors import ParseError
from pohang_watch.models import Article
from pohang_watch.parse import parse_document
from pohang_watch.sources import read_saved_page

PAGES = Path(__file__).parent / "fixtures" / "pages"
CONFIGURED = PAGES / "configured_selectors.html"


def parse_file(path: Path) -> Article:
    return parse_document(read_saved_page(str(path), 5_000_000), ParseSettings())


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "photo.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01")
    with pytest.raises(ParseError, match=r"binary content \(NUL bytes\)"):
        parse_file(path)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="empty file"):
        parse_file(write(tmp_path, "empty.txt", b""))


def test_undecodable_page_is_refused_not_garbled(tmp_path: Path) -> None:
    noise = bytes(range(0x80, 0x100)) * 16
    path = write(tmp_path, "noise.html", b"<html><body><p>" + noise + b"</p></body></html>")
    with pytest.raises(ParseError, match="cannot decode as UTF-8 or CP949/EUC-KR"):
        parse_file(path)


def test_page_cut_before_its_body_reports_no_body(tmp_path: Path) -> None:
    content = CONFIGURED.read_bytes()
    cut = content[: content.index(b'<div class="article-body"')]
    with pytest.raises(ParseError, match="no body paragraphs found"):
        parse_file(write(tmp_path, "cut.html", cut))


def test_page_cut_inside_its_body_keeps_what_arrived(tmp_path: Path) -> None:
    content = CONFIGURED.read_bytes()
    cut = content[: content.index(b"The city expects the plant") + 40]
    article = parse_file(write(tmp_path, "cut.html", cut))
    assert article.title.startswith("Pohang and Three Hydrogen Firms")
    assert len(article.paragraphs) == 3
    assert article.paragraphs[-1].startswith("The city expects the plant")


def test_page_cut_inside_its_head_reports_no_headline(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="no headline found"):
        parse_file(write(tmp_path, "cut.html", b"<!DOCTYPE html>\n<html><head><meta charset="))


def test_dump_of_chrome_only_reports_no_headline(tmp_path: Path) -> None:
    dump = "본문 바로가기\nbar_progress\n\nText Size\nClose\nTop\n".encode()
    with pytest.raises(ParseError, match="no headline found"):
        parse_file(write(tmp_path, "chrome.txt", dump))


def test_dump_without_body_reports_no_body(tmp_path: Path) -> None:
    dump = b"Pohang Opens Hydrogen Hall\n\nCity Eyes 2030 Target\n"
    with pytest.raises(ParseError, match="no body paragraphs found"):
        parse_file(write(tmp_path, "heads.txt", dump))
