"""Which alerts a target takes: by its tags, item kind and sector, and how often.

Pure. A target without tags takes every alert; a tag naming a kind (`commitment`,
`partnership`) takes that kind; a route's tag (`[[notify.routes]]`) takes the kinds and
sectors the route lists. `digest` and `ops` targets take no instant alerts: digests and
pipeline health reach them by their own paths.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from pohang_watch.alerts import Alert
from pohang_watch.models import ItemKind

KIND_TAGS = frozenset(kind.value for kind in ItemKind)


@dataclass(frozen=True, slots=True)
class Route:
    """A tag's selection: kinds and sectors (empty: all), and the least time between sends."""

    tag: str
    kinds: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    min_interval: timedelta = timedelta(0)

    def takes(self, alert: Alert) -> bool:
        kind_ok = not self.kinds or alert.kind.value in self.kinds
        sector_ok = not self.sectors or alert.sector.casefold() in self.sectors
        return kind_ok and sector_ok


@dataclass(frozen=True, slots=True)
class Routing:
    routes: Mapping[str, Route] = field(default_factory=dict)

    @classmethod
    def of(cls, routes: Sequence[Route]) -> Routing:
        return cls({route.tag: route for route in routes})

    def takes_alerts(self, tags: frozenset[str]) -> bool:
        """Whether a target with these tags takes any instant alert at all."""
        return not tags or bool(tags & KIND_TAGS) or any(tag in self.routes for tag in tags)

    def kinds(self, tags: frozenset[str]) -> list[str]:
        """Kinds of item the target may take (to narrow the outbox query)."""
        if not tags:
            return sorted(KIND_TAGS)
        kinds = set(tags & KIND_TAGS)
        for tag in tags & set(self.routes):
            kinds |= self.routes[tag].kinds or KIND_TAGS
        return sorted(kinds)

    def takes(self, tags: frozenset[str], alert: Alert) -> bool:
        if not tags or alert.kind.value in tags:
            return True
        return any(self.routes[tag].takes(alert) for tag in tags if tag in self.routes)

    def interval(self, tags: frozenset[str]) -> timedelta:
        """The least time between two sends to a target: the longest of its routes'."""
        return max(
            (self.routes[t].min_interval for t in tags if t in self.routes), default=timedelta(0)
        )
