"""The dates a person may enter, and the dates a transition may carry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pathways.schedule import format_date


@dataclass(frozen=True)
class DateRange:
    """The accepted range for every date a person enters (an organisation-wide setting)."""

    earliest: date
    latest: date

    def problem(self, value: date) -> str | None:
        if value < self.earliest:
            return f"The date must be on or after {format_date(self.earliest)}"
        if value > self.latest:
            return f"The date must be on or before {format_date(self.latest)}"
        return None


def transition_date_problem(on: date, today: date, stage_entered_on: date, action: str) -> str | None:
    """A transition records what has happened: never after today, never before the current stage began.

    Its guards are then evaluated as of that date, so a future date cannot skip a rule that
    holds today, and a back-dated one counts only what was true on the day. A learner who leaves
    before their start date is withdrawn today.
    """
    if on > today:
        return "The date cannot be in the future"
    earliest = min(stage_entered_on, today) if action == "withdraw" else stage_entered_on
    if on < earliest:
        return f"The date cannot be before the learner entered their current stage on {format_date(stage_entered_on)}"
    return None
