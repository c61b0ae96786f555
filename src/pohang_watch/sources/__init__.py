"""Source stage: where pages come from (saved pages on disk here; live fetching elsewhere).

Sources only produce SourceDocuments (raw bytes plus what is known about them); turning them
into Articles is the parse stage's job.
"""

from pohang_watch.sources.saved_pages import (
    SAVED_PAGE_MEDIA_TYPES,
    list_saved_pages,
    read_saved_page,
)

__all__ = ["SAVED_PAGE_MEDIA_TYPES", "list_saved_pages", "read_saved_page"]
