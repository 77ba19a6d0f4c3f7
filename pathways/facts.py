"""Plain facts about one enrolment, gathered by the app and judged by the engine.

Nothing here knows about Flask or the database: the app reads its rows, builds an
``EnrolmentFacts`` and asks the engine questions about it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Hold:
    """A period on hold (sickness, parental leave...); ``end`` is None while it lasts."""

    start: date
    end: date | None = None
    reason: str = ""


@dataclass(frozen=True)
class Extension:
    """An agreed new end date for the programme."""

    new_end: date
    reason: str = ""
    # When it was agreed: holds starting on or after this day move the new end too.
    agreed_on: date | None = None


@dataclass(frozen=True)
class ReviewRecord:
    """A review meeting that was held, matched to a slot of the engine's schedule."""

    slot: str
    held_on: date
    confirmed_by_learner: bool = False
    confirmed_by_preceptor: bool = False
    outcome: str = ""


@dataclass(frozen=True)
class AgreedFrequency:
    """An alternative review frequency agreed for one learner, with its reason (instead of the national one)."""

    every_weeks: int | None = None
    every_months: int | None = None
    reason: str = ""
    agreed_on: date | None = None


@dataclass(frozen=True)
class PostAppointed:
    """The post a learner was appointed to at the end of a route into work."""

    title: str
    band: str
    starts_on: date


@dataclass(frozen=True)
class EnrolmentFacts:
    """Everything the engine needs to know about an enrolment on ``as_of``.

    ``state`` is one of ``active``, ``on_hold``, ``withdrawn``, ``completed``.
    ``checks`` maps a check kind (``dbs``, ``occupational_health``, ``english``,
    ``maths``) to its latest result (``cleared``, ``not_cleared``, ``pending``,
    ``ready``, ``not_ready``, ``exempt``).
    ``confirmations`` names recorded one-off facts such as ``final_signoff``,
    ``lead_countersignature``, ``employer_ready``, ``provider_ready``,
    ``lacks_work_experience``, ``evaluation_recorded``.
    ``settings`` holds the organisation's local defaults for this programme; keys
    missing from it take the definition's defaults.
    """

    start_date: date
    as_of: date
    stage: str
    stage_entered_on: date
    state: str = "active"
    profession: str = ""
    date_of_birth: date | None = None
    has_preceptor: bool = False
    signed_off: frozenset[str] = frozenset()
    hours_logged: float = 0.0
    supernumerary_hours: float = 0.0
    reviews: tuple[ReviewRecord, ...] = ()
    checks: Mapping[str, str] = field(default_factory=dict)
    attendance_days: int = 0
    holds: tuple[Hold, ...] = ()
    extensions: tuple[Extension, ...] = ()
    confirmations: frozenset[str] = frozenset()
    epa_result: str | None = None
    settings: Mapping[str, object] = field(default_factory=dict)
    # When each stage was (last) entered; the engine needs the day a later stage
    # started its clock (the apprenticeship). The current stage falls back to
    # ``stage_entered_on``.
    stage_dates: Mapping[str, date] = field(default_factory=dict)
    # Contracted hours a week (None: not recorded, read as full time); the national rules pro-rate by it.
    contracted_hours_per_week: float | None = None
    # Off-the-job hours taken off the target by recorded recognition of prior learning.
    prior_learning_hours: float = 0.0
    review_frequency: AgreedFrequency | None = None
    # The day an apprentice aged 19 or over and their employer recorded their English and maths decision.
    english_maths_decided_on: date | None = None
    post: PostAppointed | None = None
    # The day the learner completed the Care Certificate (in Waymark, or a recorded prior completion).
    care_certificate_completed_on: date | None = None
