"""A lead imports three people and sends invitations; each sets a password from the email and reaches home."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect

from tests.access.conftest import emails, link_in
from tests.browser.conftest import sign_in
from tests.browser.test_browser_journeys import accessible, with_axe
from tests.reminders.conftest import Mailbox, free_port

CSV = (
    "employee_number,first_name,last_name,email,role,site\n"
    "N7001,Aisha,Begum,aisha.begum@northgate.example,learner,Northgate General Hospital\n"
    "N7002,Tomasz,Nowak,tomasz.nowak@northgate.example,learner,Northgate General Hospital\n"
    "N7003,Grace,O'Connor,grace.oconnor@northgate.example,preceptor,Riverside Health Centre\n"
)
PASSWORDS = ["plum orchard lantern quietly", "velvet turnip harbour kite", "copper meadow violin dusk"]
SHOTS = "/tmp/access-shots"


@pytest.fixture
def mailbox(live_app) -> Iterator[Mailbox]:
    box = Mailbox(free_port())
    saved = {name: live_app.config[name] for name in ("SMTP_HOST", "SMTP_PORT")}
    live_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=box.port)
    box.start()
    yield box
    box.stop()
    live_app.config.update(saved)


def _page(browser: Browser, base_url: str, width: int = 1280) -> Page:
    page = with_axe(browser.new_context(base_url=base_url, viewport={"width": width, "height": 900}).new_page())
    page.set_default_timeout(10_000)
    return page


def test_imported_people_set_their_passwords_from_the_invitation(browser, base_url, password, mailbox, tmp_path):
    lead = _page(browser, base_url)
    sign_in(lead, "lead@northgate.example", password)
    lead.goto("/import/")
    csv = tmp_path / "three.csv"
    csv.write_text(CSV)
    lead.set_input_files("input[type=file]", str(csv))
    lead.get_by_role("button", name="Check the file").click()
    lead.get_by_role("button", name=re.compile("Import")).click()
    expect(lead.get_by_role("heading", name="Send invitations")).to_be_visible()
    lead.screenshot(path=f"{SHOTS}/import-done.png", full_page=True)
    lead.get_by_role("button", name="Send invitations").click()
    expect(lead.get_by_text("Invitation sent to 3 people")).to_be_visible()
    lead.screenshot(path=f"{SHOTS}/people-list.png", full_page=True)

    messages = emails(mailbox)
    assert sorted(m["To"].split("<")[-1] for m in messages) == [
        "aisha.begum@northgate.example>",
        "grace.oconnor@northgate.example>",
        "tomasz.nowak@northgate.example>",
    ]
    homes = {"learner": "Your programmes", "preceptor": "Your learners"}
    for n, message in enumerate(sorted(messages, key=lambda m: m["To"])):
        person = _page(browser, base_url, width=375 if n == 0 else 1280)
        person.goto(link_in(message))
        expect(person.get_by_role("heading", name="Set your password")).to_be_visible()
        accessible(person)
        person.screenshot(path=f"{SHOTS}/set-password-{n}.png", full_page=True)
        person.get_by_label("New password", exact=True).fill(PASSWORDS[n])
        person.get_by_label("Confirm new password").fill(PASSWORDS[n])
        person.get_by_role("button", name="Set password and sign in").click()
        expect(person.get_by_text("Your password is set. You are signed in.")).to_be_visible()
        role = "preceptor" if "grace" in message["To"] else "learner"
        expect(person.get_by_role("link", name=homes[role]).first).to_be_visible()
        person.screenshot(path=f"{SHOTS}/first-home-{n}.png", full_page=True)
        # The same link again, from another browser: it says it was used.
        again = _page(browser, base_url)
        again.goto(link_in(message))
        expect(again.get_by_text("This link has already been used")).to_be_visible()
        if n == 0:
            again.screenshot(path=f"{SHOTS}/link-used.png", full_page=True)


def test_an_expired_invitation_says_so(browser, base_url, password, mailbox, live_app):
    from app.extensions import db
    from app.models import User
    from app.services import people

    with live_app.app_context():
        lead = db.session.scalar(db.select(User).where(User.email == "lead@northgate.example"))
        person = people.create(
            lead,
            {
                "first_name": "Late",
                "last_name": "Comer",
                "email": "late.comer@northgate.example",
                "employee_number": "N7999",
                "role": "learner",
            },
        )
        [issued] = people.invite(lead, [person.id])
        db.session.remove()
    link = "/account/set-password/" + issued.token
    with time_machine.travel(datetime.now(UTC) + timedelta(days=8), tick=True):
        page = _page(browser, base_url)
        page.goto(link)
        expect(page.get_by_text("This link has expired.")).to_be_visible()
        page.screenshot(path=f"{SHOTS}/link-expired.png", full_page=True)


PAGES = {
    "person": None,  # filled in: a person's page
    "people": "/admin/users",
    "sites": "/admin/sites",
    "tokens": "/account/tokens",
}


@pytest.mark.parametrize("width", [1280, 375])
def test_the_access_pages_are_accessible_at_desktop_and_phone_width(browser, base_url, password, width):
    admin = _page(browser, base_url, width)
    sign_in(admin, "admin@northgate.example", password)
    admin.goto("/admin/users")
    admin.get_by_role("link", name="Siobhan O'Neill").click()
    pages = {**PAGES, "person": admin.url.removeprefix(base_url)}
    for name, path in pages.items():
        admin.goto(path)
        accessible(admin)
        admin.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    signed_out = _page(browser, base_url, width)
    for name, path in {"login": "/login", "forgot": "/account/forgot-password"}.items():
        signed_out.goto(path)
        accessible(signed_out)
        signed_out.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
