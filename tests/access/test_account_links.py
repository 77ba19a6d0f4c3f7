"""Reset links: 'Forgot your password?' reveals nobody; a link works once, expires, and is stored hashed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.extensions import db
from app.models import AccountLink, User
from app.services.passwords import verify_password
from tests.access.conftest import emails, link_in
from tests.conftest import resets_done
from tests.web.conftest import FreshClient

NEW_PASSWORD = "plum orchard lantern quietly"
SET = {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}


def ask_for_reset(client, address: str):
    """Ask, then wait for the reset queue to finish the request (the page answers before the email is sent)."""
    response = client.post("/account/forgot-password", data={"email": address})
    resets_done()
    return response


def test_forgot_password_answers_the_same_for_an_unknown_address(app, world, mailbox):
    client = app.test_client()
    known = ask_for_reset(client, world.learner.email).get_data(as_text=True)
    unknown = ask_for_reset(client, "nobody.here@nhs.test").get_data(as_text=True)
    assert known.replace(world.learner.email, "ADDRESS") == unknown.replace("nobody.here@nhs.test", "ADDRESS")
    assert [m["To"].split("<")[-1] for m in emails(mailbox)] == [f"{world.learner.email}>"]


def test_the_link_is_stored_hashed_and_sets_the_password_once(app, world, mailbox):
    ask_for_reset(app.test_client(), world.learner.email)
    link = link_in(emails(mailbox)[0])
    token = link.rsplit("/", 1)[1]
    stored = db.session.scalars(db.select(AccountLink.token_hash)).one()
    assert token not in stored and len(stored) == 64
    client = FreshClient(app, app.response_class, use_cookies=True)
    assert client.post(link, data=SET).status_code == 302
    assert client.get("/learner/").status_code == 200  # signed in straight away
    db.session.expire_all()
    assert verify_password(db.session.get(User, world.learner.id).password_hash, NEW_PASSWORD)
    again = FreshClient(app, app.response_class).get(link)
    assert again.status_code == 410 and "already been used" in again.get_data(as_text=True)


def test_an_expired_link_says_so(app, world, mailbox, time_machine):
    time_machine.move_to(datetime.now(UTC))
    ask_for_reset(app.test_client(), world.learner.email)
    link = link_in(emails(mailbox)[0])
    time_machine.move_to(datetime.now(UTC) + timedelta(hours=25))
    response = app.test_client().post(link, data=SET)
    assert response.status_code == 410 and "This link has expired" in response.get_data(as_text=True)


def test_a_made_up_link_says_so(app, world):
    response = app.test_client().get("/account/set-password/" + "A" * 43)
    assert response.status_code == 410 and "not right" in response.get_data(as_text=True)


def test_a_weak_password_is_refused_on_the_link_page_and_the_link_still_works(app, world, mailbox):
    ask_for_reset(app.test_client(), world.learner.email)
    link = link_in(emails(mailbox)[0])
    weak = app.test_client().post(link, data={"new_password": "password1234", "confirm_password": "password1234"})
    assert weak.status_code == 400 and "too common" in weak.get_data(as_text=True)
    assert app.test_client().post(link, data=SET).status_code == 302


def test_a_newer_link_replaces_the_older_one(app, world, mailbox):
    ask_for_reset(app.test_client(), world.learner.email)
    ask_for_reset(app.test_client(), world.learner.email)
    first, second = (link_in(m) for m in emails(mailbox))
    assert app.test_client().get(first).status_code == 410
    assert app.test_client().get(second).status_code == 200
