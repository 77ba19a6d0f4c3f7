"""The scheduler's own figures on its own port: how long the scan took, what delivery did."""

from __future__ import annotations

import urllib.request

from reminders import metrics
from reminders.scheduler import scan_job, send_job
from tests.reminders.conftest import SCAN_DAY
from tests.servers import free_port


def scraped(port: int) -> dict[str, float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    return {
        name: float(value)
        for name, _, value in (line.rpartition(" ") for line in text.splitlines() if line and line[0] != "#")
    }


def test_the_scheduler_serves_scan_duration_and_delivery_outcomes(trust, mailbox, time_machine):
    port = free_port()
    metrics.serve(port, "127.0.0.1")
    before = scraped(port)
    time_machine.move_to(f"{SCAN_DAY.isoformat()}T07:00:00+00:00", tick=True)
    scan_job()
    send_job()
    after = scraped(port)
    assert after["waymark_reminder_scan_seconds_count"] == before["waymark_reminder_scan_seconds_count"] + 1
    assert after["waymark_reminder_scan_enrolments"] == 3  # the two of this trust, and the other trust's one
    queued = after["waymark_reminders_queued_total"] - before["waymark_reminders_queued_total"]
    sent = 'waymark_deliveries_total{outcome="sent"}'
    assert queued > 0 and after[sent] - before[sent] == queued == len(mailbox.handler.messages)
