"""Sign-in, sessions, passwords, throttling, CSRF, headers, cookies and the error pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from flask import abort

from app.extensions import db
from app.models import HoursEntry, User
from app.services.clock import today
from app.services.passwords import verify_password
from tests.factories import PASSWORD
from tests.web.conftest import FreshClient, assert_error, count, date_fields, second_app

NEW_PASSWORD = "plum orchard lantern quietly"


def change(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    data = {"current_password": current, "new_password": new, "confirm_password": confirm or new}
    return client.post("/account/password", data=data)


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"current": "wrong password entirely"}, "current_password", "Your current password is not right"),
        ({"new": "short pass"}, "new_password", "at least 12 characters"),
        ({"new": "x" * 60 + "y" * 69}, "new_password", "128 characters or fewer"),
        ({"new": "password1234"}, "new_password", "too common"),
        ({"new": "aaaaaaaaaaaaaaaa"}, "new_password", "too common"),
        ({"confirm": "plum orchard lantern quiet"}, "confirm_password", "The passwords do not match"),
    ],
)
def test_change_password_refuses_weak_or_wrong(world, as_user, kwargs, field, message):
    response = change(as_user(world.learner), **kwargs)
    assert response.status_code == 400
    assert_error(response.get_data(as_text=True), field, message)
    db.session.expire_all()
    assert verify_password(db.session.get(User, world.learner.id).password_hash, PASSWORD)


def test_change_password_hashes_with_argon2id_and_ends_other_sessions(world, as_user):
    other_browser = as_user(world.learner)
    response = change(as_user(world.learner))
    assert response.status_code == 302 and response.location.endswith("/login")
    db.session.expire_all()
    stored = db.session.get(User, world.learner.id).password_hash
    assert stored.startswith("$argon2id$") and verify_password(stored, NEW_PASSWORD)
    assert "/login" in other_browser.get("/learner/").location


def test_a_long_passphrase_is_accepted(world, as_user):
    assert change(as_user(world.learner), new="a" + "b c d e f g " * 10).status_code == 302


def test_logout_ends_the_session(world, as_user):
    client = as_user(world.learner)
    assert client.post("/logout").status_code == 302
    assert "/login" in client.get("/learner/").location


def test_logout_needs_post(world, as_user):
    client = as_user(world.learner)
    assert client.get("/logout").status_code == 405
    assert client.get("/learner/").status_code == 200


def test_disabling_an_account_ends_its_session(world, as_user):
    client = as_user(world.learner)
    world.learner.is_enabled = False
    db.session.commit()
    assert "/login" in client.get("/learner/").location
    assert client.post("/login", data={"email": world.learner.email, "password": PASSWORD}).status_code == 401


def test_sign_in_form_errors(world, client):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 400
    assert_error(response.get_data(as_text=True), "email", "Enter your email address")
    assert_error(response.get_data(as_text=True), "password", "Enter your password")


def test_wrong_password_gets_one_message_for_both_fields(world, client):
    response = client.post("/login", data={"email": world.learner.email, "password": "nope nope nope"})
    assert response.status_code == 401
    assert_error(response.get_data(as_text=True), "email", "Enter a correct email address and password")
    response = client.post("/login", data={"email": "nobody@nhs.test", "password": "nope nope nope"})
    assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_idle_time_out(world, as_user, time_machine):
    client = as_user(world.learner)
    time_machine.move_to(datetime.now(UTC) + timedelta(minutes=31))
    response = client.get("/learner/")
    assert response.status_code == 302 and "/login" in response.location


def test_activity_keeps_the_session_alive_until_the_absolute_limit(world, as_user, time_machine):
    client = as_user(world.learner)
    start = datetime.now(UTC)
    for minutes in range(25, 12 * 60, 25):
        time_machine.move_to(start + timedelta(minutes=minutes))
        assert client.get("/learner/").status_code == 200, minutes
    time_machine.move_to(start + timedelta(hours=12, minutes=5))
    assert "/login" in client.get("/learner/").location


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "evil"]
)
def test_next_only_goes_within_the_app(world, client, target):
    response = client.post(f"/login?next={target}", data={"email": world.learner.email, "password": PASSWORD})
    assert response.status_code == 302 and response.location in ("/", "http://waymark.test/")


def test_next_within_the_app_is_followed(world, client):
    target = f"/learner/enrolments/{world.enrolment.id}/hours"
    response = client.post(f"/login?next={target}", data={"email": world.learner.email, "password": PASSWORD})
    assert response.location.endswith(target)


def test_login_throttled_by_account_then_released(world, limited_app, time_machine):
    time_machine.move_to(datetime.now(UTC))
    client = limited_app.test_client()
    wrong = {"email": world.learner.email, "password": "not the password"}
    for _ in range(3):
        assert client.post("/login", data=wrong).status_code == 401
    blocked = client.post("/login", data={"email": world.learner.email, "password": PASSWORD})
    assert blocked.status_code == 429 and "Too many attempts" in blocked.get_data(as_text=True)
    # Another account from the same address still gets in: the limit is per account.
    assert client.post("/login", data={"email": world.preceptor.email, "password": PASSWORD}).status_code == 302
    # No permanent lock-out: the window passes and the real user signs in.
    time_machine.move_to(datetime.now(UTC) + timedelta(minutes=16))
    fresh = limited_app.test_client()
    assert fresh.post("/login", data={"email": world.learner.email, "password": PASSWORD}).status_code == 302


def test_login_throttled_by_address(world, limited_app):
    client = limited_app.test_client()
    for n in range(6):
        assert client.post("/login", data={"email": f"guess{n}@nhs.test", "password": "x"}).status_code == 401
    assert client.post("/login", data={"email": world.lead.email, "password": PASSWORD}).status_code == 429
    other_address = client.post(
        "/login", data={"email": world.lead.email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert other_address.status_code == 302


@pytest.fixture
def csrf_app(app):
    return second_app(app, WTF_CSRF_ENABLED=True)


def test_csrf_token_required(world, csrf_app):
    client = FreshClient(csrf_app, csrf_app.response_class, use_cookies=True)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"email": world.learner.email, "password": PASSWORD}).status_code == 400
    login = client.post("/login", data={"email": world.learner.email, "password": PASSWORD, "csrf_token": token})
    assert login.status_code == 302
    url = f"/learner/enrolments/{world.enrolment.id}/hours/new"
    data = {**date_fields("worked_on", today()), "hours": "1", "activity_type": "study", "learning": "Reading"}
    refused = client.post(url, data=data)
    assert refused.status_code == 400 and "Your form expired" in refused.get_data(as_text=True)
    assert count(HoursEntry) == 0
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)
    assert client.post(url, data={**data, "csrf_token": token}).status_code == 302
    sign_out = re.search(
        r'action="/logout".*?name="csrf_token" value="([^"]+)"', client.get("/learner/").get_data(as_text=True), re.S
    )
    assert client.post("/logout", data={"csrf_token": sign_out.group(1)}).status_code == 302
    assert "/login" in client.get("/learner/").location


def test_every_post_form_carries_a_csrf_token(world, as_user):
    pages = {
        world.learner: [f"/learner/enrolments/{world.enrolment.id}/hours/new", "/account/password"],
        world.preceptor: [
            f"/preceptor/enrolments/{world.enrolment.id}",
            "/preceptor/signoffs",
            f"/preceptor/enrolments/{world.enrolment.id}/reviews/new",
        ],
        world.lead: [
            "/lead/cohorts/new",
            "/lead/enrol",
            f"/lead/enrolments/{world.enrolment.id}",
            f"/lead/enrolments/{world.enrolment.id}/hold",
            f"/lead/enrolments/{world.enrolment.id}/checks/new",
        ],
    }
    seen = 0
    for user, urls in pages.items():
        client = as_user(user)
        for url in urls:
            html = client.get(url).get_data(as_text=True)
            for form in re.findall(r'<form[^>]*method="post".*?</form>', html, re.S | re.I):
                assert 'name="csrf_token"' in form, (url, form[:200])
                seen += 1
    assert seen >= 10


def test_security_headers(world, client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_pages_have_no_inline_script_of_our_own(world, as_user):
    html = as_user(world.learner).get("/learner/").get_data(as_text=True)
    inline = [s for s in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)]
    # The only one is nhsuk-frontend's js-enabled line, which our CSP blocks; init.js does its job.
    assert all("js-enabled" in s for s in inline)
    assert '<script type="module" src="/static/init.js"></script>' in html


def test_https_cookies_and_hsts(world, app):
    secure = second_app(app, HTTPS=True)
    response = secure.test_client().post("/login", data={"email": world.learner.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Domain=" not in cookie
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_not_found_page(world, as_user):
    response = as_user(world.learner).get("/learner/enrolments/999999")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" in html and "nhsuk-header" in html


def test_forbidden_page(world, as_user):
    response = as_user(world.learner).get("/lead/")
    assert response.status_code == 403 and "You do not have access to this page" in response.get_data(as_text=True)


def test_server_error_page(app):
    broken = second_app(app, TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @broken.get("/boom")
    def boom():
        abort(500)

    @broken.get("/crash")
    def crash():
        raise RuntimeError("deliberate")

    for path in ("/boom", "/crash"):
        response = broken.test_client().get(path)
        assert response.status_code == 500
        assert "Sorry, there is a problem with the service" in response.get_data(as_text=True)


def test_a_password_hashed_with_the_old_parameters_signs_in_and_is_hashed_again(world, client):
    db.session.get(User, world.learner.id).password_hash = PasswordHasher().hash(PASSWORD)  # 64 MiB, 3 passes, 4 lanes
    db.session.commit()
    assert client.post("/login", data={"email": world.learner.email, "password": PASSWORD}).status_code == 302
    db.session.expire_all()
    stored = db.session.get(User, world.learner.id).password_hash
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$") and verify_password(stored, PASSWORD)
