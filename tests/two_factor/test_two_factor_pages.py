"""Two-factor through the pages: the code after the password, the rule for leads, the fresh sign-in, throttling."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from app.services import account_links, two_factor
from tests.access.test_throttling import PROXY, WARD, browser
from tests.factories import PASSWORD, AdminFactory
from tests.two_factor.conftest import code_now, switched_on
from tests.web.conftest import FreshClient, shown


def password_step(app, user, **environ):
    client = FreshClient(app, app.response_class, use_cookies=True)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD}, **environ)
    return client, response


def refused(action: str) -> int:
    db.session.expire_all()
    return len(list(db.session.scalars(select(AuditEvent.id).where(AuditEvent.action == action))))


def test_sign_in_asks_for_the_code_after_the_password(app, world, clock):
    secret, _ = switched_on(world.lead)
    client, response = password_step(app, world.lead)
    assert response.location == "/login/code"
    assert client.get("/lead/").location.startswith("/login"), "nobody is signed in between password and code"
    page = client.get("/login/code")
    assert page.status_code == 200 and "Enter your two-factor code" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"

    wrong = client.post("/login/code", data={"code": "000000" if code_now(secret) != "000000" else "111111"})
    assert wrong.status_code == 401
    assert "The code is not right" in wrong.get_data(as_text=True)
    assert client.get("/lead/").location.startswith("/login")
    assert refused("two_factor.sign_in.refused") == 1

    clock.shift(timedelta(seconds=30))
    right = client.post("/login/code", data={"code": code_now(secret)})
    assert right.location == "/"
    assert client.get("/lead/").status_code == 200
    db.session.expire_all()
    trail = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.actor_id == world.lead.id, AuditEvent.action.like("auth.%"))
        .order_by(AuditEvent.id)  # without an order PostgreSQL may return them either way
    )
    assert list(trail) == ["auth.password_passed", "auth.login"], "signed in only once the code was right"


def test_the_page_asked_for_is_reached_after_the_code(app, world, clock):
    secret, _ = switched_on(world.lead)
    client = FreshClient(app, app.response_class, use_cookies=True)
    client.post("/login?next=/admin/users", data={"email": world.lead.email, "password": PASSWORD})
    clock.shift(timedelta(seconds=30))
    assert client.post("/login/code", data={"code": code_now(secret)}).location == "/admin/users"


def test_a_recovery_code_signs_in_once_and_says_how_many_are_left(app, world, clock):
    _, codes = switched_on(world.lead)
    client, _ = password_step(app, world.lead)
    assert client.post("/login/code", data={"code": codes[0]}).location == "/"
    assert "You have 9 left" in client.get("/lead/").get_data(as_text=True)
    again, _ = password_step(app, world.lead)
    reused = again.post("/login/code", data={"code": codes[0]})
    assert reused.status_code == 401 and "already been used" in reused.get_data(as_text=True)


def test_the_code_page_without_a_password_first_goes_back_to_sign_in(app, world, clock):
    switched_on(world.lead)
    client = FreshClient(app, app.response_class, use_cookies=True)
    assert client.get("/login/code").location == "/login"
    client, _ = password_step(app, world.lead)
    clock.shift(timedelta(minutes=6))
    assert client.post("/login/code", data={"code": "123456"}).location == "/login"


def test_people_without_two_factor_sign_in_with_the_password_alone(app, world):
    _, response = password_step(app, world.lead)
    assert response.location == "/"


def test_required_for_leads_sends_a_lead_to_set_it_up_and_nowhere_else_until_done(app, world, as_user, clock):
    admin = AdminFactory(organisation=world.lead.organisation)
    admin_client = as_user(admin)
    refusal = admin_client.post("/admin/two-factor", data={"required": "yes"})
    assert refusal.status_code == 400 and "Set up two-factor for your own account first" in refusal.get_data(
        as_text=True
    )
    switched_on(admin)
    assert admin_client.post("/admin/two-factor", data={"required": "yes"}).location == "/admin/two-factor"
    assert "Leads and administrators must now use two-factor" in admin_client.get("/admin/two-factor").get_data(
        as_text=True
    )
    assert refused("two_factor.policy_changed") == 1 and refused("two_factor.policy.refused") == 1

    client, response = password_step(app, world.lead)
    assert response.location == "/"
    for path in ("/", "/lead/", "/admin/users", "/reports/cohorts", "/account/password"):
        assert client.get(path).location == "/account/two-factor", path
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "requires programme leads and administrators to use two-factor" in page
    assert client.post("/account/two-factor/start").location == "/account/two-factor/set-up"
    setup_page = client.get("/account/two-factor/set-up").get_data(as_text=True)
    secret = re.search(r'id="secret"><code>([A-Z2-7 ]+)</code>', setup_page).group(1).replace(" ", "")
    assert "<svg" in setup_page and 'aria-label="QR code' in setup_page
    codes_page = client.post("/account/two-factor/set-up", data={"code": code_now(secret)})
    assert codes_page.status_code == 200
    assert (
        len(
            re.findall(
                r"<code class=\"nhsuk-body-l\">[A-Z2-9]{5}-[A-Z2-9]{5}</code>", codes_page.get_data(as_text=True)
            )
        )
        == 10
    )
    assert client.get("/lead/").status_code == 200
    # The preceptor is not a lead: the rule does not apply to them.
    _, preceptor = password_step(app, world.preceptor)
    assert preceptor.location == "/"


def test_an_sso_sign_in_relies_on_the_providers_second_factor(app, world, as_user, clock):
    admin = AdminFactory(organisation=world.lead.organisation)
    switched_on(admin)
    two_factor.set_required(admin, world.lead.organisation_id, True)
    client = as_user(world.lead)
    assert client.get("/lead/").location == "/account/two-factor"
    with client.session_transaction() as session:
        session["signed_in_by"] = "sso"
    assert client.get("/lead/").status_code == 200


def test_the_fresh_sign_in_before_exporting_asks_for_the_code_too(app, world, as_user, clock):
    secret, _ = switched_on(world.lead)
    client = as_user(world.lead)
    with client.session_transaction() as session:
        session["fresh_at"] = int(time.time()) - 3600
    download = "/reports/cohorts/download.csv"
    asked = client.get(download)
    assert asked.location.startswith("/reauthenticate")
    step = client.post(asked.location, data={"password": PASSWORD})
    assert step.location == "/reauthenticate/code"
    assert client.get(download).location.startswith("/reauthenticate"), "the password alone is not a fresh sign-in"
    page = client.get("/reauthenticate/code").get_data(as_text=True)
    assert "Enter the code from your authenticator app as well" in page
    assert client.post("/reauthenticate/code", data={"code": code_now(secret)}).status_code == 401, "used at set-up"
    clock.shift(timedelta(seconds=30))
    assert client.post("/reauthenticate/code", data={"code": code_now(secret)}).location == download
    assert client.get(download).status_code == 200
    assert refused("two_factor.reauthenticate.refused") == 1


def test_turning_off_and_new_recovery_codes_through_the_pages(app, world, as_user, clock):
    secret, _ = switched_on(world.lead)
    client = as_user(world.lead)
    assert "10 unused recovery codes" in client.get("/account/two-factor").get_data(as_text=True)
    clock.shift(timedelta(seconds=30))
    new = client.post("/account/two-factor/recovery-codes", data={"code": code_now(secret)})
    assert "Your new recovery codes" in new.get_data(as_text=True)
    wrong = client.post("/account/two-factor/turn-off", data={"code": code_now(secret)})
    assert wrong.status_code == 400 and "already been used" in wrong.get_data(as_text=True)
    assert two_factor.is_enabled(world.lead)
    clock.shift(timedelta(seconds=30))
    assert (
        client.post("/account/two-factor/turn-off", data={"code": code_now(secret)}).location == "/account/two-factor"
    )
    assert not two_factor.is_enabled(world.lead)
    assert refused("two_factor.turn_off.refused") == 1 and refused("two_factor.disabled") == 1


def test_only_admins_open_the_rule_page(app, world, as_user):
    assert as_user(world.lead).get("/admin/two-factor").status_code == 403
    admin = AdminFactory(organisation=world.lead.organisation)
    page = as_user(admin).get("/admin/two-factor")
    assert page.status_code == 200 and world.lead.email in page.get_data(as_text=True)
    bad = as_user(admin).post("/admin/two-factor", data={"required": "maybe"})
    assert bad.status_code == 400 and not two_factor.required(admin.organisation_id)


def test_wrong_codes_count_as_failed_sign_ins_and_lock_the_account(throttled, world, clock):
    secret, _ = switched_on(world.lead)
    environ = {"headers": {"X-Forwarded-For": WARD}, "environ_base": {"REMOTE_ADDR": PROXY}}
    client, _ = password_step(throttled, world.lead, **environ)
    right = code_now(secret, 1)
    wrong = [f"{n:06d}" for n in range(1000) if f"{n:06d}" not in {code_now(secret, d) for d in (-1, 0, 1)}]
    for n in range(10):
        assert client.post("/login/code", data={"code": wrong[n]}, **environ).status_code == 401, n
    locked = client.post("/login/code", data={"code": right}, **environ)
    assert locked.status_code == 429 and "this account is locked" in locked.get_data(as_text=True)
    assert browser(throttled).get("/lead/", **environ).location.startswith("/login")


def test_the_admin_page_resets_a_persons_two_factor(app, world, as_user, clock):
    admin = AdminFactory(organisation=world.lead.organisation)
    switched_on(world.lead)
    client = as_user(admin)
    assert f"Reset two-factor for {shown(world.lead)}" in client.get("/admin/two-factor").get_data(as_text=True)
    assert client.post(f"/admin/two-factor/reset/{world.lead.id}").location == "/admin/two-factor"
    assert "two-factor is reset" in client.get("/admin/two-factor").get_data(as_text=True)
    assert not two_factor.is_enabled(world.lead)
    assert as_user(world.lead).post(f"/admin/two-factor/reset/{admin.id}").status_code == 403
    _, response = password_step(app, world.lead)
    assert response.location == "/"


def test_a_password_reset_link_does_not_skip_the_code(app, world, clock):
    secret, _ = switched_on(world.lead)
    issued = account_links.reset_requested(world.lead.email)
    client = FreshClient(app, app.response_class, use_cookies=True)
    new_password = "plum orchard lantern quietly"
    data = {"new_password": new_password, "confirm_password": new_password}
    assert client.post(f"/account/set-password/{issued.token}", data=data).location == "/login/code"
    assert client.get("/lead/").location.startswith("/login")
    page = client.get("/login/code").get_data(as_text=True)
    assert "Your password is set. Now enter your code." in page
    clock.shift(timedelta(seconds=30))
    assert client.post("/login/code", data={"code": code_now(secret)}).location == "/"
    assert client.get("/lead/").status_code == 200
