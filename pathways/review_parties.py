"""Who signs a programme's review meetings, and in which order.

A party is signed for by the learner, by one of their assigned preceptors, or by someone without
an account (an employer's manager, a training provider's tutor) through an emailed link.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

LEARNER, PRECEPTOR, EXTERNAL = "learner", "preceptor", "external"


@dataclass(frozen=True)
class Party:
    key: str
    title: str
    signs_as: str  # LEARNER, PRECEPTOR or EXTERNAL


_PRECEPTORSHIP = (Party("preceptee", "Preceptee", LEARNER), Party("preceptor", "Preceptor", PRECEPTOR))
_APPRENTICESHIP = (
    Party("apprentice", "Apprentice", LEARNER),
    Party("employer", "Employer", EXTERNAL),
    Party("provider", "Training provider", EXTERNAL),
)
_DEFAULT = (Party("learner", "Learner", LEARNER), Party("assessor", "Preceptor or assessor", PRECEPTOR))
_BY_PROGRAMME = {"preceptorship": _PRECEPTORSHIP, "healthcare-works-apprenticeship": _APPRENTICESHIP}


def review_parties(pathway_key: str) -> tuple[Party, ...]:
    """The parties who sign this programme's reviews, in the order they sign."""
    return _BY_PROGRAMME.get(pathway_key, _DEFAULT)


def next_party(parties: tuple[Party, ...], signed: set[str]) -> Party | None:
    """The first party in order who has not signed (or recorded disagreement); None once all have."""
    return next((party for party in parties if party.key not in signed), None)


def confirmed_before_signatures(signed: Collection[str], confirmed_roles: Collection[str]) -> bool:
    """A review the learner confirmed with the one-click confirmation Waymark had before signed reviews.

    In every programme the learner signs first, and a signature is also their confirmation, so a
    learner's confirmation on a review nobody has signed can only be the old kind. Such a review
    stands as confirmed; it is not signed afresh (a correction is).
    """
    return not signed and LEARNER in confirmed_roles
