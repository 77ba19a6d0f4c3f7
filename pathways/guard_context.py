"""What every guard is given (``Context``) and how one is registered (``GuardSpec``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pathways.facts import EnrolmentFacts
from pathways.model import Competency, Definition
from pathways.results import ReviewSlot
from pathways.schedule import Clock

# Check results that count as achieved or cleared.
PASSED_RESULTS = {"cleared", "exempt"}


@dataclass(frozen=True)
class Context:
    """Everything a guard may look at, worked out once per evaluation."""

    definition: Definition
    facts: EnrolmentFacts
    settings: dict[str, Any]
    clock: Clock
    competencies: tuple[Competency, ...]
    review_slots: tuple[ReviewSlot, ...]
    duration_end: date  # minimum length reached on this day (holds added)
    duration_label: str
    hours_target: float
    nominal_end: date  # minimum length reached on this day before holds (what the hours to date are shared over)


Check = Callable[[Context, "str | None"], list[str]]


@dataclass(frozen=True)
class GuardSpec:
    check: Check
    arg: str  # none | group | confirmation | check | profession_groups
    route: bool = False  # chooses a branch rather than measuring progress
    doc: str = ""
