"""How long work says how far it has gone: the import reports to this, a background job listens."""

from __future__ import annotations

from typing import Any, Protocol


class Progress(Protocol):
    def step(self, label: str, done: int, total: int) -> None:
        """``done`` of ``total`` (0 of 0: not countable yet) of the stage ``label``."""

    def saving(self) -> None:
        """The one write transaction begins (SQLite then takes no other write until it ends)."""

    def saved(self, result: dict[str, Any]) -> None:
        """Inside the write transaction, just before it commits: a job records its outcome with the work."""


class Unreported:
    """For callers who wait for the answer anyway: the command line, and small files on the page."""

    def step(self, label: str, done: int, total: int) -> None:
        return None

    def saving(self) -> None:
        return None

    def saved(self, result: dict[str, Any]) -> None:
        return None


UNREPORTED = Unreported()
