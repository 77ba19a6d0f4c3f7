"""The post appointed at the end of a route into work: asked for, checked and kept with the completion."""

from __future__ import annotations

from collections.abc import Mapping

from app.extensions import db
from app.models import PostAppointment, TransitionEvent, User
from app.services.values import Problems, check_date, check_text
from pathways import Definition
from pathways.facts import PostAppointed

POST_GUARD = "post_appointed"
POST_FIELDS = ("post_title", "post_band", "post_starts_on")


def post_needed(definition: Definition, stage: str, to: str | None) -> bool:
    """Whether moving from ``stage`` to ``to`` completes a route whose outcome is a post."""
    return any(t.to == to and any(g.name == POST_GUARD for g in t.guards) for t in definition.transitions_from(stage))


def check_post(problems: Problems, post: object) -> PostAppointed | None:
    """The post from ``{post_title, post_band, post_starts_on}``, each required; problems by field."""
    values = post if isinstance(post, Mapping) else {}
    title = check_text(
        problems,
        "post_title",
        values.get("post_title"),
        max_length=200,
        single_line=True,
        required="Enter the job title of the post appointed",
    )
    band = check_text(
        problems,
        "post_band",
        values.get("post_band"),
        max_length=40,
        single_line=True,
        required="Enter the band of the post appointed, like Band 2",
    )
    starts_on = check_date(
        problems, "post_starts_on", values.get("post_starts_on"), required="Enter the date the post starts"
    )
    if problems or starts_on is None:
        return None
    return PostAppointed(title, band, starts_on)


def keep_post(actor: User, event: TransitionEvent, post: PostAppointed) -> PostAppointment:
    """Store the post with the completion that named it (the caller's unit of work commits)."""
    row = PostAppointment(
        enrolment_id=event.enrolment_id,
        transition_event_id=event.id,
        title=post.title,
        band=post.band,
        starts_on=post.starts_on,
        recorded_by_id=actor.id,
    )
    db.session.add(row)
    return row
