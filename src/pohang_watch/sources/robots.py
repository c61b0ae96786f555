"""Where pohang-watch may go: the host allow-list and robots.txt rules.

Pure decisions, no I/O: the fetcher asks these before every request and feeds them the
robots.txt response it got. robots.txt failures follow Google's documented handling, the
common reference point for site owners: a 4xx means "no rules, crawl freely", while a 5xx,
429 or unreachable server means "assume everything is disallowed" until a later run.
"""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego

# Google reads at most 500 KiB of robots.txt and ignores the rest.
ROBOTS_MAX_BYTES = 500 * 1024


def host_is_allowed(host: str, allowed_domains: tuple[str, ...]) -> bool:
    """True if ``host`` is one of the allowed domains or a subdomain of one.

    Compared label-wise ("evilasiae.co.kr" is not a subdomain of "asiae.co.kr"), ignoring
    case and a trailing dot, so no spelling of a foreign host slips through.
    """
    host = host.lower().rstrip(".")
    if not host:
        return False
    for domain in allowed_domains:
        domain = domain.lower().strip(".")
        if host == domain or host.endswith("." + domain):
            return True
    return False


@dataclass(frozen=True, slots=True)
class RobotsRules:
    """The robots.txt verdict for one origin, as obtained during this run."""

    parser: Protego | None
    reachable: bool  # False: the site could not answer, so nothing of it is fetched this run
    reason: str  # why these rules apply, for messages: "robots.txt", "robots.txt HTTP 404", …

    @classmethod
    def from_response(cls, status: int, content: bytes) -> RobotsRules:
        """Rules from a robots.txt response, after redirects were followed."""
        if 200 <= status < 300:
            text = content.decode("utf-8", errors="replace")
            return cls(Protego.parse(text), reachable=True, reason="robots.txt")
        if status == 429 or status >= 500:
            return cls.unavailable(f"robots.txt HTTP {status}")
        # Any other 4xx (and an unexpected 1xx/3xx): the site has no rules for us.
        return cls(None, reachable=True, reason=f"robots.txt HTTP {status}")

    @classmethod
    def unavailable(cls, reason: str) -> RobotsRules:
        """The site could not say what it allows, so nothing is fetched from it this run."""
        return cls(None, reachable=False, reason=reason)

    def allows(self, url: str, user_agent: str) -> bool:
        if self.parser is None:
            return self.reachable
        return self.parser.can_fetch(url, user_agent)

    def crawl_delay(self, user_agent: str) -> float | None:
        return None if self.parser is None else self.parser.crawl_delay(user_agent)
