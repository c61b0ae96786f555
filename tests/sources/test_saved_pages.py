"""Listing and reading saved pages: per-page errors, repeatable order, size limit before reading."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pohang_watch.errors import SourceError
from pohang_watch.models import PageError
from pohang_watch.sources import SAVED_PAGE_MEDIA_TYPES, list_saved_pages, read_saved_page


def touch(path: Path, content: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    root = tmp_path / "inbox"
    for name in ("b.html", "a.txt", "sub/c.htm", "sub/deeper/d.TXT", "notes.md", "image.png"):
        touch(root / name)
    touch(root / ".hidden.html")
    touch(root / ".cache" / "e.html")
    return root


def test_folder_lists_saved_pages_recursively_sorted_and_skips_hidden(inbox: Path) -> None:
    sources, errors = list_saved_pages([inbox])
    relative = [Path(source).relative_to(inbox).as_posix() for source in sources]
    assert relative == ["a.txt", "b.html", "sub/c.htm", "sub/deeper/d.TXT"]
    assert errors == []


def test_sources_keep_the_path_as_given(inbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(inbox.parent)
    sources, _ = list_saved_pages(["inbox/", "inbox/sub/c.htm"])
    assert sources[:2] == [os.path.join("inbox", "a.txt"), os.path.join("inbox", "b.html")]
    assert "inbox/sub/c.htm" in sources


def test_files_are_listed_once_in_the_order_given(inbox: Path) -> None:
    b, a = str(inbox / "b.html"), str(inbox / "a.txt")
    assert list_saved_pages([b, a, b]) == ([b, a], [])


def test_missing_path_and_wrong_suffix_are_errors_not_exceptions(inbox: Path) -> None:
    missing, notes = str(inbox / "gone.html"), str(inbox / "notes.md")
    sources, errors = list_saved_pages([missing, inbox / "a.txt", notes])
    assert sources == [str(inbox / "a.txt")]
    assert [(error.source, error.stage) for error in errors] == [
        (missing, "read"),
        (notes, "read"),
    ]
    assert "no such file or folder" in errors[0].message
    assert ".html, .htm, .txt" in errors[1].message
    assert all(isinstance(error, PageError) for error in errors)


def test_empty_folder_lists_nothing(tmp_path: Path) -> None:
    assert list_saved_pages([tmp_path]) == ([], [])


@pytest.mark.parametrize(("suffix", "media_type"), sorted(SAVED_PAGE_MEDIA_TYPES.items()))
def test_read_gives_bytes_and_media_type(tmp_path: Path, suffix: str, media_type: str) -> None:
    path = touch(tmp_path / f"page{suffix}", "포항 <p>".encode("cp949"))
    doc = read_saved_page(str(path), max_bytes=1_000)
    assert (doc.source, doc.content, doc.media_type) == (
        str(path),
        "포항 <p>".encode("cp949"),
        media_type,
    )
    assert (doc.url, doc.charset) == (None, None)


def test_too_large_file_is_refused_naming_the_source(tmp_path: Path) -> None:
    path = touch(tmp_path / "huge.html", b"a" * 2_001)
    with pytest.raises(
        SourceError, match=r"huge\.html: too large \(2,001 bytes; the limit is 2,000\)"
    ):
        read_saved_page(str(path), max_bytes=2_000)


def test_file_at_the_limit_is_read(tmp_path: Path) -> None:
    path = touch(tmp_path / "edge.txt", b"a" * 2_000)
    assert len(read_saved_page(str(path), max_bytes=2_000).content) == 2_000


def test_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"gone\.txt: no such file"):
        read_saved_page(str(tmp_path / "gone.txt"), max_bytes=1_000)


def test_folder_with_a_page_suffix_is_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "odd.html").mkdir()
    with pytest.raises(SourceError, match=r"odd\.html: not a file"):
        read_saved_page(str(tmp_path / "odd.html"), max_bytes=1_000)


def test_other_suffix_is_refused(tmp_path: Path) -> None:
    path = touch(tmp_path / "page.pdf")
    with pytest.raises(SourceError, match="not a saved page"):
        read_saved_page(str(path), max_bytes=1_000)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions")
def test_unreadable_file_is_a_source_error(tmp_path: Path) -> None:
    path = touch(tmp_path / "secret.html")
    path.chmod(0)
    try:
        with pytest.raises(SourceError, match=r"secret\.html: cannot read: Permission denied"):
            read_saved_page(str(path), max_bytes=1_000)
    finally:
        path.chmod(0o644)
