"""Which kind of time a learner's logged hours count as: the programme decides, never the caller."""

from __future__ import annotations

from pathways.model import Definition
from pathways.vocabulary import HOURS_KINDS

__all__ = ["HOURS_KINDS", "hours_kind"]
SUPERNUMERARY_STAGE = "supernumerary"


def hours_kind(definition: Definition, stage: str) -> str:
    """Supernumerary practice while in that stage, off-the-job training on apprenticeships,
    protected learning time otherwise."""
    if stage == SUPERNUMERARY_STAGE:
        return "supernumerary"
    return "off_the_job" if "off-the-job" in definition.hours_label.lower() else "protected_learning"
