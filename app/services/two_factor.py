"""Two-factor authentication: setting up an authenticator app, checking its codes, recovery codes, the rule.

Codes are TOTP (RFC 6238: 6 digits, 30-second steps). A code from the step before or after the
server's is accepted (a phone's clock drifts), and a step once accepted is never accepted again:
``last_step`` moves forward with a conditional UPDATE, so two requests racing with one code cannot
both win. A wrong code is refused and audited by ``@command``; the web layer counts it as a failed
sign-in in the throttle, so codes cannot be guessed any faster than passwords.
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass

import pyotp
from sqlalchemy import delete, func, or_, select, update

from app.extensions import db
from app.models import RecoveryCode, TwoFactorCredential, TwoFactorPolicy, User
from app.models.base import utcnow
from app.services import audit
from app.services.errors import PermissionDenied, StateConflict, ValidationFailed
from app.services.permissions import STAFF_ROLES
from app.services.request_memo import remembered
from app.services.two_factor_keys import new_recovery_code, normalise_recovery_code, recovery_hash, seal, unseal
from app.services.unit_of_work import command

STEP_SECONDS, DRIFT_STEPS, RECOVERY_CODES = 30, 1, 10
ISSUER = "Waymark"
WRONG = "The code is not right. Enter the code your authenticator app shows now, or a recovery code"
REUSED = "That code has already been used. Wait for the next code in your authenticator app"
SPENT = "That recovery code has already been used. Each recovery code works once"
FORMAT = "Enter the 6-digit code from your authenticator app, like 123456"
SETUP_WRONG = "The code is not right. Check your phone sets its time automatically, then enter the code it shows now"


@dataclass(frozen=True)
class Setup:
    """What the set-up page shows: the secret for typing in, and the URI the QR code carries."""

    secret: str
    uri: str


def credential_of(user: User) -> TwoFactorCredential | None:
    return db.session.scalar(select(TwoFactorCredential).where(TwoFactorCredential.user_id == user.id))


def is_enabled(user: User) -> bool:
    credential = credential_of(user)
    return credential is not None and credential.confirmed_at is not None


def recovery_codes_left(user: User) -> int:
    query = select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    return db.session.scalar(query) or 0


def required(organisation_id: int) -> bool:
    """Whether the organisation requires two-factor of its leads and admins (read with the signed-in user)."""
    return remembered(
        ("two_factor_required", organisation_id),
        lambda: bool(
            db.session.scalar(
                select(TwoFactorPolicy.required_for_staff).where(TwoFactorPolicy.organisation_id == organisation_id)
            )
        ),
    )


def setup_needed(user: User) -> bool:
    """A lead or admin whose organisation requires two-factor, who has not set it up yet."""
    return user.role in STAFF_ROLES and required(user.organisation_id) and not is_enabled(user)


def pending_setup(user: User) -> Setup | None:
    """The unconfirmed authenticator set-up, to draw its page again."""
    credential = credential_of(user)
    if credential is None or credential.confirmed_at is not None:
        return None
    secret = unseal(credential.secret)
    return Setup(secret, pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER))


@command("two_factor.setup")
def start_setup(actor: User) -> Setup:
    """A new secret for the person's authenticator app; it counts only once a code from it is confirmed."""
    credential = credential_of(actor)
    if credential is not None and credential.confirmed_at is not None:
        raise StateConflict({"code": "Two-factor is already on. Turn it off first to use another app"})
    if credential is not None:
        db.session.delete(credential)
        db.session.flush()
    db.session.add(TwoFactorCredential(user_id=actor.id, secret=seal(pyotp.random_base32())))
    audit.record(actor, "two_factor.setup_started", actor)
    setup = pending_setup(actor)
    assert setup is not None  # just written
    return setup


@command("two_factor.confirm")
def confirm_setup(actor: User, code: str) -> list[str]:
    """The first code from the app switches two-factor on; returns the recovery codes, shown once."""
    credential = credential_of(actor)
    if credential is None or credential.confirmed_at is not None:
        raise StateConflict({"code": "There is no two-factor set-up waiting. Start again"})
    _accept_app_code(credential, code, wrong=SETUP_WRONG)
    credential.confirmed_at = utcnow()
    codes = _replace_recovery_codes(actor)
    audit.record(actor, "two_factor.enabled", actor)
    return codes


@command("two_factor.sign_in")
def verify_sign_in(actor: User, code: str) -> str:
    """The second step of signing in; returns how the person proved it ("app" or "recovery code")."""
    return _verify(actor, code, "sign_in")


@command("two_factor.reauthenticate")
def verify_reauthentication(actor: User, code: str) -> str:
    """The second step of confirming it is you before signing off or exporting."""
    return _verify(actor, code, "reauthenticate")


@command("two_factor.turn_off")
def turn_off(actor: User, code: str) -> None:
    """Switch two-factor off with a code from the app or a recovery code; the secret and codes are deleted."""
    method = _verify(actor, code, "turn_off")
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == actor.id))
    db.session.execute(delete(TwoFactorCredential).where(TwoFactorCredential.user_id == actor.id))
    audit.record(actor, "two_factor.disabled", actor, method=method)


@command("two_factor.recovery_codes")
def regenerate_recovery_codes(actor: User, code: str) -> list[str]:
    """Ten new recovery codes, shown once; every earlier code stops working."""
    method = _verify(actor, code, "recovery_codes")
    codes = _replace_recovery_codes(actor)
    audit.record(actor, "two_factor.recovery_codes_replaced", actor, method=method)
    return codes


@command("two_factor.policy", target="organisation_id")
def set_required(actor: User, organisation_id: int, required_for_staff: bool) -> TwoFactorPolicy:
    """An administrator requires two-factor of the organisation's leads and admins, or stops requiring it."""
    if actor.role != "admin" or actor.organisation_id != organisation_id:
        raise PermissionDenied("Only an administrator of the organisation can change this")
    if required_for_staff and not is_enabled(actor):
        raise StateConflict({"required": "Set up two-factor for your own account first, then require it of others"})
    policy = db.session.get(TwoFactorPolicy, organisation_id)
    before = bool(policy and policy.required_for_staff)
    if policy is None:
        policy = TwoFactorPolicy(organisation_id=organisation_id)
        db.session.add(policy)
    policy.required_for_staff, policy.changed_by_id, policy.changed_at = required_for_staff, actor.id, utcnow()
    audit.record(
        actor, "two_factor.policy_changed", policy, required_for_staff={"from": before, "to": required_for_staff}
    )
    return policy


@command("two_factor.reset", target="person_id")
def reset(actor: User, person_id: int) -> User:
    """An administrator switches off the two-factor of someone who lost both their phone and recovery codes."""
    person = db.session.get(User, person_id)
    if actor.role != "admin" or person is None or person.organisation_id != actor.organisation_id:
        raise PermissionDenied("Only an administrator of the person's organisation can do this")
    if person.id == actor.id:
        raise PermissionDenied("Turn off your own two-factor on your two-factor page, with a code")
    if credential_of(person) is None:
        raise StateConflict({"person_id": f"{person.full_name} has no two-factor to reset"})
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == person.id))
    db.session.execute(delete(TwoFactorCredential).where(TwoFactorCredential.user_id == person.id))
    audit.record(actor, "two_factor.reset", person, organisation_id=person.organisation_id)
    return person


def staff_status(actor: User) -> list[tuple[User, bool]]:
    """The organisation's leads and admins, and anyone else with two-factor on, each with whether it is on."""
    if actor.role != "admin":
        raise PermissionDenied("Only an administrator can see this")
    confirmed = select(TwoFactorCredential.user_id).where(TwoFactorCredential.confirmed_at.is_not(None))
    rows = db.session.execute(
        select(User, User.id.in_(confirmed))
        .where(
            User.organisation_id == actor.organisation_id,
            or_(User.role.in_(STAFF_ROLES), User.id.in_(confirmed)),
            User.is_enabled,
        )
        .order_by(User.last_name, User.first_name)
    )
    return [(user, bool(on)) for user, on in rows]


def _verify(actor: User, code: str, purpose: str) -> str:
    credential = credential_of(actor)
    if credential is None or credential.confirmed_at is None:
        raise StateConflict({"code": "Two-factor is not on for your account"})
    if (normalised := normalise_recovery_code(code)) is not None:
        _spend_recovery_code(actor, normalised)
        method = "recovery code"
    else:
        _accept_app_code(credential, code)
        method = "app"
    if purpose == "sign_in":
        actor.last_login_at = utcnow()
        audit.record(actor, "auth.login", actor, second_factor=method)
    else:
        audit.record(actor, "auth.two_factor_passed", actor, purpose=purpose, method=method)
    return method


def _accept_app_code(credential: TwoFactorCredential, code: str, *, wrong: str = WRONG) -> None:
    """The code matches a step within the drift window, and that step is later than the last one used."""
    digits = "".join(code.split())
    if len(digits) != 6 or not digits.isascii() or not digits.isdigit():
        raise ValidationFailed({"code": FORMAT})
    totp, now = pyotp.TOTP(unseal(credential.secret)), int(time.time()) // STEP_SECONDS
    steps = [
        s for s in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1) if hmac.compare_digest(totp.generate_otp(s), digits)
    ]
    if not steps:
        raise ValidationFailed({"code": wrong})
    moved = db.session.execute(
        update(TwoFactorCredential)
        .where(
            TwoFactorCredential.id == credential.id,
            or_(TwoFactorCredential.last_step.is_(None), TwoFactorCredential.last_step < steps[-1]),
        )
        .values(last_step=steps[-1])
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise ValidationFailed({"code": REUSED})


def _spend_recovery_code(actor: User, normalised: str) -> None:
    found = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == actor.id, RecoveryCode.code_hash == recovery_hash(normalised)
        )
    )
    if found is None:
        raise ValidationFailed({"code": WRONG})
    spent = db.session.execute(
        update(RecoveryCode).where(RecoveryCode.id == found.id, RecoveryCode.used_at.is_(None)).values(used_at=utcnow())
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        raise ValidationFailed({"code": SPENT})


def _replace_recovery_codes(actor: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == actor.id))
    codes = [new_recovery_code() for _ in range(RECOVERY_CODES)]
    db.session.add_all(
        RecoveryCode(user_id=actor.id, code_hash=recovery_hash(normalise_recovery_code(code) or "")) for code in codes
    )
    return codes
