"""Reads remembered for the rest of one request, until anything is written.

A page may need one read twice (a caseload's sign-off states for the engine's facts and again for
its counts; the unread notifications the user loader read with the user). Within a request, such a
read is remembered in ``flask.g``; it is forgotten when the request ends and whenever anything is
written first (a flush, a commit or rollback, any statement other than a SELECT), so a page never
shows what it read before its own write. Outside a request (commands, the API's jobs) nothing is
remembered, except inside ``remembering()``: the reminder scan reads each range of enrolments in one
read-only transaction, and the sign-off states its facts read are the ones its reminders need.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from flask import Flask, g, has_app_context, has_request_context
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

T = TypeVar("T")


def _active() -> bool:
    return has_request_context() or (has_app_context() and g.get("_remembering", False))


@contextmanager
def remembering() -> Iterator[None]:
    """Remember reads outside a request as in one, until anything is written or the block ends."""
    g._remembering = True
    try:
        yield
    finally:
        g.pop("_remembering", None)
        g.pop("_remembered", None)


def remembered(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, or what it returned earlier in this request with nothing written since."""
    if not _active():
        return read()
    store: dict[Hashable, Any] = g.setdefault("_remembered", {})
    if key not in store:
        value = read()
        store = g.setdefault("_remembered", {})  # the read may have flushed, and so forgotten
        store[key] = value
    return store[key]


def recalled(key: Hashable) -> Any | None:
    """What was remembered for ``key`` in this request with nothing written since, else None."""
    return g.get("_remembered", {}).get(key) if _active() else None


def remember(key: Hashable, value: Any) -> None:
    """Keep ``value`` for ``key`` for the rest of this request (until a write)."""
    if _active():
        g.setdefault("_remembered", {})[key] = value


def forget(*_: Any) -> None:
    if has_app_context():
        g.pop("_remembered", None)


def _on_statement(conn: Any, cursor: Any, statement: str, params: Any, context: Any, *_: Any) -> None:  # noqa: ARG001
    """Forget on any statement but a read: a SELECT, or a WITH that inserts, updates and deletes nothing."""
    words = statement.lstrip()[:7].upper()
    writes = context is not None and (context.isinsert or context.isupdate or context.isdelete)
    if writes or not (words.startswith("SELECT") or words.startswith("WITH ")):
        forget()


event.listen(Session, "after_flush", forget)
event.listen(Session, "after_commit", forget)
event.listen(Session, "after_rollback", forget)
event.listen(Engine, "before_cursor_execute", _on_statement)


def register(app: Flask) -> None:
    app.teardown_request(forget)
