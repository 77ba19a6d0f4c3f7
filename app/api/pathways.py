"""Programmes: their stages, transitions and competencies."""

from __future__ import annotations

from app.api import bp
from app.api.common import errors
from app.api.schemas import PageArgs, PathwayDetailSchema, PathwaySchema, page_of
from app.services.catalogue import catalogue, latest_definition


@bp.get("/pathways")
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(PathwaySchema, "PathwayPage"))
@errors()
def list_pathways(args: dict):
    """The latest version of every programme."""
    latest = sorted({d.key for d in catalogue()})
    start = (args["page"] - 1) * args["per_page"]
    items = [latest_definition(key) for key in latest[start : start + args["per_page"]]]
    return {"items": items, "page": args["page"], "per_page": args["per_page"], "total": len(latest)}


@bp.get("/pathways/<string(maxlength=200):key>")
@bp.response(200, PathwayDetailSchema)
@errors(404)
def get_pathway(key: str):
    """One programme's stages, transitions and competencies (latest version)."""
    definition = latest_definition(key)
    return {
        "key": definition.key,
        "version": definition.version,
        "title": definition.title,
        "summary": definition.summary,
        "stages": definition.stages,
        "transitions": definition.transitions,
        "competencies": definition.all_competencies(),
    }
