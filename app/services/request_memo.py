"""Reads remembered for the rest of one request, until anything is written.

A page may need one read twice (a caseload's sign-off states for the engine's facts and again for
its counts; the unread notifications the user loader read with the user). Within a request, such a
read is remembered in ``flask.g``; it is forgotten when the request ends and whenever anything is
written first (a flush, a commit or rollback, any statement other than a SELECT), so a page never
shows what it read before its own write. Outside a request (commands, the scan, the API's jobs)
nothing is remembered.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import Flask, g, has_request_context
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

T = TypeVar("T")


def remembered(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, or what it returned earlier in this request with nothing written since."""
    if not has_request_context():
        return read()
    store: dict[Hashable, Any] = g.setdefault("_remembered", {})
    if key not in store:
        value = read()
        store = g.setdefault("_remembered", {})  # the read may have flushed, and so forgotten
        store[key] = value
    return store[key]


def recalled(key: Hashable) -> Any | None:
    """What was remembered for ``key`` in this request with nothing written since, else None."""
    return g.get("_remembered", {}).get(key) if has_request_context() else None


def remember(key: Hashable, value: Any) -> None:
    """Keep ``value`` for ``key`` for the rest of this request (until a write)."""
    if has_request_context():
        g.setdefault("_remembered", {})[key] = value


def forget(*_: Any) -> None:
    if has_request_context():
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
