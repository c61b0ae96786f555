"""Bytes become text in the right encoding, or a clear ParseError; never mojibake."""

from __future__ import annotations

import pytest

from pohang_watch.errors import ParseError
from pohang_watch.parse.decoding import decode_page

KOREAN = "포항시는 이차전지 특화단지에 기업을 유치하기 위해 설명회를 열었다."


def test_utf8_is_decoded_as_utf8() -> None:
    assert decode_page(KOREAN.encode("utf-8")).text == KOREAN


def test_undeclared_euc_kr_falls_back_to_cp949() -> None:
    decoded = decode_page(KOREAN.encode("euc-kr"))
    assert (decoded.text, decoded.encoding) == (KOREAN, "cp949")


def test_cp949_only_syllables_decode_under_an_euc_kr_declaration() -> None:
    text = "똠방각하 " + KOREAN  # 똠 exists in CP949 but not in EUC-KR
    assert decode_page(text.encode("cp949"), "euc-kr").text == text


def test_page_declaring_utf8_but_holding_euc_kr_bytes_decodes_correctly() -> None:
    page = f'<html><head><meta charset="utf-8"></head><body><p>{KOREAN}</p></body></html>'
    assert KOREAN in decode_page(page.encode("euc-kr"), html=True).text


def test_page_declaring_euc_kr_but_holding_utf8_bytes_decodes_as_utf8() -> None:
    page = f'<meta http-equiv="Content-Type" content="text/html; charset=euc-kr"><p>{KOREAN}</p>'
    decoded = decode_page(page.encode("utf-8"), html=True)
    assert (KOREAN in decoded.text, decoded.encoding) == (True, "utf-8")


def test_http_charset_is_used_for_single_byte_pages() -> None:
    text = "Pohang’s café déjà vu"
    assert decode_page(text.encode("cp1252"), "windows-1252").text == text


def test_wrong_single_byte_declaration_does_not_garble_korean() -> None:
    assert decode_page(KOREAN.encode("euc-kr"), "iso-8859-1").text == KOREAN


def test_file_cut_inside_a_character_still_decodes() -> None:
    text = KOREAN.rstrip(".")  # ends in "다", three bytes in UTF-8
    decoded = decode_page(text.encode("utf-8")[:-1])
    assert (decoded.text, decoded.encoding) == (text[:-1], "utf-8")


def test_byte_order_mark_wins() -> None:
    assert decode_page("Pohang".encode("utf-16")).text == "Pohang"  # BOM, then NUL bytes
    assert decode_page(b"\xef\xbb\xbfPohang").text == "Pohang"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b" \r\n\t ", "empty file"),
        (b"\xef\xbb\xbf", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content (NUL bytes)"),
        (b"PK\x03\x04\x14\x00\x00\x00", "binary content (NUL bytes)"),
        (bytes(range(0x80, 0x100)) * 8, "cannot decode as UTF-8 or CP949/EUC-KR"),
    ],
)
def test_non_text_is_refused_with_the_reason(content: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        decode_page(content)


def test_utf8_bytes_are_kept_only_when_they_are_the_whole_text() -> None:
    text = "포항 “hydrogen” Pohang"
    assert decode_page(text.encode("utf-8")).utf8 == text.encode("utf-8")
    assert decode_page(text.encode("utf-8") + b"\xed").utf8 is None  # a cut-off last character
    assert decode_page(b"\xef\xbb\xbf" + text.encode("utf-8")).utf8 is None  # byte-order mark
    assert decode_page(KOREAN.encode("euc-kr")).utf8 is None
