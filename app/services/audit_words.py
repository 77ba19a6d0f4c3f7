"""The audit trail in words: "Preceptor changed to Sarah Mitchell", "Initial review recorded: on track".

Each event stores keys (stage keys, competency keys, a preceptor's id, a review outcome); this turns
them into the sentence a lead reads, with the titles of the enrolment's own programme version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.services.reviews import OUTCOMES
from pathways import Definition
from pathways.vocabulary import CHECK_TITLES


@dataclass(frozen=True)
class Titles:
    """What the sentences need to name things: the programme, its competencies and review slots, people."""

    definition: Definition
    competencies: Mapping[str, str]
    review_slots: Mapping[str, str]
    people: Mapping[int, str]

    def stage(self, key: object) -> str:
        keys = {s.key: s.title for s in self.definition.stages}
        return keys.get(str(key), str(key).replace("_", " "))

    def person(self, person_id: object) -> str:
        return self.people.get(person_id, "someone no longer in Waymark") if isinstance(person_id, int) else "–"


def _day(value: object) -> str:
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.day} {day:%B %Y}"


def _hours(value: object) -> str:
    return f"{float(value):g}" if isinstance(value, int | float) else str(value)


def _words(key: object) -> str:
    return str(key).replace("_", " ")


def _preceptor(d: Mapping[str, Any], t: Titles) -> str:
    name = t.person(d.get("preceptor_id"))
    text = f"Preceptor changed to {name}" if d.get("replaced") else f"Preceptor {name} assigned"
    return text + (f": {d['reason']}" if d.get("reason") else "")


STATUS_WORDS = {"hold": "Put on hold", "resume": "Resumed", "withdraw": "Withdrawn", "reinstate": "Reinstated"}


def _transition(verb: str) -> Callable[[Mapping[str, Any], Titles], str]:
    def sentence(d: Mapping[str, Any], t: Titles) -> str:
        if verb == "advance":
            text = f"Moved on from {t.stage(d.get('from_stage'))} to {t.stage(d.get('to_stage'))}"
        elif verb == "extend":
            text = f"Extended to {_day(d.get('new_end'))}"
        else:
            text = STATUS_WORDS[verb]
        return text + (f": {d['reason']}" if d.get("reason") else "")

    return sentence


def _signoff(what: str) -> Callable[[Mapping[str, Any], Titles], str]:
    return lambda d, t: f"{what}: {t.competencies.get(str(d.get('competency')), _words(d.get('competency')))}"


SENTENCES: dict[str, Callable[[Mapping[str, Any], Titles], str]] = {
    "enrolment.created": lambda d, t: f"Enrolled on {t.definition.title}",
    "preceptor.assigned": _preceptor,
    "hours.logged": lambda d, t: (
        f"{_hours(d.get('hours'))} hours logged for {_day(d.get('worked_on'))}"
        + (f" ({_words(d['kind'])})" if d.get("kind") else "")
    ),
    "hours.edited": lambda d, t: "Hours entry corrected",
    "hours.removed": lambda d, t: f"{_hours(d.get('hours'))} hours for {_day(d.get('worked_on'))} removed",
    "signoff.requested": _signoff("Sign-off requested"),
    "signoff.signed": _signoff("Signed off"),
    "signoff.returned": _signoff("Sign-off returned"),
    "signoff.revoked": _signoff("Sign-off revoked"),
    "review.recorded": lambda d, t: (
        f"{t.review_slots.get(str(d.get('slot')), _words(d.get('slot')).capitalize())} recorded: "
        f"{OUTCOMES.get(str(d.get('outcome')), _words(d.get('outcome'))).lower()}"
    ),
    "review.confirmed": lambda d, t: "Review confirmed",
    "check.recorded": lambda d, t: (
        f"{CHECK_TITLES.get(str(d.get('kind')), _words(d.get('kind')))}: {_words(d.get('result'))}"
    ),
    "confirmation.recorded": lambda d, t: (
        f"{t.definition.confirmations.get(str(d.get('name')), _words(d.get('name')))} recorded"
    ),
    "attendance.recorded": lambda d, t: f"Attendance recorded: {d.get('title', '')}".rstrip(": "),
    "notification.read": lambda d, t: "Reminder read",
    "outbox.retried": lambda d, t: "Undelivered reminder sent again",
    **{f"enrolment.{verb}": _transition(verb) for verb in ("advance", "extend", *STATUS_WORDS)},
}


def sentence(action: str, detail: Mapping[str, Any], titles: Titles) -> str:
    """The event in words; an action without a sentence of its own still reads as words, not a key."""
    if action in SENTENCES:
        return SENTENCES[action](detail, titles)
    text = _words(action.replace(".", " ")).capitalize()
    shown = [f"{_words(k)} {v}" for k, v in detail.items() if v not in (None, "", [])]
    return text + (f" ({'; '.join(shown)})" if shown else "")
