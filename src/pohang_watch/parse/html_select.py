"""Configured CSS selectors on an lxml tree, compiled once to XPath.

Locating the article runs on the whole page, and a whole news page is 1,000–25,000 elements of
chrome: matching selectors there with soupsieve (pure Python, one pass per selector) cost more
than parsing. XPath runs in libxml2. The CSS that site configurations use is translated:
type and ``*``, ``#id``, ``.class``, attribute tests (``[a]``, ``=``, ``~=``, ``|=``, ``^=``,
``$=``, ``*=``), and the descendant, ``>``, ``+`` and ``~`` combinators. A selector outside that
subset (pseudo-classes, escapes, namespaces) is logged once and skipped, so the generic rules
apply instead; selectors used on the article fragment (captions, byline, subtitles) still run in
soupsieve with full CSS.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

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


def select(
    root: HtmlElement, selectors: Sequence[str], *, ordered: bool = True
) -> list[HtmlElement]:
    """Elements matching any of the selectors, in document order, each once; with `ordered`
    false in no particular order and possibly twice (for callers that only drop or test)."""
    compiled = _compiled(tuple(selectors))
    if compiled is None:
        return []
    if compiled.rest is None:  # type selectors only: lxml's own walk, in document order
        return [el for el in root.iter(*compiled.types) if isinstance(el, HtmlElement)]
    if ordered or not compiled.types:
        return _elements(compiled.whole(root))
    by_type = [el for el in root.iter(*compiled.types) if isinstance(el, HtmlElement)]
    return by_type + _elements(compiled.rest(root))


def _elements(found: object) -> list[HtmlElement]:
    return [el for el in found if isinstance(el, HtmlElement)] if isinstance(found, list) else []


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A selector list as one XPath, and split: its bare type selectors (``nav``, ``script``:
    lxml finds them five times faster than XPath) and the XPath of the others (None if none)."""

    whole: etree.XPath
    types: tuple[str, ...]
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
    bare = [alt for alt in steps if _bare_type(alt)]
    others = [alt for alt in steps if not _bare_type(alt)]
    types = tuple(dict.fromkeys(alt[0].type for alt in bare))
    rest = etree.XPath(_xpath(others)) if others else None
    return _Compiled(etree.XPath(_xpath(steps)), types, rest)


def _bare_type(steps: list[_Step]) -> bool:
    """A selector that is one type and nothing else (``*`` is not: XPath's ``*`` and lxml's
    walk differ on what counts as an element)."""
    step = steps[0]
    return len(steps) == 1 and step.axis == _FIRST_AXIS and step.type != "*" and not step.predicates


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
