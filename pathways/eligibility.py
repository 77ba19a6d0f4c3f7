"""Who may take part in a programme, and in which part: the programme's questions about people."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    """What the rules need to know about someone: plain values, no database row."""

    id: int
    name: str
    role: str
    enabled: bool = True


def learner_problem(learner: Person, actor_id: int | None) -> str | None:
    """Only someone with the learner role is enrolled, and never by themselves."""
    if learner.role != "learner":
        return f"{learner.name} is a {learner.role}, not a learner; only learners can be enrolled on a programme"
    if learner.id == actor_id:
        return "You cannot enrol yourself on a programme"
    if not learner.enabled:
        return f"{learner.name}'s account is disabled"
    return None


def preceptor_problem(preceptor: Person, learner_id: int | None) -> str | None:
    """A preceptor supports someone else, holds the preceptor role and can sign in."""
    if preceptor.role != "preceptor":
        return f"{preceptor.name} is not a preceptor in your organisation"
    if learner_id is not None and preceptor.id == learner_id:
        return "A learner cannot be their own preceptor"
    if not preceptor.enabled:
        return f"{preceptor.name}'s account is disabled"
    return None


def caseload_problem(name: str, held: int, limit: object) -> str | None:
    """The organisation's caseload limit, given how many learners the preceptor already supports."""
    if limit and held >= int(str(limit)):
        return f"{name} already supports {held} learners, the limit is {limit}"
    return None
