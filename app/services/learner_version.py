"""The competencies of the learner's own version: a 15-standard Care Certificate learner never sees,
requests or has signed a 16th standard, and every title reads as their version words it."""

from __future__ import annotations

from app.models import Enrolment, User
from app.services.catalogue import definition_for
from app.services.enrolments import get_enrolment
from pathways import Competency, format_date


def learner_competencies(enrolment: Enrolment) -> dict[str, Competency]:
    """Key to competency, for the learner's start date and profession."""
    definition = definition_for(enrolment.pathway_version)
    items = definition.competencies_for(enrolment.start_date, enrolment.learner.profession)
    return {item.key: item for item in items}


def competency_titles(actor: User, enrolment_id: int) -> dict[str, str]:
    """Key to title as the learner's version words it, for an enrolment the actor may see."""
    return {key: item.title for key, item in learner_competencies(get_enrolment(actor, enrolment_id)).items()}


def not_in_version(enrolment: Enrolment, key: str, title: str) -> str | None:
    """Why a competency is not the learner's to request or sign, in words; None when it is."""
    own = learner_competencies(enrolment)
    if key in own:
        return None
    definition = definition_for(enrolment.pathway_version)
    group = next(
        (g for g in definition.competency_groups if any(i.key == key for v in g.variants for i in v.items)), None
    )
    if group is None:
        return f"{title} is not part of this learner's programme"
    count = sum(1 for item in own.values() if item.group == group.key)
    return (
        f"{title} is not one of this learner's {group.noun}: they started on "
        f"{format_date(enrolment.start_date)}, so their version has {count}"
    )
