"""Every row the engine's facts need for a set of enrolments, read in one statement.

Each table's rows come as one branch of a ``UNION ALL`` over the same columns: a tag naming the
branch, the id it belongs to (an enrolment's; a learner's for the learner branches; a programme
version's for the versions), and typed slots (``i1``.. integers, ``d1``.. dates, ``s1``.. text,
``n1`` an exact number, ``f1`` a float, ``t1`` a moment) each branch fills. The ids are given
once, as one parameter read as a table, so the statement has the same few parameters for any number
of ids and compiles once. ``facts.assess`` and ``national_facts`` read their parts from the result.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    Date,
    DateTime,
    Float,
    Integer,
    Numeric,
    String,
    Text,
    cast,
    func,
    literal_column,
    null,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement, CompoundSelect, Select, bindparam, union_all

from app.extensions import db
from app.models import (
    Attendance,
    Check,
    Competency,
    Confirmation,
    EnglishMathsDecision,
    Enrolment,
    HoursEntry,
    PathwayVersion,
    PostAppointment,
    PreceptorAssignment,
    PriorCareCertificate,
    PriorLearning,
    Review,
    ReviewConfirmation,
    ReviewFrequency,
    SettingsVersion,
    SignOffEvent,
    TransitionEvent,
    User,
)
from app.models.settings import enrolment_settings_version
from pathways.off_the_job import NEVER_OFF_THE_JOB

SLOTS: dict[str, Any] = {
    "i1": Integer, "i2": Integer, "i3": Integer, "d1": Date, "d2": Date,
    "s1": Text, "s2": Text, "s3": Text, "s4": Text, "s5": Text, "s6": Text, "s7": Text,
    "n1": Numeric, "f1": Float, "t1": DateTime(timezone=True),
}  # fmt: skip
Rows = dict[str, list[Any]]


class FactRow(NamedTuple):
    """A row as the readers take it: by name, as cheaply as by position (a SQLAlchemy row's names cost
    about 0.4 µs each, and the reminder scan reads millions of them)."""

    tag: str
    owner: int
    i1: Any
    i2: Any
    i3: Any
    d1: Any
    d2: Any
    s1: Any
    s2: Any
    s3: Any
    s4: Any
    s5: Any
    s6: Any
    s7: Any
    n1: Any
    f1: Any
    t1: Any


assert FactRow._fields == ("tag", "owner", *SLOTS)  # the statement's columns, in its order
_as_fact_row = tuple.__new__


def _ids(dialect: str) -> Select:
    """The ids as a one-column table named once (a CTE) from one parameter, ``fact_ids``: an array on
    PostgreSQL, a JSON array read by ``json_each`` on SQLite."""
    if dialect == "postgresql":
        unnested = func.unnest(bindparam("fact_ids", type_=ARRAY(Integer)))
        table = select(unnested.column_valued("id")).cte("fact_ids")
        return select(table.c.id)
    each = func.json_each(bindparam("fact_ids", type_=Text)).table_valued("value")
    table = select(each.c.value.label("id")).cte("fact_ids")
    return select(table.c.id)


def _branch(tag: str, owner: Any, **slots: Any) -> Select:
    columns: list[Any] = [literal_column(f"'{tag}'", String).label("tag"), type_coerce(owner, Integer).label("owner")]
    for name, kind in SLOTS.items():
        value = slots.get(name)
        # An empty slot is a typed NULL (PostgreSQL matches the branches' types); a filled one is only
        # typed for the result, never cast: SQLite would turn a date's text into a number.
        columns.append((cast(null(), kind) if value is None else type_coerce(value, kind)).label(name))
    return select(*columns)


def fact_rows(ids: Collection[int], as_of: date) -> Rows:
    """Rows by tag, each a ``FactRow`` with ``owner`` and the slots its branch fills."""
    dialect = db.engine.dialect.name
    wanted = list(ids) if dialect == "postgresql" else json.dumps(list(ids))
    rows: Rows = defaultdict(list)
    # All at once: the driver loads a list in one call instead of one call a row (a range of the
    # reminder scan is 78,000 rows).
    for row in db.session.execute(_statement(dialect), {"fact_ids": wanted, "as_of": as_of}).all():
        fact = _as_fact_row(FactRow, row)
        rows[fact.tag].append(fact)
    return rows


@lru_cache(maxsize=4)
def _statement(dialect: str) -> CompoundSelect:
    """The statement, built once per dialect (building it costs more than running it for a page)."""
    wanted = _ids(dialect)
    as_of = bindparam("as_of", type_=Date)

    def among(owner: Any) -> ColumnElement[bool]:
        return owner.in_(wanted)

    learners = select(Enrolment.learner_id).where(among(Enrolment.id)).correlate(None)  # never the outer enrolments
    standing = Review.standing()
    kept = aliased(SettingsVersion)
    branches = [
        _branch("learner", User.id, s1=User.profession, d1=User.date_of_birth, f1=User.contracted_hours_per_week)
        .where(User.id.in_(learners)),
        _branch("version", PathwayVersion.id, s1=PathwayVersion.key, i1=PathwayVersion.version,
                s2=PathwayVersion.checksum)
        .where(PathwayVersion.id.in_(select(Enrolment.pathway_version_id).where(Enrolment.learner_id.in_(learners)))),
        _branch("hours", HoursEntry.enrolment_id, s1=HoursEntry.kind, n1=func.sum(HoursEntry.hours))
        .where(among(HoursEntry.enrolment_id), HoursEntry.removed_at.is_(None), HoursEntry.worked_on <= as_of,
               # Entries the funding rules never count (logged before they were refused) stay out of the sum.
               ~((HoursEntry.kind == "off_the_job") & HoursEntry.activity_type.in_(NEVER_OFF_THE_JOB)))
        .group_by(HoursEntry.enrolment_id, HoursEntry.kind),
        _branch("review", Review.enrolment_id, i1=Review.id, s1=Review.slot, d1=Review.held_on, s2=Review.outcome)
        .where(among(Review.enrolment_id), standing),
        _branch("review_confirmation", Review.enrolment_id, i1=ReviewConfirmation.review_id,
                s1=ReviewConfirmation.as_role)
        .join(Review, Review.id == ReviewConfirmation.review_id).where(among(Review.enrolment_id), standing),
        _branch("check", Check.enrolment_id, i1=Check.id, s1=Check.kind, s2=Check.result, d1=Check.checked_on)
        .where(among(Check.enrolment_id), Check.checked_on <= as_of),
        _branch("transition", TransitionEvent.enrolment_id, i1=TransitionEvent.id, s1=TransitionEvent.action,
                s2=TransitionEvent.to_stage, d1=TransitionEvent.effective_on, d2=TransitionEvent.new_end,
                s3=TransitionEvent.reason)
        .where(among(TransitionEvent.enrolment_id)),
        _branch("preceptor", PreceptorAssignment.enrolment_id)
        .where(among(PreceptorAssignment.enrolment_id), PreceptorAssignment.ended_on.is_(None)),
        _branch("attendance", Attendance.enrolment_id, i1=func.count())
        .where(among(Attendance.enrolment_id)).group_by(Attendance.enrolment_id),
        _branch("confirmation", Confirmation.enrolment_id, s1=Confirmation.name)
        .where(among(Confirmation.enrolment_id)),
        _branch("frequency", ReviewFrequency.enrolment_id, i1=ReviewFrequency.id, i2=ReviewFrequency.every_weeks,
                i3=ReviewFrequency.every_months, s1=ReviewFrequency.reason, d1=ReviewFrequency.agreed_on)
        .where(among(ReviewFrequency.enrolment_id), ReviewFrequency.agreed_on <= as_of),
        _branch("english_maths", EnglishMathsDecision.enrolment_id, i1=EnglishMathsDecision.id,
                d1=EnglishMathsDecision.decided_on)
        .where(among(EnglishMathsDecision.enrolment_id), EnglishMathsDecision.decided_on <= as_of),
        _branch("post", PostAppointment.enrolment_id, i1=PostAppointment.id, s1=PostAppointment.title,
                s2=PostAppointment.band, d1=PostAppointment.starts_on)
        .where(among(PostAppointment.enrolment_id), PostAppointment.starts_on <= as_of),
        _branch("prior_learning", PriorLearning.enrolment_id, f1=func.sum(PriorLearning.hours))
        .where(among(PriorLearning.enrolment_id), PriorLearning.recorded_on <= as_of)
        .group_by(PriorLearning.enrolment_id),
        _branch("prior_care_certificate", PriorCareCertificate.learner_id,
                d1=func.min(PriorCareCertificate.completed_on))
        .where(PriorCareCertificate.learner_id.in_(learners), PriorCareCertificate.completed_on <= as_of)
        .group_by(PriorCareCertificate.learner_id),
        _branch("learner_enrolment", Enrolment.id, i1=Enrolment.learner_id, i2=Enrolment.pathway_version_id,
                d1=Enrolment.start_date, s1=User.profession)
        .join(User, User.id == Enrolment.learner_id).where(Enrolment.learner_id.in_(learners)),
        _branch("sign_off", SignOffEvent.enrolment_id, i1=SignOffEvent.competency_id, i2=SignOffEvent.sequence,
                s1=Competency.key, s2=Competency.title, s3=SignOffEvent.action, s4=SignOffEvent.evidence,
                s5=SignOffEvent.comment, s6=User.first_name, s7=User.last_name, t1=SignOffEvent.created_at)
        .join(Competency, Competency.id == SignOffEvent.competency_id).join(User, User.id == SignOffEvent.actor_id)
        .where(SignOffEvent.enrolment_id.in_(select(Enrolment.id).where(Enrolment.learner_id.in_(learners)))),
        _branch("settings", Enrolment.id, s1=kept.choices_json)  # an alias: the version subqueries read the table
        .outerjoin(kept, kept.id == enrolment_settings_version()).where(among(Enrolment.id)),
    ]  # fmt: skip
    return union_all(*branches)
