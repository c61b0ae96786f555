"""Configured CSS selectors on an lxml tree, compiled once to XPath.

Locating the article runs on the whole page, and a whole news page is 1,000–25,000 elements of
chrome: matching selectors there with soupsieve (pure Python, one pass per selector) cost more
than parsing. XPath runs in libxml2. The CSS that site configurations use is translated:
type and ``*``, ``#id``, ``.class``, attribute tests (``[a]``, ``=``, ``~=``, ``|=``, ``^=``,
``$=``, ``*=``), and the descendant, ``>``, ``+`` and ``~`` combinators. A selector outside that
subset (pseudo-classes, escapes, namespaces) is logged once and skipped, so the generic rules
apply instead; selectors used on the article fragment (captions, byline, subtitles) still run in
soupsieve with full CSS. Bare type selectors use lxml's own walk and bare class selectors one
search over the page's class values (see `_with_class_word`); `element_test` answers for one
element without a walk.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from typing import cast

from lxml import etree
from lxml.etree import _Element

logger = logging.getLogger(__name__)

_IDENT = r"-?[_a-zA-Z][\w-]*"
_TOKEN = re.compile(
    rf"""\s*(?P<combinator>[>+~])\s*
    |(?P<space>\s+)
    |(?P<type>{_IDENT}|\*)
    |\#(?P<id>{_IDENT})
    |\.(?P<cls>{_IDENT})
    |\[\s*(?P<attr>{_IDENT})\s*(?:(?P<op>[~|^$*]?=)\s*
        (?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>{_IDENT}))\s*)?\]""",
    re.VERBOSE,
)
_FIRST_AXIS = "descendant-or-self::"
_AXES = {" ": "//", ">": "/", "~": "/following-sibling::", "+": "+"}


class UnsupportedSelectorError(ValueError):
    """A selector outside the translated CSS subset."""


def select(root: _Element, selectors: Sequence[str], *, ordered: bool = True) -> list[_Element]:
    """Elements matching any of the selectors, in document order, each once; with `ordered`
    false in no particular order and possibly twice (for callers that only drop or test)."""
    compiled = _compiled(tuple(selectors))
    if compiled is None:
        return []
    kinds = (bool(compiled.types), bool(compiled.class_words), compiled.rest is not None)
    if ordered and sum(kinds) > 1:
        return _elements(compiled.whole(root))  # one XPath union: document order, each once
    found: list[_Element] = []
    if compiled.types:  # lxml's own walk, in document order
        found += [el for el in root.iter(*compiled.types) if isinstance(el, _Element)]
    if compiled.class_words:
        found += _with_class_word(root, compiled.class_words)
    if compiled.rest is not None:
        found += _elements(compiled.rest(root))
    return found


def _elements(found: object) -> list[_Element]:
    return [el for el in found if isinstance(el, _Element)] if isinstance(found, list) else []


ElementTest = Callable[[_Element], bool]


def element_test(selectors: Sequence[str]) -> ElementTest | None:
    """Whether an element matches any of the selectors: the same answer as its membership in
    `select`, without a walk of the whole page. None for selectors other than bare types and
    classes, which may depend on the element's surroundings."""
    compiled = _compiled(tuple(selectors))
    if compiled is None:
        return lambda element: False
    if compiled.rest is not None:
        return None
    types, words = frozenset(compiled.types), compiled.class_words

    def test(element: _Element) -> bool:
        if element.tag in types:
            return True
        value = element.get("class") if words else None
        return value is not None and bool(_word_starts(value, words))

    return test


_CLASS_VALUES = etree.XPath("descendant-or-self::*/@class")
_XML_SPACE = frozenset(" \t\n\r")  # what XPath's normalize-space() collapses


def _with_class_word(root: _Element, words: tuple[str, ...]) -> list[_Element]:
    """Elements whose class has one of the words (each free of whitespace), in document order.

    libxml2 copies an attribute's value for every ``contains()`` it runs on it, so four class
    selectors cost four copies per class attribute on the page; here the values are read once,
    joined by newlines (themselves separators, so no word spans two values) and searched with
    ``str.find``.
    """
    found = _CLASS_VALUES(root)
    if not isinstance(found, list):
        return []
    values = cast("list[etree._ElementUnicodeResult]", found)  # each knows its element
    text = "\n".join(values)
    starts = _word_starts(text, words)
    if not starts:
        return []
    ends = list(accumulate(len(value) + 1 for value in values))
    indexes = sorted({bisect_right(ends, start) for start in starts})
    parents = (values[index].getparent() for index in indexes)
    return [el for el in parents if isinstance(el, _Element)]


def _word_starts(text: str, words: tuple[str, ...]) -> list[int]:
    """Where the words stand in the text between XML whitespace or its ends (``str.find``)."""
    starts: list[int] = []
    for word in words:
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            if (at == 0 or text[at - 1] in _XML_SPACE) and (
                end == len(text) or text[end] in _XML_SPACE
            ):
                starts.append(at)
            at = text.find(word, end)
    return starts


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A selector list as one XPath, and split: its bare type selectors (``nav``, ``script``:
    lxml finds them five times faster than XPath), its bare class selectors (``.share``: one
    regular expression over the page's class values, see `_with_class_word`) and the XPath
    of the others (None if none)."""

    whole: etree.XPath
    types: tuple[str, ...]
    class_words: tuple[str, ...]
    rest: etree.XPath | None


@lru_cache(maxsize=256)
def _compiled(selectors: tuple[str, ...]) -> _Compiled | None:
    steps: list[list[_Step]] = []
    for selector in selectors:
        try:
            steps.extend(_parse(selector))
        except UnsupportedSelectorError as exc:
            logger.warning("selector %r skipped: %s", selector, exc)
    if not steps:
        return None
    types = tuple(dict.fromkeys(alt[0].type for alt in steps if _bare_type(alt)))
    words = [word for alt in steps if (word := _class_word(alt)) is not None]
    others = [alt for alt in steps if not _bare_type(alt) and _class_word(alt) is None]
    rest = etree.XPath(_xpath(others)) if others else None
    return _Compiled(etree.XPath(_xpath(steps)), types, tuple(dict.fromkeys(words)), rest)


def _bare_type(steps: list[_Step]) -> bool:
    """A selector that is one type and nothing else (``*`` is not: XPath's ``*`` and lxml's
    walk differ on what counts as an element)."""
    step = steps[0]
    return len(steps) == 1 and step.axis == _FIRST_AXIS and step.type != "*" and not step.predicates


def _class_word(steps: list[_Step]) -> str | None:
    """The word of a selector that is one class test and nothing else (``.share``), else None.
    A word with whitespace in it is left to XPath, where it never matches."""
    test = _lone_attribute_test(steps)
    if test is None or test.attribute != "class" or test.op != "~=" or not test.value:
        return None
    return None if any(char in _XML_SPACE for char in test.value) else test.value


def css_to_xpath(selector: str) -> str:
    """XPath for a CSS selector (a comma list allowed), relative to the document's root."""
    return _xpath(_parse(selector))


def _parse(selector: str) -> list[list[_Step]]:
    return [_complex(part.strip()) for part in selector.split(",")]


def _xpath(alternatives: list[list[_Step]]) -> str:
    """One union of the alternatives. Those that are a bare test of one attribute (``.share``,
    ``#main``, ``[itemprop=x]``) share one visit of that attribute's nodes."""
    paths: list[str] = []
    by_attribute: dict[str, list[str]] = {}
    for steps in alternatives:
        test = _lone_attribute_test(steps)
        if test is None:
            paths.append("".join(step.xpath() for step in steps))
        else:
            by_attribute.setdefault(test.attribute, []).append(test.xpath("."))
    for attribute, tests in by_attribute.items():
        either = " or ".join(tests) if len(tests) > 1 else tests[0]
        paths.append(f"descendant-or-self::*/@{attribute}[{either}]/parent::*")
    return " | ".join(paths)


def _lone_attribute_test(steps: list[_Step]) -> _Test | None:
    """The test of a selector that is one attribute test on any element, else None."""
    if len(steps) != 1:
        return None
    step = steps[0]
    if step.axis != _FIRST_AXIS or step.type != "*" or len(step.predicates) != 1:
        return None
    test = step.predicates[0]
    return test if test.op else None


@dataclass(frozen=True, slots=True)
class _Test:
    """One attribute test of a compound selector, written for either way of reaching the
    attribute: ``@class`` from its element, ``.`` on the attribute node itself."""

    attribute: str
    op: str = ""  # "" for a bare existence test
    value: str = ""

    def xpath(self, reference: str) -> str:
        return _attribute_test(reference, self.op, self.value) if self.op else reference


@dataclass(slots=True)
class _Step:
    """One compound selector and the axis that leads to it from the previous one."""

    axis: str
    type: str = "*"
    predicates: list[_Test] = field(default_factory=list)

    def xpath(self) -> str:
        if self.axis == "+":  # the very next element sibling, whatever its type
            return f"/following-sibling::*[1][self::{self.type}]{_element_tests(self.predicates)}"
        if not self.predicates:
            return f"{self.axis}{self.type}"
        # Attribute first: libxml2 then visits only the attribute nodes of that name and tests
        # them, instead of evaluating a predicate on every element of the page (half the time).
        first, *rest = self.predicates
        own = f"[{first.xpath('.')}]" if first.op else ""
        return f"{self.axis}{self.type}/@{first.attribute}{own}/parent::*{_element_tests(rest)}"


def _element_tests(tests: list[_Test]) -> str:
    return "".join(f"[{test.xpath(f'@{test.attribute}')}]" for test in tests)


def _complex(selector: str) -> list[_Step]:
    """One complex selector: compound selectors joined by combinators."""
    steps: list[_Step] = []
    current: _Step | None = None
    axis, position = _FIRST_AXIS, 0
    while position < len(selector):
        match = _TOKEN.match(selector, position)
        if match is None:
            raise UnsupportedSelectorError(f"unsupported syntax at {selector[position:]!r}")
        position = match.end()
        combinator = match["combinator"] or (" " if match["space"] else None)
        if combinator is not None:
            if current is None:
                raise UnsupportedSelectorError("combinator without a left-hand side")
            steps.append(current)
            current, axis = None, _AXES[combinator]
            continue
        current = current or _Step(axis)
        _add_simple(current, match)
    if current is None:
        raise UnsupportedSelectorError("empty selector or trailing combinator")
    return [*steps, current]


def _add_simple(step: _Step, match: re.Match[str]) -> None:
    if not match["type"]:
        step.predicates.append(_predicate(match))
    elif step.type != "*" or step.predicates:
        raise UnsupportedSelectorError("type selector after another simple selector")
    else:
        step.type = match["type"].lower()


def _predicate(match: re.Match[str]) -> _Test:
    if match["id"]:
        return _checked(_Test("id", "=", match["id"]))
    if match["cls"]:
        return _checked(_Test("class", "~=", match["cls"]))
    value = next((v for v in (match["dq"], match["sq"], match["bare"]) if v is not None), None)
    attribute = match["attr"].lower()
    return _checked(_Test(attribute) if value is None else _Test(attribute, match["op"], value))


def _checked(test: _Test) -> _Test:
    """The test, once it is known to translate (a value with both kinds of quote does not)."""
    test.xpath("@" + test.attribute)
    return test


def _attribute_test(attribute: str, op: str, value: str) -> str:
    literal = _literal(value)
    if op == "=":
        return f"{attribute}={literal}"
    if op == "~=":
        return _has_word(attribute, value) if value and " " not in value else "false()"
    if op == "|=":
        return f"({attribute}={literal} or starts-with({attribute}, {_literal(value + '-')}))"
    if not value:
        return "false()"  # ^= $= *= with an empty value match nothing (CSS Selectors 3)
    if op == "^=":
        return f"starts-with({attribute}, {literal})"
    if op == "$=":
        start = f"string-length({attribute}) - {len(value) - 1}"
        return f"substring({attribute}, {start}) = {literal}"
    return f"contains({attribute}, {literal})"


def _has_word(attribute: str, word: str) -> str:
    """A whitespace-separated word of the attribute; the plain substring test first, as it is
    far cheaper than building the padded string for every element."""
    padded = f"concat(' ', normalize-space({attribute}), ' ')"
    quick = f"contains({attribute}, {_literal(word)})"
    return f"({quick} and contains({padded}, {_literal(' ' + word + ' ')}))"


def _literal(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    raise UnsupportedSelectorError("a value with both kinds of quote")
