"""'Forgot your password?' takes the same time whether or not the address has an account."""

from __future__ import annotations

import asyncio
import statistics
import time

from tests.access.conftest import emails
from tests.conftest import resets_done

SMTP_DELAY = 1.5  # a slow mail server: an answer that waited for it would give the address away


def timed(client, address: str) -> float:
    started = time.perf_counter()
    response = client.post("/account/forgot-password", data={"email": address})
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    return time.perf_counter() - started


def test_the_answer_does_not_wait_for_the_lookup_or_the_mail_server(app, world, mailbox):
    record = mailbox.handler.handle_DATA

    async def slowly(*args):
        await asyncio.sleep(SMTP_DELAY)
        return await record(*args)

    mailbox.handler.handle_DATA = slowly
    client = app.test_client()
    timed(client, "warming.up@nhs.test")  # the first request compiles the templates
    known, unknown = [], []
    for _ in range(3):
        known.append(timed(client, world.learner.email))
        unknown.append(timed(client, "nobody.here@nhs.test"))
    assert max(known) < SMTP_DELAY / 2, known  # the page never waited for the mail server
    assert abs(statistics.median(known) - statistics.median(unknown)) < 0.1, (known, unknown)
    resets_done()
    assert [m["To"].split("<")[-1] for m in emails(mailbox)] == [f"{world.learner.email}>"] * 3
