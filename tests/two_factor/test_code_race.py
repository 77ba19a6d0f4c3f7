"""One code sent by several requests at once (a double-click, or an attacker who saw it): exactly one gets in."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from app.extensions import db
from app.models import User
from app.services import two_factor
from app.services.errors import ServiceError
from tests.two_factor.conftest import code_now, switched_on

RACERS = 4


def test_the_same_code_at_the_same_instant_signs_in_once(app, world, clock):
    secret, codes = switched_on(world.lead)
    clock.shift(timedelta(seconds=30))
    lead_id = world.lead.id
    db.session.remove()

    def race(code: str) -> list[str]:
        barrier = threading.Barrier(RACERS)

        def attempt(_: int) -> str:
            with app.app_context():
                user = db.session.get(User, lead_id)
                barrier.wait()
                try:
                    return two_factor.verify_sign_in(user, code)
                except ServiceError as refused:
                    return refused.message
                finally:
                    db.session.remove()

        with ThreadPoolExecutor(RACERS) as pool:
            return list(pool.map(attempt, range(RACERS)))

    for code, method in ((code_now(secret), "app"), (codes[0], "recovery code")):
        answers = race(code)
        assert answers.count(method) == 1, answers
        assert all(
            answer == method or "already been used" in answer or "at the same moment" in answer for answer in answers
        )
