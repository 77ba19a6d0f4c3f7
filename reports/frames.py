"""The thin edge: read what the report needs in six queries, whatever the number of enrolments.

On PostgreSQL large results travel by ``COPY ... TO STDOUT`` (CSV), several times faster than
row-by-row fetching; elsewhere ``pandas.read_sql``.
"""

from __future__ import annotations

import io
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Select, func, literal_column, select

from app.models import (
    Cohort,
    Enrolment,
    HoursEntry,
    Organisation,
    PathwayVersion,
    PreceptorAssignment,
    PriorLearning,
    Review,
    SettingsVersion,
    Site,
    TransitionEvent,
    User,
)  # fmt: skip
from app.models.settings import enrolment_settings_version
from pathways.vocabulary import TARGET_HOURS_KINDS
from reports.cohort import Frames


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the report to; None means everything the reader may see."""

    organisation: str | None = None
    pathway: str | None = None
    cohort: str | None = None
    site: str | None = None
    profession: str | None = None

    def describe(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}


def read(connection: Connection, query: Select, dates: tuple[str, ...] = ()) -> pd.DataFrame:
    """Run ``query`` into a DataFrame, by COPY on PostgreSQL."""
    if connection.dialect.name == "postgresql":
        compiled = query.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
        buffer = io.BytesIO()
        raw: Any = connection.connection.dbapi_connection  # psycopg's connection: its cursor is a context manager
        copy_sql = f"COPY ({compiled.string}) TO STDOUT WITH (FORMAT csv, HEADER)"
        with raw.cursor() as cursor, cursor.copy(copy_sql, compiled.params) as copy:  # psycopg binds the values
            for block in copy:
                buffer.write(block)
        buffer.seek(0)
        frame = pd.read_csv(buffer, keep_default_na=False, na_values=[""])
    else:
        frame = pd.read_sql(query, connection)
    for column in dates:
        frame[column] = pd.to_datetime(frame[column], format="ISO8601").astype("datetime64[s]")
    return frame


def read_all(connection: Connection, queries: dict[str, tuple[Select, tuple[str, ...]]]) -> dict[str, pd.DataFrame]:
    """Several reads; on PostgreSQL at once, each on its own connection, so the server works in parallel."""
    if connection.dialect.name != "postgresql":
        return {name: read(connection, query, dates) for name, (query, dates) in queries.items()}

    def one(item: tuple[Select, tuple[str, ...]]) -> pd.DataFrame:
        with connection.engine.connect() as own:
            return read(own, *item)

    with ThreadPoolExecutor(max_workers=len(queries)) as pool:
        return dict(zip(queries, pool.map(one, queries.values()), strict=True))


def _scope(filters: Filters) -> Select:
    """Ids of the enrolments the filters select (whether enrolled by the as-of date is decided in pandas)."""
    query = select(Enrolment.id)
    if filters.organisation:
        query = query.join(Organisation, Organisation.id == Enrolment.organisation_id)
        query = query.where(Organisation.slug == filters.organisation)
    if filters.pathway:
        query = query.join(PathwayVersion, PathwayVersion.id == Enrolment.pathway_version_id)
        query = query.where(PathwayVersion.key == filters.pathway)
    if filters.cohort:
        query = query.join(Cohort, Cohort.id == Enrolment.cohort_id).where(Cohort.name == filters.cohort)
    if filters.site:
        query = query.join(Site, Site.id == Enrolment.site_id).where(Site.name == filters.site)
    if filters.profession:
        query = query.join(User, User.id == Enrolment.learner_id).where(User.profession == filters.profession)
    return query.where(Enrolment.cohort_id.is_not(None))


def _prior_learning(as_of: date) -> Any:
    """Hours of recognised prior learning recorded for the enrolment by the as-of date (0 when none)."""
    total = select(func.coalesce(func.sum(PriorLearning.hours), 0.0)).where(
        PriorLearning.enrolment_id == Enrolment.id, PriorLearning.recorded_on <= as_of
    )
    return total.scalar_subquery().label("prior_learning_hours")


def load(connection: Connection, as_of: date, filters: Filters) -> Frames:
    """Every frame the report needs, limited to the filters and to what was known on ``as_of``."""
    scope = _scope(filters).subquery()
    queries: dict[str, tuple[Select, tuple[str, ...]]] = {}
    queries["enrolments"] = (
        select(
            Enrolment.id,
            enrolment_settings_version().label("settings_version_id"),
            Organisation.slug.label("organisation"),
            PathwayVersion.key.label("pathway"),
            PathwayVersion.version.label("pathway_version"),
            Cohort.name.label("cohort"),
            Cohort.start_date.label("cohort_start"),
            Site.name.label("site"),
            User.profession,
            Enrolment.start_date,
            func.date(Enrolment.created_at).label("created_on"),
            User.contracted_hours_per_week.label("contracted_hours"),
            _prior_learning(as_of),
        )  # fmt: skip
        .join(scope, scope.c.id == Enrolment.id)
        .join(Cohort, Cohort.id == Enrolment.cohort_id)
        .join(Organisation, Organisation.id == Enrolment.organisation_id)
        .join(PathwayVersion, PathwayVersion.id == Enrolment.pathway_version_id)
        .join(User, User.id == Enrolment.learner_id)
        .outerjoin(Site, Site.id == Enrolment.site_id),
        ("cohort_start", "start_date", "created_on"),
    )
    in_scope = select(scope.c.id)
    queries["events"] = (
        select(
            TransitionEvent.id,
            TransitionEvent.enrolment_id,
            TransitionEvent.action,
            TransitionEvent.to_stage,
            TransitionEvent.to_state,
            TransitionEvent.effective_on,
            TransitionEvent.new_end,
        ).where(TransitionEvent.enrolment_id.in_(in_scope), TransitionEvent.effective_on <= as_of),  # fmt: skip
        ("effective_on", "new_end"),
    )
    queries["reviews"] = (
        select(Review.enrolment_id, Review.slot)
        .where(Review.enrolment_id.in_(in_scope), Review.held_on <= as_of, Review.standing())
        .distinct(),
        (),
    )
    queries["hours"] = (
        select(HoursEntry.enrolment_id, func.sum(HoursEntry.hours).label("hours"))
        .where(
            HoursEntry.enrolment_id.in_(in_scope),
            HoursEntry.kind.in_(TARGET_HOURS_KINDS),
            HoursEntry.removed_at.is_(None),
            HoursEntry.worked_on <= as_of,
        )
        .group_by(HoursEntry.enrolment_id),
        (),
    )
    queries["overrides"] = (
        select(PreceptorAssignment.enrolment_id)
        .where(
            PreceptorAssignment.enrolment_id.in_(in_scope),
            PreceptorAssignment.override_reason != "",
            PreceptorAssignment.assigned_on <= as_of,
        )
        .distinct(),
        (),
    )
    enrolments, events, reviews, hours, overrides = read_all(connection, queries).values()
    hours["hours"] = hours["hours"].astype("float64")
    # Enrolled by the as-of date: an event by then (events are limited to it), or the record already made.
    known = enrolments["id"].isin(events["enrolment_id"]) | (enrolments["created_on"] <= pd.Timestamp(as_of))
    enrolments = enrolments[known].drop(columns="created_on").reset_index(drop=True)
    cohorts, settings = _cohorts(connection, filters), _settings(connection)
    return Frames(as_of, enrolments, cohorts, events, reviews, hours, settings, overrides)


def _cohorts(connection: Connection, filters: Filters) -> pd.DataFrame:
    query = select(
        Organisation.slug.label("organisation"), Cohort.pathway_key.label("pathway"),
        Cohort.name.label("cohort"), Cohort.start_date.label("cohort_start"),
    ).join(Organisation, Organisation.id == Cohort.organisation_id)  # fmt: skip
    for column, value in ((Organisation.slug, filters.organisation), (Cohort.pathway_key, filters.pathway),
                          (Cohort.name, filters.cohort)):  # fmt: skip
        if value:
            query = query.where(column == value)
    if filters.site or filters.profession:
        query = query.where(literal_column("1") == 0)  # an empty cohort has no site or profession to match
    return read(connection, query, dates=("cohort_start",))


def _settings(connection: Connection) -> dict[int | None, dict]:
    """Every settings version's choices (a few per organisation and programme)."""
    rows = connection.execute(select(SettingsVersion.id, SettingsVersion.choices_json))
    return {version_id: json.loads(choices or "{}") for version_id, choices in rows}
