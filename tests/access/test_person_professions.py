"""The lead's person page and /api/v1/people take ESR wording for the profession, store the vocabulary key,
and refuse wording no profession has, as the import does (issue 10, item 2)."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.models import User
from app.services import tokens
from tests.web.conftest import assert_error, date_fields

PERSON = {
    "first_name": "Zoë",
    "last_name": "Williams",
    "email": "zoe.williams@nhs.net",
    "employee_number": "30200106",
    "role": "learner",
    "profession": "Occupational Therapist",
    "band": "5",
    "contracted_hours_per_week": "30",
}
UNKNOWN = (
    "'Ward Clerk' is not a known profession (for example: Registered Nurse, Registered Midwife, Physiotherapist, "
    "Occupational Therapist, Healthcare Assistant)"
)


def stored(number: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(db.select(User).where(User.employee_number == number))


def test_the_person_page_stores_the_key_of_esr_wording_with_the_dates_the_rules_read(world, as_user):
    client = as_user(world.lead)
    data = {
        **PERSON,
        **date_fields("date_of_birth", date(2002, 10, 23)),
        **date_fields("registration_date", date(2026, 8, 11)),
        **date_fields("leaving_date", date(2028, 3, 31)),
    }
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    person = stored("30200106")
    assert person.profession == "occupational_therapy"
    assert (person.date_of_birth, person.registration_date, person.leaving_date) == (
        date(2002, 10, 23), date(2026, 8, 11), date(2028, 3, 31),
    )  # fmt: skip
    assert person.contracted_hours_per_week == 30
    page = client.get(response.location).get_data(as_text=True)
    assert 'value="Occupational therapist"' in page and 'value="occupational_therapy"' not in page


def test_the_person_page_refuses_wording_no_profession_has(world, as_user, nothing_written):
    with nothing_written():
        response = as_user(world.lead).post("/admin/users/new", data={**PERSON, "profession": "Ward Clerk"})
    assert response.status_code == 400
    assert_error(response.get_data(as_text=True), "profession", UNKNOWN)
    assert stored("30200106") is None


def test_the_api_stores_the_key_and_refuses_an_unknown_profession(client, world, nothing_written):
    header = {"Authorization": f"Bearer {tokens.issue(world.lead)}"}
    body = {**PERSON, "profession": "Registered Midwife", "contracted_hours_per_week": 37.5,
            "preceptor_training_date": None, "date_of_birth": "2004-07-07"}  # fmt: skip
    created = client.post("/api/v1/people", json=body, headers=header)
    assert created.status_code == 201, created.json
    assert created.json["profession"] == "midwifery" and created.json["date_of_birth"] == "2004-07-07"
    with nothing_written():
        refused = client.patch(f"/api/v1/people/{created.json['id']}", json={"profession": "Ward Clerk"},
                               headers=header)  # fmt: skip
    assert refused.status_code == 422, refused.json
    assert refused.json["error"]["fields"] == {"profession": UNKNOWN}
