"""The footer's accessibility statement, privacy notice and contact page: on every page, filled in by an admin."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, OrganisationPage
from app.services import footer_pages, retention
from app.services.errors import PermissionDenied
from tests.factories import AdminFactory, OrganisationFactory
from tests.web.conftest import FreshClient, assert_error, count

PATHS = {"accessibility": "/accessibility-statement", "privacy": "/privacy-notice", "contact": "/contact-us"}
OWN_CONTACT = "## Education team\n\nRing 0113 496 0000 or email\neducation@northgate.nhs.test\n\n- Monday to Friday"


def footer_links(html: str) -> list[str]:
    footer = html[html.index('<footer class="nhsuk-footer"') :]
    return [path for path in PATHS.values() if f'href="{path}"' in footer]


@pytest.mark.parametrize("path", ["/login", "/account/forgot-password", *PATHS.values()])
def test_signed_out_pages_link_to_all_three(app, path):
    response = FreshClient(app, app.response_class).get(path)
    assert response.status_code == 200
    assert footer_links(response.get_data(as_text=True)) == list(PATHS.values())


def test_signed_in_pages_link_to_all_three(world, as_user):
    for user, path in ((world.lead, "/lead/"), (world.learner, "/learner/"), (world.preceptor, "/preceptor/")):
        html = as_user(user).get(path, follow_redirects=True).get_data(as_text=True)
        assert footer_links(html) == list(PATHS.values()), path


def test_the_defaults_name_the_organisation_and_its_retention_period(world, as_user):
    admin = AdminFactory(organisation=world.lead.organisation)
    retention.set_period(admin, "8")
    html = as_user(world.learner).get("/privacy-notice").get_data(as_text=True)
    assert world.lead.organisation.name in html and "kept for 8 years after the date you leave" in html
    assert "<h2>Your rights</h2>" in html and "{organisation}" not in html
    statement = as_user(world.learner).get("/accessibility-statement").get_data(as_text=True)
    assert "WCAG version 2.2 AA" in statement
    assert "<li>navigate the whole service using just a keyboard</li>" in statement


def test_an_admin_fills_in_the_contact_page_and_signed_in_people_read_it(world, as_user):
    admin = AdminFactory(organisation=world.lead.organisation)
    client = as_user(admin)
    form = client.get("/admin/pages").get_data(as_text=True)
    assert "Ask your education team" not in form and "Problems signing in" in form  # the default, to edit
    response = client.post("/admin/pages", data={"contact": OWN_CONTACT})
    assert response.status_code == 302
    html = as_user(world.learner).get("/contact-us").get_data(as_text=True)
    assert "<h2>Education team</h2>" in html and "Ring 0113 496 0000 or email<br>education@northgate" in html
    assert "<li>Monday to Friday</li>" in html and "Problems signing in" not in html
    other = as_user(world.foreign_lead).get("/contact-us").get_data(as_text=True)
    assert "0113 496 0000" not in other and "Problems signing in" in other  # another organisation: its own
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "organisation.pages_set")).one()
    assert json.loads(event.detail)["changed"] == ["contact"] and event.actor_id == admin.id


def test_emptying_a_page_goes_back_to_the_default(world):
    admin = AdminFactory(organisation=world.lead.organisation)
    footer_pages.set_pages(admin, {"contact": OWN_CONTACT})
    assert footer_pages.set_pages(admin, {"contact": "  "}) == ["contact"]
    assert count(OrganisationPage) == 0
    assert footer_pages.page("contact", admin.organisation).customised is False


def test_signed_out_visitors_read_the_only_organisation_or_the_named_one(app, ctx, monkeypatch):
    only = OrganisationFactory(name="Northgate NHS Foundation Trust")
    footer_pages.set_pages(AdminFactory(organisation=only), {"contact": OWN_CONTACT})
    client = FreshClient(app, app.response_class)
    assert "0113 496 0000" in client.get("/contact-us").get_data(as_text=True)
    second = OrganisationFactory(name="Southgate Hospitals")
    assert "0113 496 0000" not in client.get("/contact-us").get_data(as_text=True)  # which one? the defaults
    monkeypatch.setitem(app.config, "FOOTER_ORGANISATION", second.slug)
    assert "Southgate Hospitals" in client.get("/privacy-notice").get_data(as_text=True)


def test_text_with_control_characters_is_refused_beside_its_field(world, as_user, nothing_written):
    admin = AdminFactory(organisation=world.lead.organisation)
    response = as_user(admin).post("/admin/pages", data={"privacy": "Hello\x00there"})
    assert response.status_code == 400
    assert "privacy" in response.get_data(as_text=True)


def test_only_an_admin_changes_the_pages_or_the_period(world, as_user):
    client = as_user(world.lead)
    assert client.get("/admin/pages").status_code == 403
    assert client.post("/admin/pages", data={"contact": "Mine"}).status_code == 403
    assert client.post("/admin/retention", data={"years": "1"}).status_code == 403
    with pytest.raises(PermissionDenied):
        footer_pages.set_pages(world.lead, {"contact": "Mine"})
    assert count(OrganisationPage) == 0


def test_an_admin_sets_the_retention_period_on_its_page(world, as_user):
    admin = AdminFactory(organisation=world.lead.organisation)
    client = as_user(admin)
    assert 'value="6"' in client.get("/admin/retention").get_data(as_text=True)
    wrong = client.post("/admin/retention", data={"years": "six"})
    assert wrong.status_code == 400
    message = "Enter the number of years as a whole number from 1 to 100, like 6"
    assert_error(wrong.get_data(as_text=True), "years", message)
    done = client.post("/admin/retention", data={"years": "7"}, follow_redirects=True)
    assert "People are now kept for 7 years after their leaving date" in done.get_data(as_text=True)
    assert retention.years_for(admin.organisation_id) == 7
