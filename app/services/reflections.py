"""Reflective accounts: the learner's own entries, on the NMC revalidation reflective account's questions."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from app.extensions import db
from app.models import Competency, Reflection, SignOffEvent, User
from app.services import audit, signoffs
from app.services.clock import today
from app.services.enrolments import get_enrolment, locked_enrolment
from app.services.errors import ValidationFailed
from app.services.permissions import require_learner
from app.services.unit_of_work import command
from app.services.values import check_date, check_id, check_text

# The NMC reflective accounts form (revalidation): its questions, as the form asks them.
QUESTIONS = {
    "what_happened": "What was the nature of the CPD activity, practice-related feedback, or event or experience?",
    "what_learned": "What did you learn from it?",
    "how_changed": "How did you change or improve your practice as a result, or how will you?",
}
# The four themes of the NMC Code.
CODE_THEMES = {
    "prioritise_people": "Prioritise people",
    "practise_effectively": "Practise effectively",
    "preserve_safety": "Preserve safety",
    "promote_professionalism": "Promote professionalism and trust",
}
NOT_WAITING = "Choose one of your sign-off requests that is still waiting"


def _themes(problems: dict[str, str], chosen: object) -> list[str]:
    values = [chosen] if isinstance(chosen, str) else list(chosen) if isinstance(chosen, Iterable) else []
    if not values or any(value not in CODE_THEMES for value in values):
        problems["code_themes"] = "Select which themes of the Code your reflection relates to"
        return []
    return [theme for theme in CODE_THEMES if theme in values]


@command("reflection.write", target="enrolment_id")
def write_reflection(
    actor: User,
    enrolment_id: int,
    *,
    written_on: object,
    what_happened: object,
    what_learned: object,
    how_changed: object,
    code_themes: object,
    signoff_id: object = None,
) -> Reflection:
    """The learner writes a reflective account, optionally as evidence for a waiting sign-off request."""
    enrolment = locked_enrolment(actor, enrolment_id)
    require_learner(actor, enrolment)
    problems: dict[str, str] = {}
    day = check_date(problems, "written_on", written_on, required="Enter the date of the reflection")
    if day is not None and day > today():
        problems["written_on"] = "The date of the reflection cannot be in the future"
    answers = {
        name: check_text(problems, name, value, max_length=10_000, required=f"Answer: {QUESTIONS[name]}")
        for name, value in (
            ("what_happened", what_happened),
            ("what_learned", what_learned),
            ("how_changed", how_changed),
        )
    }
    themes = _themes(problems, code_themes)
    request_id = check_id(problems, "signoff_id", signoff_id, message=NOT_WAITING)
    if request_id is not None:
        event = db.session.get(SignOffEvent, request_id)
        latest = signoffs.latest_event(enrolment.id, event.competency_id) if event else None
        waiting = event is not None and event.action == "requested" and latest is not None and latest.id == event.id
        if not waiting or event is None or event.enrolment_id != enrolment.id:
            problems["signoff_id"] = NOT_WAITING
    if problems:
        raise ValidationFailed(problems)
    assert day is not None
    reflection = Reflection(
        enrolment_id=enrolment.id,
        written_on=day,
        code_themes=",".join(themes),
        signoff_event_id=request_id,
        created_by_id=actor.id,
        **answers,
    )
    db.session.add(reflection)
    audit.record(actor, "reflection.written", reflection, enrolment_id=enrolment.id, signoff_event_id=request_id)
    return reflection


def reflections(actor: User, enrolment_id: int) -> list[Reflection]:
    """The enrolment's reflective accounts, newest first, for anyone who may see the record."""
    enrolment = get_enrolment(actor, enrolment_id)
    return list(
        db.session.scalars(
            select(Reflection)
            .where(Reflection.enrolment_id == enrolment.id)
            .order_by(Reflection.written_on.desc(), Reflection.id.desc())
        )
    )


def for_competency(enrolment_id: int, competency_key: str) -> list[Reflection]:
    """Reflections given as evidence for any request for this competency, newest first."""
    return list(
        db.session.scalars(
            select(Reflection)
            .join(SignOffEvent, SignOffEvent.id == Reflection.signoff_event_id)
            .join(Competency, Competency.id == SignOffEvent.competency_id)
            .where(Reflection.enrolment_id == enrolment_id, Competency.key == competency_key)
            .order_by(Reflection.id.desc())
        )
    )
