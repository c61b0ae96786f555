"""Saved pages on disk: the files and folders a user points at, read as SourceDocuments.

The one place the parse stage's input touches the file system. Listing and reading report
problems per page (a PageError, a SourceError naming the page) so that one missing or
oversized file never stops a backfill of thousands.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pohang_watch.errors import SourceError
from pohang_watch.models import PageError, SourceDocument

MediaType = Literal["text/html", "text/plain"]

SAVED_PAGE_MEDIA_TYPES: dict[str, MediaType] = {
    ".html": "text/html",
    ".htm": "text/html",
    ".txt": "text/plain",
}
_SUFFIXES = ", ".join(SAVED_PAGE_MEDIA_TYPES)


def list_saved_pages(paths: Iterable[str | Path]) -> tuple[list[str], list[PageError]]:
    """The saved pages named by files and folders, as source names, plus what could not be listed.

    A folder means every .html/.htm/.txt file below it, hidden ones skipped, sorted by path so
    runs are repeatable. Source names keep the path as the user gave it, so messages and the
    JSON output point at something the user recognises.
    """
    sources: list[str] = []
    errors: list[PageError] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found, problems = _pages_in_folder(path)
            sources.extend(found)
            errors.extend(problems)
        elif not path.exists():
            errors.append(PageError(str(given), "read", f"{given}: no such file or folder"))
        elif path.suffix.lower() not in SAVED_PAGE_MEDIA_TYPES:
            message = f"{given}: not a saved page (expected {_SUFFIXES})"
            errors.append(PageError(str(given), "read", message))
        else:
            sources.append(str(given))
    return list(dict.fromkeys(sources)), errors


def _pages_in_folder(folder: Path) -> tuple[list[str], list[PageError]]:
    errors: list[PageError] = []

    def record(exc: OSError) -> None:
        where = exc.filename or str(folder)
        errors.append(PageError(str(where), "read", f"{where}: cannot list: {exc.strerror}"))

    relative: list[Path] = []
    for directory, subfolders, files in os.walk(folder, onerror=record):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        base = Path(directory).relative_to(folder)
        relative.extend(
            base / name
            for name in files
            if not name.startswith(".") and Path(name).suffix.lower() in SAVED_PAGE_MEDIA_TYPES
        )
    return [str(folder / rel) for rel in sorted(relative, key=lambda p: p.parts)], errors


def read_saved_page(source: str, max_bytes: int) -> SourceDocument:
    """Read one saved page; SourceError if it is missing, unreadable or larger than max_bytes.

    The size is checked before reading so that a stray multi-gigabyte file costs nothing.
    """
    path = Path(source)
    media_type = SAVED_PAGE_MEDIA_TYPES.get(path.suffix.lower())
    if media_type is None:
        raise SourceError(f"{source}: not a saved page (expected {_SUFFIXES})")
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise SourceError(f"{source}: not a file")
        if size > max_bytes:
            raise SourceError(f"{source}: too large ({size:,} bytes; the limit is {max_bytes:,})")
        with path.open("rb") as handle:
            content = handle.read(max_bytes + 1)  # the file may have grown since stat
    except FileNotFoundError:
        raise SourceError(f"{source}: no such file") from None
    except OSError as exc:
        raise SourceError(f"{source}: cannot read: {exc.strerror or exc}") from exc
    if len(content) > max_bytes:
        raise SourceError(f"{source}: too large (more than {max_bytes:,} bytes)")
    return SourceDocument(source=source, content=content, media_type=media_type)
