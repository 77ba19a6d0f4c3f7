"""Find people and their enrolments by name, employee number or email, within what the searcher may see.

Every word typed must start a word of the person's names, email or employee number, ignoring case
and accents: "zoe" finds Zoë Brontë, "bron zo" too, "o'neill" finds O'Neill. The database does the
matching from an index (migration 0010): SQLite's FTS5 with diacritics removed, PostgreSQL's
full-text index on the ``unaccent``-folded text, so a national organisation answers as fast as a small one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, column, func, literal_column, select, table
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Enrolment, PreceptorAssignment, User
from app.models.programmes import OPEN_STATES
from app.services.catalogue import definition_for
from app.services.errors import ValidationFailed
from app.services.permissions import STAFF_ROLES

LIMIT = 20
MAX_WORDS = 6
MAX_LENGTH = 100
_WORD = re.compile(r"\w+")
_people_search = table("people_search", column("rowid"))


def words(text: str) -> list[str]:
    """The query's words, lower case and without accents, as both indexes store them."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _WORD.findall(folded)[:MAX_WORDS]


@dataclass(frozen=True)
class FoundEnrolment:
    enrolment: Enrolment
    programme: str
    stage: str


@dataclass
class Found:
    person: User
    enrolments: list[FoundEnrolment] = field(default_factory=list)


@dataclass
class Results:
    query: str
    people: list[Found]
    more: bool  # more people matched than are shown


def _matching(actor: User, found: list[str]) -> list[User]:
    """The visible people matching every word, at most ``LIMIT + 1`` of them, in no particular order.

    No ORDER BY in the database: a broad word ("patel") matches tens of thousands of people at
    national scale, and sorting them all to show 20 is what would make search slow.
    """
    visible = _visible(actor)
    if db.engine.dialect.name == "postgresql":
        text = func.waymark_fold(User.first_name + " " + User.last_name + " " + User.email + " " + User.employee_number)
        vector = func.to_tsvector(literal_column("'simple'"), text)  # the expression the index is built on
        query = func.to_tsquery(literal_column("'simple'"), " & ".join(f"{word}:*" for word in found))
        return list(db.session.scalars(visible.where(vector.op("@@")(query)).limit(LIMIT + 1)))
    # Read matches from FTS5 a chunk at a time, in rowid order, keeping those the actor may see, until
    # enough: a join would let SQLite's planner walk the organisation's people and probe the index for
    # each (minutes at national scale).
    match = " AND ".join(f'"{word}"*' for word in found)  # words are letters and digits only: nothing to escape
    people: list[User] = []
    after, size = 0, LIMIT + 1
    while len(people) <= LIMIT:
        chunk = db.session.scalars(
            select(_people_search.c.rowid)
            .where(_fts_match(match), _people_search.c.rowid > after)
            .order_by(_people_search.c.rowid)
            .limit(size)
        ).all()
        people += db.session.scalars(visible.where(User.id.in_(chunk))).all() if chunk else []
        if len(chunk) < size:
            break
        after, size = chunk[-1], min(size * 4, 2000)  # a caseload is sparse among the matches: read more each time
    return people[: LIMIT + 1]


def _fts_match(expression: str) -> ColumnElement[bool]:
    """``people_search MATCH :expression`` (the FTS5 table is not an ORM model)."""
    return column("people_search").op("MATCH", is_comparison=True)(expression)


def _visible(actor: User) -> Select:
    """The people the actor may find: a lead everyone in the organisation, a preceptor their learners."""
    query = select(User).where(User.organisation_id == actor.organisation_id)
    if actor.role in STAFF_ROLES:
        return query
    if actor.role == "preceptor":
        mine = (
            select(Enrolment.learner_id)
            .join(PreceptorAssignment, PreceptorAssignment.enrolment_id == Enrolment.id)
            .where(PreceptorAssignment.preceptor_id == actor.id, PreceptorAssignment.ended_on.is_(None))
        )
        return query.where(User.id.in_(mine))
    return query.where(User.id == actor.id)


def _by_name(person: User) -> tuple[list[str], list[str], int]:
    return words(person.last_name), words(person.first_name), person.id


def search(actor: User, text: object) -> Results:
    """Up to 20 people matching every word, by name, each with the enrolments the actor may open."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        raise ValidationFailed({"q": f"Enter a name, employee number or email of at most {MAX_LENGTH} characters"})
    found = words(text)
    if not found:
        return Results(text, [], False)
    people = sorted(_matching(actor, found), key=_by_name)
    more = len(people) > LIMIT
    people = people[:LIMIT]
    enrolments = _enrolments(actor, [p.id for p in people])
    results = [Found(p, [e for e in enrolments if e.enrolment.learner_id == p.id]) for p in people]
    return Results(text, results, more)


def _enrolments(actor: User, learner_ids: list[int]) -> list[FoundEnrolment]:
    if not learner_ids:
        return []
    query = select(Enrolment).where(
        Enrolment.learner_id.in_(learner_ids), Enrolment.organisation_id == actor.organisation_id
    )
    if actor.role == "preceptor":
        query = query.where(
            Enrolment.state.in_(OPEN_STATES),
            Enrolment.id.in_(
                select(PreceptorAssignment.enrolment_id).where(
                    PreceptorAssignment.preceptor_id == actor.id, PreceptorAssignment.ended_on.is_(None)
                )
            ),
        )
    rows = db.session.scalars(
        query.options(joinedload(Enrolment.pathway_version), joinedload(Enrolment.cohort)).order_by(
            Enrolment.start_date.desc()
        )
    ).all()
    found = []
    for enrolment in rows:
        definition = definition_for(enrolment.pathway_version)
        found.append(FoundEnrolment(enrolment, definition.title, definition.stage(enrolment.stage).title))
    return found
