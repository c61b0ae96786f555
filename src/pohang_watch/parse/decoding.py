"""Bytes to text, refusing what is not text and never guessing into mojibake.

Korean sites still serve EUC-KR, and saved pages often keep a charset declaration that no
longer matches their bytes (a browser re-saves as UTF-8 but keeps ``charset=euc-kr``, or the
reverse). So a declaration is a hint, not a fact: bytes that are valid UTF-8 are UTF-8 (other
encodings almost never produce valid multi-byte UTF-8 by chance); otherwise the declared
charset, then CP949 (a superset of EUC-KR), then charset-normalizer's guess are tried, and a
result that reads as mojibake is rejected rather than passed on as paragraphs.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

from pohang_watch.errors import ParseError

# How "messy" a decoded text may look (charset-normalizer's measure; its own cut-off is 0.2).
_MAX_MESS = 0.2
# Enough text to judge the decoding without measuring a whole multi-megabyte page.
_MESS_SAMPLE_CHARS = 20_000
_META_SCAN_BYTES = 4096
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([a-z0-9_.:-]+)", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG treats these labels as their supersets; decoding with the subset would fail or garble.
_SUPERSETS = {
    "euc_kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "x-windows-949": "cp949",
    "windows-949": "cp949",
    "uhc": "cp949",
    "latin_1": "cp1252",
    "ascii": "cp1252",
}


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Decoded page text and the encoding that produced it (for logs and tests)."""

    text: str
    encoding: str
    # The page's bytes when they are exactly the text in UTF-8: lxml parses them as they are,
    # where the text would be converted back first.
    utf8: bytes | None = None


def decode_page(content: bytes, declared: str | None = None, *, html: bool = False) -> DecodedText:
    """Decode a page; raise ParseError for empty, binary or undecodable content.

    ``declared`` is the HTTP charset; for HTML the ``<meta>`` charset is read when it is absent.
    """
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            return _decode_with_bom(content[len(bom) :], encoding)
    _refuse_non_text(content)
    if declared is None and html:
        declared = _meta_charset(content)
    for encoding in _candidate_encodings(declared):
        text = _decode_strict(content, encoding)
        if text is not None and encoding == "utf-8":
            # An ASCII last byte: no cut-off character was left out of the text.
            return DecodedText(text, encoding, content if content[-1] < 0x80 else None)
        if text is not None and not _looks_garbled(text):
            return DecodedText(text, encoding)
    guess = from_bytes(content).best()
    if guess is not None and not _looks_garbled(str(guess)):
        return DecodedText(str(guess), guess.encoding)
    hint = f" (declared {declared})" if declared else ""
    raise ParseError(f"cannot decode as UTF-8 or CP949/EUC-KR{hint}")


def _decode_with_bom(content: bytes, encoding: str) -> DecodedText:
    if not content.strip(b"\x00 \t\r\n"):
        raise ParseError("empty file")
    text = _decode_strict(content, encoding)
    if text is None:
        raise ParseError(f"cannot decode as {encoding} despite its byte-order mark")
    return DecodedText(text, encoding)


def _refuse_non_text(content: bytes) -> None:
    if not content.strip():
        raise ParseError("empty file")
    if b"\x00" in content:
        raise ParseError("binary content (NUL bytes)")


def _meta_charset(content: bytes) -> str | None:
    match = _META_CHARSET.search(content[:_META_SCAN_BYTES])
    return match.group(1).decode("ascii") if match else None


def _candidate_encodings(declared: str | None) -> list[str]:
    """UTF-8 first (its validity is strong evidence), then the declared charset, then CP949."""
    candidates = ["utf-8"]
    normalised = _normalise_label(declared) if declared else None
    if normalised and normalised not in candidates:
        candidates.append(normalised)
    if "cp949" not in candidates:
        candidates.append("cp949")
    return candidates


def _normalise_label(label: str) -> str | None:
    label = label.strip().lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return _SUPERSETS.get(label)
    if name in {"utf-8", "utf_8"}:
        return "utf-8"
    return _SUPERSETS.get(name, _SUPERSETS.get(label, name))


def _decode_strict(content: bytes, encoding: str) -> str | None:
    """Strict decoding that forgives one incomplete character at the very end (a cut-off file)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        text: str = decoder.decode(content, final=False)
    except UnicodeDecodeError:
        return None
    return text


def _looks_garbled(text: str) -> bool:
    return "\ufffd" in text or mess_ratio(text[:_MESS_SAMPLE_CHARS], _MAX_MESS) >= _MAX_MESS
