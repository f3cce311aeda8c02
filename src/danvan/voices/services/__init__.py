"""Every write on citizens' voices: atomic, permission-checked, audited, and never putting a
citizen's identity into the audit log, an error message or a log line. One module per
use-case group; the public names are re-exported here (`services.accept_matter(...)`)."""

from .common import MATTER_FIELDS, VoicesError
from .intake import ANONYMOUS_REASON, receive_petition
from .matters import (
    accept_matter,
    assign_handler,
    classify_matter,
    close_matter,
    decide_matter,
    extend_matter,
    forward_matter,
    not_accept_matter,
    set_complexity,
    start_settling,
    withdraw_matter,
)
from .meetings import add_commitment, answer_commitment, record_dialogue, record_reception
from .notifications import mark_notifications_read
from .tallies import month_tally_rows, rebuild_tallies

__all__ = [
    "ANONYMOUS_REASON",
    "MATTER_FIELDS",
    "VoicesError",
    "accept_matter",
    "add_commitment",
    "answer_commitment",
    "assign_handler",
    "classify_matter",
    "close_matter",
    "decide_matter",
    "extend_matter",
    "forward_matter",
    "mark_notifications_read",
    "month_tally_rows",
    "not_accept_matter",
    "rebuild_tallies",
    "receive_petition",
    "record_dialogue",
    "record_reception",
    "set_complexity",
    "start_settling",
    "withdraw_matter",
]
