"""Cheap necessary conditions for the rule tables' regular expressions.

Python's `re` tries a pattern at every position of a text, and a pattern that opens with `\\b`,
`\\s*`, a look-behind or an alternation (most of ours) gets no help from the literal words in
it: each costs a few microseconds per sentence even where it cannot match, and a sentence meets
some eighty of them. `required_literals` reads a pattern with `re`'s own parser and gives a set
of strings one of which every match contains; `Hinted` wraps a compiled pattern and answers
"no match" at once when none of them is in the text (an `in` test costs tens of nanoseconds).
Where a match is possible the pattern runs as before, so results are unchanged.

Case-sensitive parts are looked for as written; case-insensitive ones in folded text (`fold`):
lower case, with the four non-ASCII letters that `re.IGNORECASE` takes for ASCII ones turned
into them. A pattern the analysis does not understand simply gets no hint.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator, Sequence
from typing import Any

_FOLD_FIXES = (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"), ("\u212a", "k"))
_MAX_CLASS_LITERALS = 8
_MAX_HINTS = 32
_MAX_SPELLINGS = 64
# A hint this long is rare enough in a sentence; beyond it, fewer hints are worth more.
_LONG_ENOUGH = 7


def fold(text: str) -> str:
    """Lower case, with the few non-ASCII letters that `re.IGNORECASE` matches to an ASCII letter
    (dotted and dotless i, long s, the Kelvin sign) replaced by it."""
    if not text.isascii():
        for odd, plain in _FOLD_FIXES:
            if odd in text:
                text = text.replace(odd, plain)
    return text.lower()


# A hint: a string, and whether it is to be found as written (a case-sensitive part of the
# pattern) or in the folded text.
Hint = tuple[str, bool]


def required_literals(pattern: str | re.Pattern[str]) -> frozenset[Hint] | None:
    """Hints one of which every match of the pattern satisfies: ``(text, True)`` is in the text
    as written, ``(text, False)`` in its `fold`. None when no such set is known."""
    source = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
    flags = pattern.flags if isinstance(pattern, re.Pattern) else 0
    try:
        parser = importlib.import_module("re._parser")  # re's own parser (Python 3.11+)
        parsed = parser.parse(source, flags)
        found = _sequence(list(parsed), parser, bool(parsed.state.flags & re.IGNORECASE))
    except Exception:  # a parser that changed gives no hint rather than an error
        return None
    return _without_redundant(max(found, key=_score)) if found else None


def _sequence(
    items: Sequence[tuple[Any, Any]], parser: Any, ignorecase: bool
) -> list[frozenset[Hint]]:
    """Sets of hints one of which every match of a sequence of parsed items satisfies: the
    strings a stretch of it can match ("is set to" | "are going to" for ``(?:is|are) (?:set|
    going) to``, or a shorter stretch), and what the groups it always contains require."""
    candidates: list[frozenset[Hint]] = []
    run: frozenset[str] | None = None

    def consider(spelled: frozenset[str]) -> None:
        if spelled and len(spelled) <= _MAX_HINTS and all(spelled):
            candidates.append(frozenset(_hint(text, ignorecase) for text in spelled))

    for op, value in items:
        if op in _zero_width(parser):
            continue  # consumes nothing: the strings on either side are adjacent
        spelled = _spellings(op, value, parser, ignorecase)
        if spelled is not None:
            consider(spelled)  # the item alone
            joined = spelled if run is None else _joined(run, spelled)
            if run is not None:
                consider(run)  # the run before it
            run = spelled if joined is None else joined  # too many combinations: start anew
        elif run is not None:
            consider(run)
            run = None
        # What a group requires inside, when its spellings are too many or unknown.
        if op is parser.SUBPATTERN:
            _group, add, remove, sub = value
            inner = (ignorecase or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
            candidates.extend(_sequence(list(sub), parser, inner))
        elif op is parser.BRANCH:
            candidates.extend(_alternatives(value[1], parser, ignorecase))
        elif op in _repeats(parser) and value[0] >= 1:
            candidates.extend(_sequence(list(value[2]), parser, ignorecase))
        # anything else (classes, back-references) requires no known literal
    if run is not None:
        consider(run)
    return candidates


def _alternatives(branches: Sequence[Any], parser: Any, ignorecase: bool) -> list[frozenset[Hint]]:
    """One hint set per branch, joined: each branch's best, except that the branch with the
    most hints falls back to a smaller set of its own while the whole is over `_MAX_HINTS`."""
    options = [_sequence(list(branch), parser, ignorecase) for branch in branches]
    if not all(options):
        return []
    chosen = [max(found, key=_score) for found in options]
    while sum(len(found) for found in chosen) > _MAX_HINTS:
        largest = max(range(len(chosen)), key=lambda i: len(chosen[i]))
        smaller = [found for found in options[largest] if len(found) < len(chosen[largest])]
        if not smaller:
            return []
        chosen[largest] = max(smaller, key=_score)
    return [frozenset().union(*chosen)]


def _spellings(op: Any, value: Any, parser: Any, ignorecase: bool) -> frozenset[str] | None:
    """Every string one item can match, when they are few and literal (case-insensitive
    letters only if ASCII); None otherwise."""
    if op is parser.LITERAL:
        char = chr(value)
        return frozenset({char}) if not ignorecase or _caseless_or_ascii(char) else None
    if op is parser.IN:
        if len(value) > _MAX_CLASS_LITERALS:
            return None
        found = [_spellings(member_op, member, parser, ignorecase) for member_op, member in value]
        return _union(found)
    if op is parser.SUBPATTERN:
        _group, add, remove, sub = value
        inner = (ignorecase or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
        return _spelled_sequence(list(sub), parser, ignorecase) if inner == ignorecase else None
    if op is parser.BRANCH:
        return _union([_spelled_sequence(list(b), parser, ignorecase) for b in value[1]])
    if op in _repeats(parser):
        low, high, sub = value
        if high > 1:
            return None
        spelled = _spelled_sequence(list(sub), parser, ignorecase)
        if spelled is None or high == 0:
            return frozenset({""}) if high == 0 else None
        return spelled | {""} if low == 0 else spelled
    return None


def _spelled_sequence(
    items: Sequence[tuple[Any, Any]], parser: Any, ignorecase: bool
) -> frozenset[str] | None:
    spelled: frozenset[str] | None = frozenset({""})
    for op, value in items:
        if op in _zero_width(parser):
            continue
        part = _spellings(op, value, parser, ignorecase)
        if part is None or spelled is None:
            return None
        spelled = _joined(spelled, part)
    return spelled


def _joined(first: frozenset[str], second: frozenset[str]) -> frozenset[str] | None:
    if len(first) * len(second) > _MAX_SPELLINGS:
        return None
    return frozenset(a + b for a in first for b in second)


def _union(parts: Sequence[frozenset[str] | None]) -> frozenset[str] | None:
    found: set[str] = set()
    for part in parts:
        if part is None:
            return None
        found |= part
    return frozenset(found) if len(found) <= _MAX_SPELLINGS else None


def _zero_width(parser: Any) -> tuple[Any, ...]:
    return (parser.AT, parser.ASSERT, parser.ASSERT_NOT)


def _hint(text: str, ignorecase: bool) -> Hint:
    return (fold(text), False) if ignorecase else (text, True)


def _repeats(parser: Any) -> tuple[Any, ...]:
    names = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
    return tuple(getattr(parser, name) for name in names if hasattr(parser, name))


def _caseless_or_ascii(char: str) -> bool:
    """Characters whose folded form a case-insensitive match is sure to share."""
    return char.isascii() or char.lower() == char.upper()


def foldable(text: str) -> bool:
    """Whether whatever matches `text` case-insensitively folds to `fold(text)`, at the same
    place: every character is ASCII or has no case (Hangul, digits, punctuation)."""
    return all(_caseless_or_ascii(char) for char in text)


def _score(found: frozenset[Hint]) -> tuple[int, int, int]:
    """Longer weakest literal first (up to `_LONG_ENOUGH` characters), then fewer literals,
    then longer ones."""
    shortest = min(len(text) for text, _ in found)
    return (min(_LONG_ENOUGH, shortest), -len(found), shortest)


def _without_redundant(found: frozenset[Hint]) -> frozenset[Hint]:
    """Drop a hint that implies another ("asked" when "ask" is there too): checking the weaker
    one is enough. A hint as written implies its folded form."""

    def implies(hint: Hint, other: Hint) -> bool:
        (text, exact), (other_text, other_exact) = hint, other
        if other_exact:
            return exact and other_text in text
        return other_text in (fold(text) if exact else text)

    return frozenset(
        hint for hint in found if not any(other != hint and implies(hint, other) for other in found)
    )


class Hinted:
    """A compiled pattern that first checks its `required_literals`. The methods take the
    folded text when the caller has it (one fold for many patterns). A pattern without hints
    gets the empty string as its one hint, which every text contains."""

    __slots__ = ("exact", "folded", "pattern")

    def __init__(self, pattern: str | re.Pattern[str], flags: int = 0) -> None:
        self.pattern = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags)
        hints = required_literals(self.pattern)
        self.exact = tuple(sorted(text for text, exact in hints or {("", True)} if exact))
        self.folded = tuple(sorted(text for text, exact in hints or () if not exact))

    def possible(self, text: str, folded: str | None = None) -> bool:
        """Whether the text (whose `fold` the caller may pass) may hold a match."""
        for hint in self.exact:
            if hint in text:
                return True
        if self.folded:
            if folded is None:
                folded = fold(text)
            for hint in self.folded:
                if hint in folded:
                    return True
        return False

    # The rule tables call these thousands of times per article: each repeats `possible`
    # rather than call it, a Python call costing more than the tests themselves.
    def search(self, text: str, folded: str | None = None) -> re.Match[str] | None:
        for hint in self.exact:
            if hint in text:
                return self.pattern.search(text)
        if self.folded:
            if folded is None:
                folded = fold(text)
            for hint in self.folded:
                if hint in folded:
                    return self.pattern.search(text)
        return None

    def finditer(self, text: str, folded: str | None = None) -> Iterator[re.Match[str]]:
        for hint in self.exact:
            if hint in text:
                return self.pattern.finditer(text)
        if self.folded:
            if folded is None:
                folded = fold(text)
            for hint in self.folded:
                if hint in folded:
                    return self.pattern.finditer(text)
        return iter(())

    def findall(self, text: str, folded: str | None = None) -> list[Any]:
        for hint in self.exact:
            if hint in text:
                return self.pattern.findall(text)
        if self.folded:
            if folded is None:
                folded = fold(text)
            for hint in self.folded:
                if hint in folded:
                    return self.pattern.findall(text)
        return []

    def sub(self, repl: str, text: str, count: int = 0, folded: str | None = None) -> str:
        for hint in self.exact:
            if hint in text:
                return self.pattern.sub(repl, text, count=count)
        if self.folded:
            if folded is None:
                folded = fold(text)
            for hint in self.folded:
                if hint in folded:
                    return self.pattern.sub(repl, text, count=count)
        return text

    def match(self, text: str, folded: str | None = None) -> re.Match[str] | None:
        return self.pattern.match(text) if self.possible(text, folded) else None

    def split(self, text: str, maxsplit: int = 0, folded: str | None = None) -> list[str]:
        return self.pattern.split(text, maxsplit) if self.possible(text, folded) else [text]
