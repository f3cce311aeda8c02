"""Who is acting and under which request: set by middleware, the API and commands."""

import contextvars
import uuid
from contextlib import contextmanager

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("danvan_request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


@contextmanager
def request_context(request_id: str | None = None):
    token = _request_id.set(request_id or uuid.uuid4().hex)
    try:
        yield
    finally:
        _request_id.reset(token)
