"""Errors a user can act on, raised by services and shown by views, CLI and API."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class ServiceError(Exception):
    """Base class: ``message`` is written for the person who tried the action."""

    code = "error"
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PermissionDenied(ServiceError):
    code = "forbidden"
    status = 403


class NotFound(ServiceError):
    code = "not_found"
    status = 404


class ValidationFailed(ServiceError):
    """One or more fields are wrong; ``fields`` maps each to its problem."""

    code = "invalid"
    status = 422

    def __init__(self, fields: Mapping[str, str], message: str | None = None) -> None:
        super().__init__(message or "; ".join(fields.values()))
        self.fields = dict(fields)


class StateConflict(ValidationFailed):
    """The request is well formed but the record's current state refuses it (already signed off, already
    enrolled, the day's hours already full): 409, with the field it concerns, as the loser of a race sees it."""

    code = "conflict"
    status = 409


class TransitionRefused(ServiceError):
    """The engine says no; ``reasons`` lists every blocking condition."""

    code = "transition_refused"
    status = 409

    def __init__(self, reasons: Sequence[str], message: str | None = None) -> None:
        self.reasons = list(reasons)
        super().__init__(message or "This cannot happen yet: " + "; ".join(self.reasons))


class Conflict(ServiceError):
    """Someone else changed the same record at the same moment; the loser of a race is told so."""

    code = "conflict"
    status = 409


class Unavailable(ServiceError):
    """A service Waymark relies on (the evidence file store) is not answering; nothing was changed.

    503, to be tried again shortly, as when the database is down.
    """

    code = "unavailable"
    status = 503
