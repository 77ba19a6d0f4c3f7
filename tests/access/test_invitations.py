"""Invitations: from a person's page, after an import, and from the command line; each link sets a password once."""

from __future__ import annotations

from app.extensions import db
from app.models import User
from tests.access.conftest import emails, link_in, text_of
from tests.factories import LearnerFactory
from tests.web.conftest import FreshClient

NEW_PASSWORD = "plum orchard lantern quietly"


def newcomer(world, **kwargs) -> User:
    return LearnerFactory(organisation=world.lead.organisation, password_hash=None, **kwargs)


def test_a_lead_invites_a_person_who_sets_a_password_and_lands_on_their_home(app, world, as_user, mailbox):
    person = newcomer(world, first_name="Chidi", last_name="O'Neill", email="chidi@nhs.test")
    page = as_user(world.lead).get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert "Send invitation" in page
    sent = as_user(world.lead).post("/admin/users/invite", data={"person_id": str(person.id), "back": "person"})
    assert sent.status_code == 302
    [message] = emails(mailbox)
    assert message["Subject"] == "Set your password for Waymark"
    assert "Dear Chidi," in text_of(message) and "expires at" in text_of(message)
    assert "O'Neill" in message["To"]
    browser = FreshClient(app, app.response_class, use_cookies=True)
    link = link_in(message)
    assert "Set your password" in browser.get(link).get_data(as_text=True)
    done = browser.post(link, data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert done.status_code == 302
    assert browser.get(done.location, follow_redirects=True).request.path == "/learner/"


def test_someone_with_a_password_is_not_invited(world, as_user, mailbox):
    response = as_user(world.lead).post("/admin/users/invite", data={"person_id": str(world.learner.id)})
    assert response.status_code == 302 and emails(mailbox) == []


def test_cli_invites_one_line_per_person(app, world, mailbox):
    first, second = newcomer(world, email="one@nhs.test"), newcomer(world, email="two@nhs.test")
    result = app.test_cli_runner().invoke(args=["users", "invite", first.email, second.email, "ghost@nhs.test"])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1
    assert lines[0].startswith("one@nhs.test: invitation sent, the link expires on")
    assert lines[1].startswith("two@nhs.test: invitation sent")
    assert lines[2] == "ghost@nhs.test: There is no one with the email address ghost@nhs.test"
    assert sorted(m["To"].split("<")[-1] for m in emails(mailbox)) == ["one@nhs.test>", "two@nhs.test>"]


def test_a_disabled_persons_link_stops_working(app, world, as_user, mailbox):
    person = newcomer(world)
    as_user(world.lead).post("/admin/users/invite", data={"person_id": str(person.id)})
    as_user(world.lead).post(f"/admin/users/{person.id}/disable")
    response = FreshClient(app, app.response_class).get(link_in(emails(mailbox)[0]))
    assert response.status_code == 410 and "disabled" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, person.id).password_hash is None
