"""What the engine answers about one enrolment: plain frozen values, easy to test and cache."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pathways.model import Competency


@dataclass(frozen=True)
class TransitionOption:
    to: str
    label: str
    allowed: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ReviewSlot:
    key: str
    title: str
    due: date
    held_on: date | None = None
    confirmed: bool = False


@dataclass(frozen=True)
class DueItem:
    kind: str  # review | stage_deadline | programme_end
    key: str
    title: str
    due: date


@dataclass(frozen=True)
class Status:
    rag: str  # red | amber | green | grey
    reason: str


@dataclass(frozen=True)
class Evaluation:
    stage: str
    state: str
    transitions: tuple[TransitionOption, ...]
    next_blockers: tuple[str, ...]
    review_slots: tuple[ReviewSlot, ...]
    due: tuple[DueItem, ...]
    next_due: DueItem | None
    expected_end: date
    days_on_hold: int
    hours_target_total: float
    hours_target_to_date: float
    status: Status
    progress: float
    notices: tuple[str, ...]
    competencies: tuple[Competency, ...]
    problem: str | None = None  # why the enrolment's dates could not be worked out, when they could not
