"""Replay an enrolment's transition history: its holds, agreed extensions and the day each stage began.

The one definition of this replay: the engine's facts (``app.services.facts``) and the cohort
report (``reports.timeline``) both call ``replay``, so a page and a report never disagree about
how long someone was on hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from pathways.facts import Extension, Hold

STAGE_ENTRIES = ("enrol", "advance")


@dataclass(frozen=True)
class TransitionRecord:
    """One stored transition, as the replay reads it."""

    action: str
    to_stage: str
    effective_on: date
    new_end: date | None = None
    reason: str = ""


@dataclass(frozen=True)
class Timeline:
    holds: tuple[Hold, ...] = ()
    extensions: tuple[Extension, ...] = ()
    stage_dates: dict[str, date] = field(default_factory=dict)


def replay(events: Iterable[TransitionRecord], as_of: date | None = None) -> Timeline:
    """Replay ``events`` in the order they were recorded, leaving out any effective after ``as_of``.

    A resume closes the hold open at the time; a hold still open has no end. A second hold
    recorded while one is open (the state machine refuses it; old data may hold one) is ignored.
    """
    holds: list[Hold] = []
    extensions: list[Extension] = []
    stage_dates: dict[str, date] = {}
    open_hold: TransitionRecord | None = None
    for event in events:
        if as_of is not None and event.effective_on > as_of:
            continue
        if event.action in STAGE_ENTRIES:
            stage_dates[event.to_stage] = event.effective_on
        elif event.action == "hold" and open_hold is None:
            open_hold = event
        elif event.action == "resume" and open_hold is not None:
            holds.append(Hold(open_hold.effective_on, event.effective_on, open_hold.reason))
            open_hold = None
        elif event.action == "extend" and event.new_end:
            extensions.append(Extension(event.new_end, event.reason, event.effective_on))
    if open_hold is not None:
        holds.append(Hold(open_hold.effective_on, None, open_hold.reason))
    return Timeline(tuple(holds), tuple(extensions), stage_dates)
