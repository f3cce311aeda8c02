"""What each state means, as one of the tones every badge, figure and chart uses.

Done green, overdue red, at risk amber, everything else neutral (with "info" for work in
progress). The stylesheet (web/static/web/danvan.css) gives each tone its colours; this
table gives each state code its tone, for every app: a code means the same thing wherever
it appears.
"""

OK = "ok"
BAD = "bad"
WARN = "warn"
INFO = "info"
NEUTRAL = "neutral"

BY_CODE = {
    # done, on time, accepted as valid
    **dict.fromkeys(
        (
            "done", "completed", "on_time", "answered", "valid", "met", "decided", "closed",
            "issued", "recognized", "handed_over", "repaid", "stable", "excellent", "good",
            "fulfilled", "reviewed", "successful", "upheld", "agreed", "adopted", "ready",
        ),
        OK,
    ),
    # overdue, missing, refused
    **dict.fromkeys(
        (
            "overdue", "missing", "missed", "invalid", "failed", "tense", "not_fulfilled",
            "abandoned", "rising", "late_now",
        ),
        BAD,
    ),
    # at risk, waiting, late but done
    **dict.fromkeys(
        (
            "at_risk", "attention", "open", "pending", "late", "answered_late", "due_soon",
            "returned", "extended", "stuck",
        ),
        WARN,
    ),
    # work under way
    **dict.fromkeys(
        (
            "in_progress", "accepted", "settling", "classified", "received", "registered",
            "running", "queued", "submitted", "building", "built", "planned", "informed",
        ),
        INFO,
    ),
}  # fmt: skip


def tone(code) -> str:
    """The tone of a state code ("overdue" → "bad"); neutral for anything unknown."""
    return BY_CODE.get(str(code or ""), NEUTRAL)
