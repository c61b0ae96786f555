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
_AXES = {" ": "//", ">": "/", "~": "/following-sibling::", "+": "+"}


class UnsupportedSelectorError(ValueError):
    """A selector outside the translated CSS subset."""


def select(root: HtmlElement, selectors: Sequence[str]) -> list[HtmlElement]:
    """Elements matching any of the selectors, in document order, each once."""
    xpath = _compiled(tuple(selectors))
    found = xpath(root) if xpath is not None else []
    return [el for el in found if isinstance(el, HtmlElement)] if isinstance(found, list) else []


@lru_cache(maxsize=256)
def _compiled(selectors: tuple[str, ...]) -> etree.XPath | None:
    steps: list[list[_Step]] = []
    for selector in selectors:
        try:
            steps.extend(_parse(selector))
        except UnsupportedSelectorError as exc:
            logger.warning("selector %r skipped: %s", selector, exc)
    return etree.XPath(_xpath(steps)) if steps else None


def css_to_xpath(selector: str) -> str:
    """XPath for a CSS selector (a comma list allowed), relative to the document's root."""
    return _xpath(_parse(selector))


def _parse(selector: str) -> list[list[_Step]]:
    return [_complex(part.strip()) for part in selector.split(",")]


def _xpath(alternatives: list[list[_Step]]) -> str:
    return " | ".join("".join(step.xpath() for step in steps) for steps in alternatives)


@dataclass(slots=True)
class _Step:
    """One compound selector and the axis that leads to it from the previous one."""

    axis: str
    type: str = "*"
    predicates: list[str] = field(default_factory=list)

    def xpath(self) -> str:
        tests = "".join(f"[{predicate}]" for predicate in self.predicates)
        if self.axis == "+":  # the very next element sibling, whatever its type
            return f"/following-sibling::*[1][self::{self.type}]{tests}"
        return f"{self.axis}{self.type}{tests}"


def _complex(selector: str) -> list[_Step]:
    """One complex selector: compound selectors joined by combinators."""
    steps: list[_Step] = []
    current: _Step | None = None
    axis, position = "descendant-or-self::", 0
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


def _predicate(match: re.Match[str]) -> str:
    if match["id"]:
        return f"@id={_literal(match['id'])}"
    if match["cls"]:
        return _has_word("@class", match["cls"])
    attribute = "@" + match["attr"].lower()
    value = next((v for v in (match["dq"], match["sq"], match["bare"]) if v is not None), None)
    if value is None:
        return attribute
    return _attribute_test(attribute, match["op"], value)


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
