"""Who may take part in a programme, and in which part: the programme's questions about people."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pathways.professions import profession_group, profession_title, with_article
from pathways.schedule import add_months, format_date

# Agenda for Change pay bands, lowest first; "8a" and "Band 8A" are the same band.
BANDS = ("1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9")
# National: a preceptor has at least 12 months' experience since registration (NHS England, National
# preceptorship model for nursing, 2022; AHP Preceptorship Standards and Framework, 2023).
MONTHS_REGISTERED = 12


@dataclass(frozen=True)
class Person:
    """What the rules need to know about someone: plain values, no database row."""

    id: int
    name: str
    role: str
    enabled: bool = True
    profession: str = ""
    band: str = ""
    registration_date: date | None = None
    preceptor_trained_on: date | None = None


def band_rank(band: str) -> int | None:
    """Where a band stands among the Agenda for Change bands; None for a band not recorded or not known."""
    text = re.sub(r"^band\s*", "", band.strip().casefold())
    return BANDS.index(text) if text in BANDS else None


def registered_from(registration: date) -> date:
    """The first day someone registered on ``registration`` has 12 months' experience."""
    return add_months(registration, MONTHS_REGISTERED)


def _unknown_profession(person: Person) -> str:
    if not person.profession:
        return f"{person.name}'s profession is not recorded"
    return f"{person.name}'s profession '{person.profession}' is not a known profession"


def national_preceptor_problems(preceptor: Person, learner: Person, on: date) -> list[str]:
    """Every national preceptor rule this person fails for this learner on ``on``, each in words.

    Same profession group, equivalent or higher band, 12 months since registration, preceptor
    training recorded. The caseload limit is the organisation's and is checked with it.
    """
    name, problems = preceptor.name, []
    mine, theirs = profession_group(preceptor.profession), profession_group(learner.profession)
    if mine is None:
        problems.append(_unknown_profession(preceptor))
    elif theirs is None:
        problems.append(f"{_unknown_profession(learner)}, so a preceptor in the same profession cannot be matched")
    elif mine != theirs:
        problems.append(
            f"{name} is {with_article(profession_title(preceptor.profession).lower())} and {learner.name} "
            f"{with_article(profession_title(learner.profession).lower())}: not the same profession"
        )
    mine_rank, theirs_rank = band_rank(preceptor.band), band_rank(learner.band)
    if mine_rank is None:
        problems.append(f"{name}'s band is not recorded")
    elif theirs_rank is not None and mine_rank < theirs_rank:
        problems.append(
            f"{name} is on band {BANDS[mine_rank]}, below {learner.name}'s band {BANDS[theirs_rank]}; "
            "a preceptor is on an equivalent or higher band"
        )
    if preceptor.registration_date is None:
        problems.append(f"{name}'s registration date is not recorded")
    elif on < (eligible := registered_from(preceptor.registration_date)):
        problems.append(
            f"{name} registered on {format_date(preceptor.registration_date)}, less than {MONTHS_REGISTERED} months "
            f"before {format_date(on)} (eligible from {format_date(eligible)})"
        )
    if preceptor.preceptor_trained_on is None:
        problems.append(f"{name} has no preceptor training recorded")
    elif preceptor.preceptor_trained_on > on:
        problems.append(
            f"{name}'s preceptor training is recorded for {format_date(preceptor.preceptor_trained_on)}, "
            f"after {format_date(on)}"
        )
    return problems


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
