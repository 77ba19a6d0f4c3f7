"""How a preceptor reads in the lead's select: name, caseload against the limit, and eligibility."""

from __future__ import annotations

from app.services.preceptor_rules import Candidate


def caseload_text(held: int, limit: object) -> str:
    learners = "learner" if (limit or held) == 1 else "learners"
    return f"{held} of {limit} {learners}" if limit else f"{held} {learners}"


def choice_text(row: Candidate, limit: object) -> str:
    if row.eligible:
        verdict = "eligible"
    else:
        count = len(row.problems)
        verdict = f"does not meet {count} rule{'s' if count != 1 else ''}"
    return f"{row.user.full_name} – {caseload_text(row.held, limit)} – {verdict}"
