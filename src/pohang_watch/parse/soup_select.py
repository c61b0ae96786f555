"""The article fragment in BeautifulSoup: built with a parser kept per thread, and the configured
CSS selectors (captions, byline, subtitles) matched by soupsieve on the elements that can match.

Both are about cost, not behaviour. ``BeautifulSoup(html, "lxml")`` makes a new lxml parser for
every document, and inspecting its target's methods is a tenth of building a small fragment;
the builder here keeps one. ``tag.select(css)`` walks the whole fragment and runs soupsieve's
matcher on every element, once per selector; a `FragmentSelector` lists the fragment's tags
once, indexed by type and attribute names, and hands soupsieve only the tags that have what a
selector asks for (its type, a class or id containing the asked-for word, its attributes). The
result is what ``scope.select`` returns on the tree as it is at the time of the call: the same
elements in the same order, soupsieve having the last word on each.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

import soupsieve
from bs4 import BeautifulSoup, Tag
from bs4.builder._lxml import LXMLTreeBuilder
from lxml import etree
from soupsieve import SoupSieve

# The simple CSS a hint understands: type, #id, .class and [attribute] tests, the four
# combinators and comma lists. Anything else (pseudo-classes, escapes, namespaces, attribute
# flags) goes to soupsieve whole.
_IDENT = r"-?[_a-zA-Z][\w-]*"
_HINT_TOKEN = re.compile(
    rf"""\s*(?P<comma>,)\s*
    |\s*(?P<combinator>[>+~])\s*
    |(?P<space>\s+)
    |(?P<type>{_IDENT}|\*)
    |\#(?P<id>{_IDENT})
    |\.(?P<cls>{_IDENT})
    |\[\s*(?P<attr>{_IDENT})\s*(?:[~|^$*]?=\s*(?:"[^"]*"|'[^']*'|{_IDENT})\s*)?\]""",
    re.VERBOSE,
)


class _ReusingBuilder(LXMLTreeBuilder):
    """bs4's lxml HTML builder, keeping its lxml parser from one document to the next."""

    attribute_dict_class: type[dict[Any, Any]]  # set by bs4's TreeBuilder, not in its stubs

    def __init__(self) -> None:
        super().__init__()
        self._parser: Any = None

    def initialize_soup(self, soup: BeautifulSoup) -> None:
        # The per-document state a new builder starts with (namespace stacks).
        self.nsmaps = [self.DEFAULT_NSMAPS_INVERTED]
        self.active_namespace_prefixes = [dict(self.DEFAULT_NSMAPS)]
        super().initialize_soup(soup)

    def start(self, tag: Any, attrib: Any, nsmap: Any = None) -> None:
        """bs4's `start`, without its namespace bookkeeping when no namespace is in play (HTML
        has none; else bs4's own): the same Tag, made with a fifth less work."""
        if nsmap or len(self.nsmaps) > 1 or "{" in tag or "{" in "".join(attrib):
            super().start(tag, attrib, nsmap or {})
            return
        assert self.soup is not None
        attributes = self.attribute_dict_class(attrib)
        namespaces = self.active_namespace_prefixes[-1]
        self.soup.handle_starttag(tag, None, None, attributes, namespaces=namespaces)

    def end(self, tag: Any) -> None:
        """bs4's `end`, likewise."""
        if len(self.nsmaps) > 1 or "{" in tag:
            super().end(tag)
            return
        assert self.soup is not None
        self.soup.endData()
        self.soup.handle_endtag(tag, None)

    def parser_for(self, encoding: Any) -> Any:
        if self._parser is None or encoding is not None:
            parser = etree.HTMLParser(
                target=self,
                recover=True,
                huge_tree=bool(getattr(self, "huge_tree", False)),
                encoding=encoding,
            )
            if encoding is not None:
                return parser
            self._parser = parser
        return self._parser


_local = threading.local()


def fragment_soup(html: str) -> BeautifulSoup:
    """``BeautifulSoup(html, "lxml")``, with this thread's builder."""
    builder = getattr(_local, "builder", None)
    if builder is None or builder.soup is not None:  # first use, or a parse that failed
        builder = _local.builder = _ReusingBuilder()
    return BeautifulSoup(html, builder=builder)


@dataclass(frozen=True, slots=True)
class _Hint:
    """What an element must have to match one complex selector: the tests of its last compound
    selector, lower-cased (looser than soupsieve, never stricter)."""

    type: str | None
    words: tuple[tuple[str, str], ...]  # (attribute, text its value must contain)
    attributes: tuple[str, ...]  # attributes it must have


class FragmentSelector:
    """``scope.select(css)`` for a fragment, on the candidates a hint allows (see the module).

    Tags are listed when this is made; one taken out of the tree since then no longer counts.
    Nothing may be added to the tree meanwhile.
    """

    def __init__(self, scope: BeautifulSoup | Tag) -> None:
        self.scope = scope
        self._tags: list[Tag] = []
        self._attributes: list[dict[str, str]] = []
        self._names: list[str] = []
        self._by_type: dict[str, list[int]] = {}
        self._by_attribute: dict[str, list[int]] = {}
        for element in scope.descendants:
            if not isinstance(element, Tag):
                continue
            position = len(self._tags)
            name = _ascii_lower(element.name)
            attributes = _lowered_attributes(element)
            self._tags.append(element)
            self._names.append(name)
            self._attributes.append(attributes)
            self._by_type.setdefault(name, []).append(position)
            for attribute in attributes:
                self._by_attribute.setdefault(attribute, []).append(position)
        # soupsieve does not enter a <template> below the scope: such fragments go to it whole.
        self._simple = "template" not in self._by_type

    def select(self, selectors: str) -> list[Tag]:
        compiled = self._compiled(selectors)  # bad CSS raises here, as in select()
        hints = _hints(selectors) if self._simple else None
        if hints is None:
            return list(compiled.select(self.scope))
        found: set[int] = set()
        for hint in hints:
            found.update(i for i in self._pool(hint) if self._passes(i, hint))
        candidates = [self._tags[i] for i in sorted(found) if self._attached(self._tags[i])]
        return list(compiled.filter(candidates)) if candidates else []

    def select_one(self, selector: str) -> Tag | None:
        return next(iter(self.select(selector)), None)

    def _compiled(self, selectors: str) -> SoupSieve:
        namespaces = cast("dict[str, str]", self.scope._namespaces)  # as bs4's select passes
        return _compile(selectors, tuple(namespaces.items()))

    def _pool(self, hint: _Hint) -> Iterable[int]:
        if hint.words:
            return self._by_attribute.get(hint.words[0][0], ())
        if hint.attributes:
            return self._by_attribute.get(hint.attributes[0], ())
        if hint.type is not None:
            return self._by_type.get(hint.type, ())
        return range(len(self._tags))

    def _passes(self, position: int, hint: _Hint) -> bool:
        if hint.type is not None and self._names[position] != hint.type:
            return False
        attributes = self._attributes[position]
        for name in hint.attributes:
            if name not in attributes:
                return False
        return all(word in attributes.get(name, "") for name, word in hint.words)

    def _attached(self, tag: Tag) -> bool:
        parent = tag.parent
        while parent is not None:
            if parent is self.scope:
                return True
            parent = parent.parent
        return False


@lru_cache(maxsize=64)
def _compile(selectors: str, namespaces: tuple[tuple[str, str], ...]) -> SoupSieve:
    """What ``Tag.select`` compiles: the selector with the soup's namespace prefixes."""
    return soupsieve.compile(selectors, dict(namespaces))


@lru_cache(maxsize=64)
def _hints(selectors: str) -> tuple[_Hint, ...] | None:
    """One hint per selector of a comma list; None when the list is outside the simple CSS."""
    if not selectors.isascii():
        return None
    hints: list[_Hint] = []
    compound: list[re.Match[str]] = []
    position, text = 0, selectors.strip()
    while position < len(text):
        match = _HINT_TOKEN.match(text, position)
        if match is None or (match["type"] and compound):
            return None  # unknown syntax, or a type selector that does not come first
        position = match.end()
        if match["comma"] or match["combinator"] or match["space"]:
            if not compound:
                return None
            if match["comma"]:
                hints.append(_hint(compound))
            compound = []
        else:
            compound.append(match)
    if not compound:
        return None
    return (*hints, _hint(compound))


def _hint(compound: list[re.Match[str]]) -> _Hint:
    words: list[tuple[str, str]] = []
    attributes: list[str] = []
    element_type = None
    for match in compound:
        if match["type"]:
            element_type = None if match["type"] == "*" else match["type"].lower()
        elif match["id"]:
            words.append(("id", match["id"].lower()))
        elif match["cls"]:
            words.append(("class", match["cls"].lower()))
        else:
            attributes.append(match["attr"].lower())
    return _Hint(element_type, tuple(words), tuple(attributes))


def _lowered_attributes(tag: Tag) -> dict[str, str]:
    """Attribute names lower-cased as soupsieve compares them (ASCII letters only; the first of
    names that fold together), values joined and lower-cased."""
    lowered: dict[str, str] = {}
    for name, value in tag.attrs.items():
        text = " ".join(value) if isinstance(value, list) else (value or "")
        lowered.setdefault(_ascii_lower(name), text.lower())
    return lowered


def _ascii_lower(text: str) -> str:
    return text.lower() if text.isascii() else text
