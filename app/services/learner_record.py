"""The lead's record of one learner's enrolment: the portfolio's contents and the audit trail, on one page."""

from __future__ import annotations

from dataclasses import dataclass

from app.models import User
from app.services.lead_enrolment_pages import AuditLine, audit_trail
from app.services.portfolio_record import PortfolioRecord, portfolio


@dataclass(frozen=True)
class LearnerRecord:
    portfolio: PortfolioRecord
    audit: list[AuditLine]


def learner_record(actor: User, enrolment_id: int) -> LearnerRecord:
    """Everything about an enrolment, for a lead of its organisation (the audit trail is theirs alone)."""
    _, lines = audit_trail(actor, enrolment_id)
    return LearnerRecord(portfolio(actor, enrolment_id), lines)
