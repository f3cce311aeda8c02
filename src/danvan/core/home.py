"""The home page, assembled from what each app contributes.

An installed app whose `panels` module defines `home_items(user, unit)` returns a list of
`Item`s: things to do (for the user's own actions) and things that need attention across
the subtree the user is looking at. The home page shows a leader the attention list first
and an officer their to-do list first; nothing here knows the apps, so the web app imports
none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .registry import app_modules

TODO = "todo"
ATTENTION = "attention"


@dataclass
class Item:
    kind: str  # TODO or ATTENTION
    label: str  # what it is, with the count in words ("3 tasks overdue")
    count: int
    url: str  # the filtered list behind the count
    tone: str = "neutral"  # core.tones
    app: str = ""
    # a few examples: (text, url), e.g. the units with the most overdue tasks
    examples: list[tuple[str, str]] = field(default_factory=list)


def collect(user, unit) -> dict[str, list[Item]]:
    """{"todo": [...], "attention": [...]}: only items with something in them, the most
    urgent tone first (bad, warn, then the rest) and apps in their installed order."""
    found: dict[str, list[Item]] = {TODO: [], ATTENTION: []}
    for config, module in app_modules("panels", having="home_items"):
        for item in module.home_items(user, unit) or ():
            if item.count:
                item.app = item.app or str(config.verbose_name)
                found[item.kind].append(item)
    order = {"bad": 0, "warn": 1}
    for items in found.values():
        items.sort(key=lambda i: order.get(i.tone, 2))
    return found
