"""The two-factor service: set-up, codes used once, recovery codes used once, the organisation's rule."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, RecoveryCode, TwoFactorCredential
from app.services import two_factor
from app.services.errors import PermissionDenied, StateConflict, ValidationFailed
from app.services.two_factor_keys import SecretUnreadable
from tests.factories import AdminFactory, LeadFactory
from tests.two_factor.conftest import code_now, switched_on


def actions(user) -> list[str]:
    db.session.expire_all()
    query = select(AuditEvent.action).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.id)
    return list(db.session.scalars(query))


def test_set_up_confirms_one_code_then_switches_on_with_ten_recovery_codes(world, clock):
    lead = world.lead
    setup = two_factor.start_setup(lead)
    assert setup.uri.startswith("otpauth://totp/Waymark:") and f"secret={setup.secret}" in setup.uri
    assert not two_factor.is_enabled(lead), "not on until a code from the app is confirmed"

    codes = two_factor.confirm_setup(lead, code_now(setup.secret))

    assert two_factor.is_enabled(lead)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert two_factor.recovery_codes_left(lead) == 10
    stored = db.session.scalar(select(TwoFactorCredential).where(TwoFactorCredential.user_id == lead.id))
    assert setup.secret not in stored.secret, "the secret is stored encrypted"
    hashes = set(db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == lead.id)))
    assert not any(code in hash_ or code.replace("-", "") in hash_ for code in codes for hash_ in hashes)
    assert actions(lead)[-2:] == ["two_factor.setup_started", "two_factor.enabled"]


def test_a_wrong_code_at_set_up_is_refused_audited_and_switches_nothing_on(world, clock):
    setup = two_factor.start_setup(world.lead)
    wrong = f"{(int(code_now(setup.secret)) + 1) % 1_000_000:06d}"
    with pytest.raises(ValidationFailed, match="Check your phone sets its time automatically"):
        two_factor.confirm_setup(world.lead, wrong)
    assert not two_factor.is_enabled(world.lead)
    assert two_factor.recovery_codes_left(world.lead) == 0
    assert actions(world.lead)[-1] == "two_factor.confirm.refused"


@pytest.mark.parametrize("typed", ["12345", "abcdef", "１２３４５６", "1234567"])
def test_what_cannot_be_a_code_gets_a_clear_message(world, clock, typed):
    setup = two_factor.start_setup(world.lead)
    with pytest.raises(ValidationFailed, match="Enter the 6-digit code"):
        two_factor.confirm_setup(world.lead, typed)
    assert two_factor.pending_setup(world.lead) == setup


def test_a_code_works_once_in_its_time_step_and_the_next_step_brings_a_new_one(world, clock):
    secret, _ = switched_on(world.lead)  # the set-up used this step's code
    with pytest.raises(ValidationFailed, match="already been used"):
        two_factor.verify_sign_in(world.lead, code_now(secret))
    clock.shift(timedelta(seconds=15))  # still the same step
    with pytest.raises(ValidationFailed, match="already been used"):
        two_factor.verify_sign_in(world.lead, code_now(secret))
    clock.shift(timedelta(seconds=10))  # 09:00:35, the next step
    assert two_factor.verify_sign_in(world.lead, code_now(secret)) == "app"
    assert actions(world.lead)[-3:] == [
        "two_factor.sign_in.refused",
        "two_factor.sign_in.refused",
        "auth.login",
    ]


def test_a_phone_one_step_out_is_accepted_but_two_steps_out_is_not(world, clock):
    secret, _ = switched_on(world.lead)
    clock.shift(timedelta(seconds=60))
    old = code_now(secret, -2)
    assert two_factor.verify_sign_in(world.lead, code_now(secret, 1)) == "app"  # a phone 30 s fast
    clock.shift(timedelta(seconds=90))
    with pytest.raises(ValidationFailed, match="not right"):
        two_factor.verify_sign_in(world.lead, old)
    with pytest.raises(ValidationFailed, match="not right"):
        two_factor.verify_sign_in(world.lead, code_now(secret, -2))
    assert two_factor.verify_sign_in(world.lead, code_now(secret, -1)) == "app"  # a phone 30 s slow


def test_an_older_step_is_refused_once_a_later_one_was_used(world, clock):
    secret, _ = switched_on(world.lead)
    clock.shift(timedelta(seconds=30))
    assert two_factor.verify_sign_in(world.lead, code_now(secret, 1)) == "app"
    with pytest.raises(ValidationFailed, match="already been used"):
        two_factor.verify_sign_in(world.lead, code_now(secret))


def test_a_recovery_code_works_once(world, clock):
    _, codes = switched_on(world.lead)
    assert two_factor.verify_sign_in(world.lead, codes[3].lower().replace("-", " ")) == "recovery code"
    assert two_factor.recovery_codes_left(world.lead) == 9
    with pytest.raises(ValidationFailed, match="already been used"):
        two_factor.verify_sign_in(world.lead, codes[3])
    assert two_factor.recovery_codes_left(world.lead) == 9
    assert actions(world.lead)[-2:] == ["auth.login", "two_factor.sign_in.refused"]


def test_another_persons_recovery_code_does_not_work(world, clock):
    _, codes = switched_on(world.lead)
    switched_on(world.preceptor)
    with pytest.raises(ValidationFailed, match="not right"):
        two_factor.verify_sign_in(world.preceptor, codes[0])


def test_new_recovery_codes_need_a_code_and_end_the_old_ones(world, clock):
    secret, old = switched_on(world.lead)
    with pytest.raises(ValidationFailed):
        two_factor.regenerate_recovery_codes(world.lead, "000000" if code_now(secret) != "000000" else "111111")
    clock.shift(timedelta(seconds=30))
    new = two_factor.regenerate_recovery_codes(world.lead, code_now(secret))
    assert len(new) == 10 and not set(new) & set(old)
    with pytest.raises(ValidationFailed, match="not right"):
        two_factor.verify_sign_in(world.lead, old[0])
    assert two_factor.verify_sign_in(world.lead, new[0]) == "recovery code"
    assert "two_factor.recovery_codes_replaced" in actions(world.lead)


def test_turning_off_needs_a_fresh_code_and_deletes_the_secret_and_codes(world, clock):
    secret, _ = switched_on(world.lead)
    with pytest.raises(ValidationFailed, match="already been used"):
        two_factor.turn_off(world.lead, code_now(secret))
    assert two_factor.is_enabled(world.lead)
    clock.shift(timedelta(seconds=30))
    two_factor.turn_off(world.lead, code_now(secret))
    assert not two_factor.is_enabled(world.lead)
    assert db.session.scalar(select(RecoveryCode.id).where(RecoveryCode.user_id == world.lead.id)) is None
    assert actions(world.lead)[-2:] == ["auth.two_factor_passed", "two_factor.disabled"]
    with pytest.raises(StateConflict, match="not on"):
        two_factor.verify_sign_in(world.lead, code_now(secret))


def test_setting_up_again_while_on_is_refused(world, clock):
    switched_on(world.lead)
    with pytest.raises(StateConflict, match="already on"):
        two_factor.start_setup(world.lead)
    assert actions(world.lead)[-1] == "two_factor.setup.refused"


def test_a_changed_server_key_is_told_plainly_and_recovery_codes_still_work(world, clock, app, monkeypatch):
    secret, codes = switched_on(world.lead)
    monkeypatch.setitem(app.config, "TWO_FACTOR_KEY", "a different key")
    clock.shift(timedelta(seconds=30))
    with pytest.raises(SecretUnreadable, match="server's key changed"):
        two_factor.verify_sign_in(world.lead, code_now(secret))
    with pytest.raises(ValidationFailed, match="not right"):
        two_factor.verify_sign_in(world.lead, codes[0])  # keyed hashes follow the key too
    monkeypatch.setitem(app.config, "TWO_FACTOR_KEY", "")
    assert two_factor.verify_sign_in(world.lead, codes[0]) == "recovery code"


def test_only_an_admin_of_the_organisation_sets_the_rule_and_it_is_audited(world, clock):
    org = world.lead.organisation_id
    admin = AdminFactory(organisation=world.lead.organisation)
    with pytest.raises(StateConflict, match="your own account first"):
        two_factor.set_required(admin, org, True)
    switched_on(admin)
    with pytest.raises(PermissionDenied):
        two_factor.set_required(world.lead, org, True)
    with pytest.raises(PermissionDenied):
        two_factor.set_required(AdminFactory(organisation=world.foreign_lead.organisation), org, True)
    assert not two_factor.required(org)
    two_factor.set_required(admin, org, True)
    assert two_factor.required(org)
    assert actions(world.lead)[-1] == "two_factor.policy.refused"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "two_factor.policy_changed"))
    assert event.actor_id == admin.id and '"to": true' in event.detail


def test_required_for_leads_and_admins_only_until_they_set_it_up(world, clock):
    org = world.lead.organisation
    admin, other_admin = AdminFactory(organisation=org), AdminFactory(organisation=org)
    switched_on(admin)
    two_factor.set_required(admin, org.id, True)
    assert two_factor.setup_needed(world.lead) and two_factor.setup_needed(other_admin)
    assert not two_factor.setup_needed(admin)
    assert not two_factor.setup_needed(world.preceptor) and not two_factor.setup_needed(world.learner)
    assert not two_factor.setup_needed(world.foreign_lead), "another organisation's rule is its own"
    switched_on(world.lead)
    assert not two_factor.setup_needed(world.lead)
    status = {person.id: on for person, on in two_factor.staff_status(admin)}
    assert status == {admin.id: True, other_admin.id: False, world.lead.id: True}
    with pytest.raises(PermissionDenied):
        two_factor.staff_status(LeadFactory(organisation=org))


def test_the_uri_carries_a_secret_the_app_turns_into_the_same_codes(world, clock):
    setup = two_factor.start_setup(world.lead)
    parsed = pyotp.parse_uri(setup.uri)
    assert parsed.now() == code_now(setup.secret)


def test_an_admin_resets_the_two_factor_of_someone_who_lost_phone_and_codes(world, clock):
    admin = AdminFactory(organisation=world.lead.organisation)
    switched_on(world.lead)
    switched_on(admin)
    switched_on(world.preceptor)  # anyone may choose two-factor; the admin can reset theirs too
    assert world.preceptor.id in {person.id for person, on in two_factor.staff_status(admin) if on}
    for actor, person in ((world.lead, world.preceptor), (admin, admin), (world.foreign_lead, world.lead)):
        with pytest.raises(PermissionDenied):
            two_factor.reset(actor, person.id)
    two_factor.reset(admin, world.lead.id)
    assert not two_factor.is_enabled(world.lead) and two_factor.recovery_codes_left(world.lead) == 0
    with pytest.raises(StateConflict, match="no two-factor to reset"):
        two_factor.reset(admin, world.lead.id)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "two_factor.reset"))
    assert (event.actor_id, event.object_id) == (admin.id, world.lead.id)
    assert actions(world.lead)[-1] == "two_factor.reset.refused"
