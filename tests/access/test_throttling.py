"""Only wrong passwords count, per account and per address, behind a trusted proxy; a lock lifts by itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import redis

from app.extensions import db
from app.models import AuditEvent
from tests.access.conftest import _limited, emails, link_in, text_of
from tests.factories import PASSWORD
from tests.servers import free_port
from tests.web.conftest import FreshClient, second_app

PROXY = "10.0.0.1"  # the TLS proxy; the client's address comes in X-Forwarded-For
WARD = "192.0.2.10"  # one NHS network's shared outgoing address
NEW_PASSWORD = "plum orchard lantern quietly"


def through_proxy(client, email, password, address=WARD):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        headers={"X-Forwarded-For": address},
        environ_base={"REMOTE_ADDR": PROXY},
    )


def browser(app):
    return FreshClient(app, app.response_class, use_cookies=True)


def test_sixty_successful_sign_ins_from_one_address_through_the_proxy_all_get_in(throttled, world):
    people = [world.lead, world.preceptor, world.learner, world.other_learner]
    for n in range(60):
        response = through_proxy(browser(throttled), people[n % 4].email, PASSWORD)
        assert response.status_code == 302, n


def test_ten_wrong_passwords_lock_the_account_and_email_a_reset_link(throttled, world, mailbox):
    client = browser(throttled)
    for n in range(10):
        assert through_proxy(client, world.learner.email, f"wrong guess {n}").status_code == 401, n
    locked = through_proxy(client, world.learner.email, PASSWORD)
    assert locked.status_code == 429
    assert "this account is locked" in locked.get_data(as_text=True)
    # Someone else behind the same address still gets in: the lock is the account's.
    assert through_proxy(browser(throttled), world.lead.email, PASSWORD).status_code == 302
    [message] = emails(mailbox)
    assert message["To"].endswith(f"<{world.learner.email}>")
    assert message["Subject"] == "Your Waymark account is locked for a while"
    assert "10 times" in text_of(message)
    with throttled.app_context():
        assert db.session.scalar(db.select(AuditEvent.action).where(AuditEvent.action == "auth.account_locked"))
    # The link in the email sets a new password, signs in and lifts the lock.
    link = link_in(message)
    assert client.get(link).status_code == 200
    data = {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    assert client.post(link, data=data).location == "/"
    assert through_proxy(browser(throttled), world.learner.email, NEW_PASSWORD).status_code == 302


def test_the_lock_lifts_by_itself(throttled, world, time_machine):
    start = datetime.now(UTC)
    time_machine.move_to(start)
    for n in range(10):
        through_proxy(browser(throttled), world.learner.email, f"wrong guess {n}")
    assert through_proxy(browser(throttled), world.learner.email, PASSWORD).status_code == 429
    time_machine.move_to(start + timedelta(minutes=14))
    assert through_proxy(browser(throttled), world.learner.email, PASSWORD).status_code == 429
    time_machine.move_to(start + timedelta(minutes=16))
    assert through_proxy(browser(throttled), world.learner.email, PASSWORD).status_code == 302


def test_wrong_passwords_from_one_address_block_that_address_only(throttled, world):
    for n in range(20):
        assert through_proxy(browser(throttled), f"guess{n}@nhs.test", "wrong password").status_code == 401
    blocked = through_proxy(browser(throttled), world.lead.email, PASSWORD)
    assert blocked.status_code == 429 and "Too many attempts from your network" in blocked.get_data(as_text=True)
    assert through_proxy(browser(throttled), world.lead.email, PASSWORD, address="198.51.100.7").status_code == 302


def test_without_a_trusted_proxy_the_forwarded_address_is_ignored(app, world, mailbox):
    for application in _limited(second_app(app, RATELIMIT_ENABLED=True, LOGIN_LIMIT_PER_ADDRESS="3 per 15 minutes")):
        for n in range(3):
            # A client cannot dodge the limit by making up X-Forwarded-For when no proxy is trusted.
            through_proxy(browser(application), f"guess{n}@nhs.test", "wrong", address=f"203.0.113.{n}")
        assert (
            through_proxy(browser(application), world.lead.email, PASSWORD, address="203.0.113.99").status_code == 429
        )


def test_a_wrong_password_when_confirming_it_is_you_counts_too(throttled, world, as_user):
    client = as_user(world.lead)
    for _ in range(10):
        client.post("/reauthenticate", data={"password": "not it at all"})
    refused = client.post("/reauthenticate", data={"password": PASSWORD})
    assert "this account is locked" in refused.get_data(as_text=True)


def lock_then_restart(app, world, **config):
    """Lock an account in one app process, then ask a freshly started one (its limiter storage built anew)."""
    config = {"RATELIMIT_ENABLED": True, **config}
    first = second_app(app, **config)
    for n in range(10):
        browser(first).post("/login", data={"email": world.learner.email, "password": f"wrong {n}"})
    for restarted in _limited(second_app(app, **config)):
        response = browser(restarted).post("/login", data={"email": world.learner.email, "password": PASSWORD})
        if uri := config.get("RATELIMIT_STORAGE_URI"):
            keys = [key.decode() for key in redis.Redis.from_url(uri).keys("LIMITS*")]
            assert any("sign-in-locked" in key for key in keys), keys
        return response
    raise AssertionError("unreachable")


def test_limits_kept_in_redis_outlive_a_process_and_are_shared(app, world, redis_url, mailbox):
    redis.Redis.from_url(redis_url).flushall()
    assert lock_then_restart(app, world, RATELIMIT_STORAGE_URI=redis_url, SMTP_PORT=mailbox.port).status_code == 429
    assert len(emails(mailbox)) == 1


def test_limits_kept_in_memory_are_per_process(app, world, mailbox):
    """Why production sets RATELIMIT_STORAGE_URI: each process would count on its own."""
    assert lock_then_restart(app, world, SMTP_PORT=mailbox.port).status_code == 302


def test_with_redis_down_people_still_sign_in_and_wrong_passwords_still_count(app, world, mailbox, caplog):
    """The limits' store cannot be reached: nobody is locked out for it, the failure is logged, and
    wrong passwords are counted in the process meanwhile (so guessing is still slowed)."""
    nowhere = f"redis://127.0.0.1:{free_port()}"
    config = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": nowhere, "SMTP_PORT": mailbox.port}
    for down in _limited(second_app(app, **config)):

        def sign_in(client, person, password=PASSWORD) -> int:
            return client.post("/login", data={"email": person.email, "password": password}).status_code

        assert sign_in(browser(down), world.lead) == 302
        client = browser(down)
        for n in range(10):
            assert sign_in(client, world.learner, f"wrong {n}") == 401
        assert sign_in(client, world.learner) == 429  # counted in memory while Redis is away
        assert sign_in(browser(down), world.preceptor) == 302
        reset = browser(down).post("/account/forgot-password", data={"email": world.learner.email})
        assert reset.status_code == 200  # the decorated limit on resets falls back too
    assert any("limit" in r.getMessage().lower() and "redis" in r.getMessage().lower() for r in caplog.records)
