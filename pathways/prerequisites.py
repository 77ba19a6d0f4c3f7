"""What a learner must already have done to be enrolled on a programme.

A guard on leaving a programme's first stage that reads only the learner's history (a completed Care
Certificate for the Higher Development Award) is checked at enrolment as well: enrolling someone who
could never move on would leave them stuck with a red status. The guard stays on the transition too.
"""

from __future__ import annotations

from datetime import date

from pathways.model import Definition
from pathways.wording import format_date

# guard name -> what it asks of the learner's history, in words for the refusal
PREREQUISITES = {
    "care_certificate_done": (
        "has not completed the Care Certificate: every standard signed off in Waymark, "
        "or a prior completion recorded on their record with its date and evidence"
    ),
}


def prerequisites(definition: Definition) -> tuple[str, ...]:
    """The history guards on the transitions out of the first stage, in the order they appear."""
    first = definition.stages[0].key
    found = [g.name for t in definition.transitions if t.source == first for g in t.guards if g.name in PREREQUISITES]
    return tuple(dict.fromkeys(found))


def prerequisite_problem(
    definition: Definition, learner_name: str, start: date, care_certificate_completed_on: date | None
) -> str | None:
    """Why this learner cannot be enrolled on ``definition`` from ``start``; None when they can."""
    for name in prerequisites(definition):
        if name == "care_certificate_done":
            done = care_certificate_completed_on
            if done is None:
                return f"{learner_name} {PREREQUISITES[name]}"
            if done > start:
                return f"{learner_name} completed the Care Certificate on {format_date(done)}, after the start date"
    return None
