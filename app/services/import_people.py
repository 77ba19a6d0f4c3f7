"""The import's columns about a person that the national rules read: profession, dates, contracted hours.

Each is checked by the same value checks the forms use (``values.py``) and becomes a ``User``
attribute; a bad one is a ``row N: column: problem``. An empty cell leaves the stored value as it is.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.models import User
from app.services.import_file import parse_date
from app.services.values import after_today_problem, check_contracted_hours, check_profession
from pathways import DateRange, Person

# column -> User attribute
DATE_COLUMNS = {
    "date_of_birth": "date_of_birth",
    "registration_date": "registration_date",
    "preceptor_trained_on": "preceptor_training_date",
    "leaving_date": "leaving_date",
}
# What has already happened cannot be dated after today; a leaving date is often planned.
PAST_ONLY = ("date_of_birth", "registration_date", "preceptor_trained_on")


def clause(message: str) -> str:
    """A service's sentence as the import's ``row N: column: problem`` clause (lower-case first letter)."""
    return message[:1].lower() + message[1:]


def fact_values(values: dict[str, str], dates: DateRange, today: date, problems: list) -> dict[str, Any]:
    """The row's profession key, dates and contracted hours as ``User`` attributes; problems appended."""
    out: dict[str, Any] = {}
    found: dict[str, str] = {}
    if key := check_profession(found, "profession", values["profession"]):
        out["profession"] = key
    for column, attribute in DATE_COLUMNS.items():
        text = values[column]
        if not text:
            continue
        try:
            day = parse_date(text)
        except ValueError as error:
            problems.append((column, str(error)))
            continue
        if problem := dates.problem(day):
            problems.append((column, clause(problem)))
        elif column in PAST_ONLY and (problem := after_today_problem(day, today)):
            problems.append((column, problem))
        else:
            out[attribute] = day
    hours = check_contracted_hours(found, "contracted_hours_per_week", values["contracted_hours_per_week"])
    if hours is not None:
        out["contracted_hours_per_week"] = hours
    problems += [(column, clause(problem)) for column, problem in found.items()]
    return out


def planned_person(number: str, values: dict[str, str], existing: User | None, role: str, facts: dict) -> Person:
    """The person as they will be once the file is written: the row's values over the stored ones."""

    def pick(attribute: str, stored: Any) -> Any:
        return facts.get(attribute, stored)

    name = f"{values['first_name']} {values['last_name']}".strip()
    return Person(
        id=existing.id if existing else 0,
        name=name or (existing.full_name if existing else number),
        role=role,
        enabled=existing.is_enabled if existing else True,
        profession=pick("profession", values["profession"] or (existing.profession if existing else "")),
        band=values["band"] or (existing.band if existing else ""),
        registration_date=pick("registration_date", existing.registration_date if existing else None),
        preceptor_trained_on=pick("preceptor_training_date", existing.preceptor_training_date if existing else None),
    )
