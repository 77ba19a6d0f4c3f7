"""Fixtures for the reminder tests: a trust with enrolments, and a real SMTP server on loopback."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.extensions import db
from app.models import Enrolment, OutboxMessage, User
from app.services import enrolments
from tests.factories import LeadFactory, LearnerFactory, OrganisationFactory, PreceptorFactory

SCAN_DAY = date(2026, 11, 24)  # a Tuesday


class RecordingHandler:
    """Keeps what it accepts; ``refusals`` maps an address to how it is refused: at "RCPT" or "DATA" with
    the reply given, or "DROP" to close the connection instead of answering the message.
    """

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.refusals: dict[str, tuple[str, str]] = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        stage, reply = self.refusals.get(address, ("", ""))
        if stage == "RCPT":
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            stage, reply = self.refusals.get(address, ("", ""))
            if stage == "DATA":
                return reply
            if stage == "DROP":  # the connection drops before the server answers
                server.transport.close()
                return reply
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Mailbox:
    port: int
    handler: RecordingHandler = field(default_factory=RecordingHandler)
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def mailbox(app, monkeypatch):
    """A real SMTP server on loopback, and the app pointed at it."""
    box = Mailbox(free_port())
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", box.port)
    monkeypatch.setitem(app.config, "SMTP_TIMEOUT", 5)
    box.start()
    yield box
    box.stop()


@dataclass
class Trust:
    lead: User
    preceptor: User
    learner: User
    other_learner: User
    enrolment: Enrolment
    unassigned: Enrolment


@pytest.fixture
def trust(ctx, time_machine) -> Trust:
    """Two preceptorships from 1 September 2026 (one without a preceptor), and another trust's learner."""
    time_machine.move_to(datetime(2026, 9, 1, 9, tzinfo=UTC), tick=False)
    org = OrganisationFactory()
    lead = LeadFactory(organisation=org, first_name="Lena", email="lena.lead@nhs.test")
    preceptor = PreceptorFactory(organisation=org, first_name="Priya", email="priya.preceptor@nhs.test")
    learner = LearnerFactory(organisation=org, first_name="Amira", last_name="Khan", email="amira.khan@nhs.test")
    other = LearnerFactory(organisation=org, first_name="Tom", last_name="O'Neill", email="tom.oneill@nhs.test")
    start = date(2026, 9, 1)
    enrolment = enrolments.enrol(
        lead, learner_id=learner.id, pathway_key="preceptorship", start_date=start, preceptor_id=preceptor.id
    )
    unassigned = enrolments.enrol(lead, learner_id=other.id, pathway_key="preceptorship", start_date=start)
    foreign = OrganisationFactory()
    foreign_lead = LeadFactory(organisation=foreign)
    enrolments.enrol(
        foreign_lead, learner_id=LearnerFactory(organisation=foreign).id, pathway_key="preceptorship", start_date=start
    )
    return Trust(lead, preceptor, learner, other, enrolment, unassigned)


def outbox_keys() -> set[tuple[str, int, date, int]]:
    rows = db.session.execute(
        select(OutboxMessage.rule, OutboxMessage.enrolment_id, OutboxMessage.due_on, OutboxMessage.recipient_id)
    )
    return {tuple(row) for row in rows}
