"""What a logged activity is, and when it may count as off-the-job training.

DfE apprenticeship funding rules: off-the-job training is training in the apprentice's paid hours,
inside the apprenticeship's practical period; English and maths and progress reviews never count.
"""

from __future__ import annotations

from datetime import date

from pathways.facts import EnrolmentFacts
from pathways.model import Definition
from pathways.wording import format_date

ACTIVITY_TYPES = {
    "study": "Self-directed study",
    "teaching": "Taught session or study day",
    "e_learning": "E-learning",
    "shadowing": "Shadowing or observation",
    "supervision": "Clinical supervision or reflection",
    "mentoring": "Mentoring, coaching or preceptor meeting",
    "project": "Project or quality improvement work",
    "english_maths": "English and maths (functional skills)",
    "progress_review": "Progress review",
    "outside_paid_hours": "Learning outside paid working hours",
}
# The categories the funding rules never count as off-the-job training, and why, in words.
NEVER_OFF_THE_JOB = {
    "english_maths": "English and maths (functional skills) never count as off-the-job training",
    "progress_review": "Progress reviews never count as off-the-job training",
    "outside_paid_hours": "Time outside paid working hours never counts as off-the-job training",
}


def apprenticeship_period(definition: Definition, facts: EnrolmentFacts) -> tuple[date | None, date | None]:
    """The day the apprenticeship began (None: not yet) and the day it ended (None: still running).

    It begins on entering the definition's clock stage and ends on entering any later stage.
    """
    key = definition.clock_stage
    if key is None:
        return facts.start_date, None
    order = [s.key for s in definition.stages]
    here, clock = order.index(facts.stage), order.index(key)
    if here < clock:
        return None, None
    began = facts.stage_entered_on if here == clock else facts.stage_dates.get(key, facts.start_date)
    later = [day for stage, day in facts.stage_dates.items() if stage in order and order.index(stage) > clock]
    ended = min(later) if later else (facts.stage_entered_on if here > clock else None)
    return began, ended


def off_the_job_problems(
    definition: Definition, facts: EnrolmentFacts, activity_type: str, day: date
) -> dict[str, str]:
    """Why an entry may not count as off-the-job training, by the field at fault (empty: it may)."""
    problems: dict[str, str] = {}
    if activity_type in NEVER_OFF_THE_JOB:
        problems["activity_type"] = NEVER_OFF_THE_JOB[activity_type]
    began, ended = apprenticeship_period(definition, facts)
    during = "Off-the-job training counts only during the apprenticeship"
    if began is None:
        problems["worked_on"] = f"{during}, which has not started yet"
    elif day < began:
        problems["worked_on"] = f"{during}, which started on {format_date(began)}"
    elif ended is not None and day >= ended:
        problems["worked_on"] = f"{during}, which ended on {format_date(ended)}"
    return problems
