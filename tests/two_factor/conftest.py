"""Two-factor fixtures: frozen real time-steps, and codes made from a person's secret as their phone would."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pyotp
import pytest

from app.models import User
from app.services import two_factor
from tests.access.conftest import mailbox, throttled  # noqa: F401  (limits on, with a real SMTP server)
from tests.web.conftest import as_user, world  # noqa: F401  (the web tests' trust and clients)

# 09:00:10 UTC on 25 November 2026: 10 seconds into a 30-second step.
NOW = datetime(2026, 11, 25, 9, 0, 10, tzinfo=UTC)


@pytest.fixture
def clock(time_machine):
    """Time stands still at NOW until a test moves it."""
    time_machine.move_to(NOW, tick=False)
    return time_machine


def code_now(secret: str, steps_ahead: int = 0) -> str:
    """The 6 digits an authenticator app shows for this secret now (or ``steps_ahead`` 30-second steps later)."""
    return pyotp.TOTP(secret).generate_otp(int(time.time()) // 30 + steps_ahead)


def switched_on(user: User) -> tuple[str, list[str]]:
    """Two-factor set up and confirmed for ``user``: their secret and recovery codes."""
    setup = two_factor.start_setup(user)
    return setup.secret, two_factor.confirm_setup(user, code_now(setup.secret))
