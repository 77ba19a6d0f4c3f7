"""Search from the header: people and enrolments by name, employee number or email, within what one may see."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import User
from app.services import enrolments
from app.services.clock import today
from tests.factories import LearnerFactory


@pytest.fixture
def zoe(world):
    person = LearnerFactory(
        organisation=world.lead.organisation,
        first_name="Zoë",
        last_name="Brontë",
        email="zoe.bronte@nhs.test",
        employee_number="E771234",
    )
    enrolments.enrol(world.lead, learner_id=person.id, pathway_key="preceptorship",
                     start_date=today() - timedelta(days=10), preceptor_id=world.preceptor.id)  # fmt: skip
    return person


@pytest.mark.parametrize("query", ["zoe", "ZOE", "Zoë", "bron", "zo bront", "brontë zoë", "E7712", "e771234",
                                   "zoe.bronte@nhs.test", "zoe.bronte"])  # fmt: skip
def test_finds_a_person_whatever_the_case_accents_or_how_much_is_typed(world, as_user, zoe, query):
    html = as_user(world.lead).get("/search/", query_string={"q": query}).get_data(as_text=True)
    assert "Zoë Brontë" in html and "Preceptorship" in html


@pytest.mark.parametrize("query", ["zoey", "ronte", "Zoë Smith", "771234"])
def test_every_word_must_start_a_word(world, as_user, zoe, query):
    html = as_user(world.lead).get("/search/", query_string={"q": query}).get_data(as_text=True)
    assert "Nobody matches" in html


@pytest.mark.parametrize("query", ["o'neill", "ONeill siob", "neill"])
def test_names_with_apostrophes(world, as_user, query):
    LearnerFactory(organisation=world.lead.organisation, first_name="Siobhán", last_name="O'Neill")
    html = as_user(world.lead).get("/search/", query_string={"q": query}).get_data(as_text=True)
    assert ("Siobhán O&#39;Neill" in html) == (query != "ONeill siob")


def test_other_organisations_are_never_found(world, as_user, zoe):
    assert "Zoë Brontë" not in as_user(world.foreign_lead).get("/search/?q=zoe").get_data(as_text=True)


def test_a_preceptor_finds_only_their_own_learners(world, as_user, zoe):
    mine = as_user(world.preceptor).get("/search/?q=zoe").get_data(as_text=True)
    assert "Zoë Brontë" in mine and "/preceptor/enrolments/" in mine
    assert "Zoë Brontë" not in as_user(world.other_preceptor).get("/search/?q=zoe").get_data(as_text=True)


def test_learners_have_no_search(world, as_user, zoe):
    assert as_user(world.learner).get("/search/?q=zoe").status_code == 403


def test_the_header_of_lead_and_preceptor_pages_has_search(world, as_user):
    for user, path in ((world.lead, "/lead/home"), (world.preceptor, "/preceptor/")):
        html = as_user(user).get(path).get_data(as_text=True)
        assert 'action="/search/"' in html and 'name="q"' in html
    assert 'action="/search/"' not in as_user(world.learner).get("/learner/").get_data(as_text=True)


def test_a_person_written_outside_the_services_is_found_too(world, as_user):
    """The index is kept by the database itself, so bulk loads and imports are searchable at once."""
    db.session.execute(
        sa.insert(User).values(
            organisation_id=world.lead.organisation_id,
            email="anais@nhs.test",
            first_name="Anaïs",
            last_name="Nin",
            employee_number="E9",
            role="learner",
        )  # fmt: skip
    )
    db.session.commit()
    client = as_user(world.lead)
    assert "Anaïs Nin" in client.get("/search/?q=anais").get_data(as_text=True)
    db.session.execute(sa.update(User).where(User.email == "anais@nhs.test").values(last_name="Ninette"))
    db.session.commit()
    assert "Anaïs Ninette" in client.get("/search/?q=ninet").get_data(as_text=True)
    db.session.execute(sa.delete(User).where(User.email == "anais@nhs.test"))
    db.session.commit()
    assert "Nobody matches" in client.get("/search/?q=anais").get_data(as_text=True)


@pytest.mark.parametrize("query", ["x" * 101, '"*) OR 1', "NEAR(a b)", "%_", "'; DROP TABLE users; --"])
def test_odd_queries_are_answered_not_500(world, as_user, query):
    response = as_user(world.lead).get("/search/", query_string={"q": query})
    assert response.status_code in (200, 400)
