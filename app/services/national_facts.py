"""The facts the national rules add to an enrolment's: agreed review frequency, English and maths
decision, prior learning, the post appointed and when the learner completed the Care Certificate.

Read from ``fact_rows`` (the one statement ``facts.assess`` makes) and the sign-off states, like ``facts.assess``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from app.models import Enrolment
from app.services.fact_queries import SignOffState
from app.services.fact_rows import Rows
from pathways import Definition
from pathways.facts import AgreedFrequency, PostAppointed

CARE_CERTIFICATE = "care_certificate"


def _latest(rows: list[Any]) -> dict[int, Any]:
    """The latest row per enrolment recorded on or before the as-of date (by its day ``d1``, then id ``i1``)."""
    return {row.owner: row for row in sorted(rows, key=lambda row: (row.d1, row.i1))}


def care_certificate_completions(
    rows: Rows, signed: dict[tuple[int, str], SignOffState], definitions: dict[int, Definition], as_of: date
) -> dict[int, date]:
    """The day each learner completed the Care Certificate: every standard of their version signed off
    on a Waymark programme, or a recorded prior completion; the earlier counts."""
    done: dict[int, date] = {row.owner: row.d1 for row in rows["prior_care_certificate"]}
    for other in rows["learner_enrolment"]:  # every enrolment of the learners: owner, learner, version, start
        definition = definitions[other.i2]
        keys = [c.key for c in definition.competencies_for(other.d1, other.s1) if c.group == CARE_CERTIFICATE]
        states = [signed.get((other.owner, key)) for key in keys]
        if not keys or any(s is None or s.action != "signed" for s in states):
            continue
        on = max(s.at.date() for s in states if s is not None)
        if on <= as_of:
            done[other.i1] = min(on, done.get(other.i1, on))
    return done


def national_facts(
    enrolments: Sequence[Enrolment],
    as_of: date,
    rows: Rows,
    signed: dict[tuple[int, str], SignOffState],
    definitions: dict[int, Definition],
) -> dict[int, dict[str, Any]]:
    """Per enrolment, the ``EnrolmentFacts`` fields the national rules read, as keyword arguments."""
    frequencies = _latest(rows["frequency"])
    decisions = _latest(rows["english_maths"])
    posts = _latest(rows["post"])
    prior = {row.owner: float(row.f1 or 0) for row in rows["prior_learning"]}
    care_certificates = care_certificate_completions(rows, signed, definitions, as_of)
    out: dict[int, dict[str, Any]] = {}
    for enrolment in enrolments:
        frequency = frequencies.get(enrolment.id)
        decision = decisions.get(enrolment.id)
        post = posts.get(enrolment.id)
        out[enrolment.id] = dict(
            prior_learning_hours=prior.get(enrolment.id, 0.0),
            review_frequency=None
            if frequency is None
            else AgreedFrequency(frequency.i2, frequency.i3, frequency.s1, frequency.d1),
            english_maths_decided_on=None if decision is None else decision.d1,
            post=None if post is None else PostAppointed(post.s1, post.s2, post.d1),
            care_certificate_completed_on=care_certificates.get(enrolment.learner_id),
        )
    return out
