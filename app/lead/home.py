"""The lead's home and the lists behind its counts, each sortable, filtered, paged and downloadable as CSV."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_login import current_user

from app.access import fresh_login_required
from app.lead import bp
from app.services import attention, attention_lists, lead_pages
from app.services.attention import Scope
from app.services.clock import today


def _scope() -> Scope:
    """The site, cohort and programme chosen; a site or cohort that is not a number is a bad request."""
    chosen = {}
    for name in ("site", "cohort"):
        value = request.args.get(name, "").strip()
        if value and not (value.isdigit() and int(value) < 2**31):
            abort(400, f"Choose a {name} from the list")
        chosen[name] = int(value) if value else None
    return Scope(chosen["site"], chosen["cohort"], request.args.get("pathway") or None)


@bp.get("/home")
def home():
    page = attention.home(current_user, _scope())
    return render_template("lead/home.html", page=page, lists=attention.LEARNER_LISTS, choices=_choices())


def _listing(kind: str, page: int | None):
    return attention_lists.learner_list(
        current_user, kind, _scope(), sort=request.args.get("sort", "name"),
        descending=request.args.get("order") == "desc", page=page,
    )  # fmt: skip


@bp.get("/lists/<kind>")
def learner_list(kind: str):
    listing = _listing(kind, request.args.get("page", 1, type=int))
    return render_template("lead/list.html", listing=listing, choices=_choices())


@bp.get("/lists/<kind>.csv")
@fresh_login_required()
def learner_list_csv(kind: str):
    listing = _listing(kind, None)
    name = f"{kind}-{current_user.organisation.slug}-{today().isoformat()}.csv"
    return Response(attention_lists.as_csv(listing), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


def _loads():
    loads = attention.over_capacity(current_user, _scope())
    return attention_lists.sorted_loads(loads, request.args.get("sort", "name"), request.args.get("order") == "desc")


@bp.get("/preceptors/over-capacity")
def over_capacity():
    loads, sort = _loads()
    return render_template("lead/over_capacity.html", loads=loads, scope=_scope(), choices=_choices(), sort=sort,
                           descending=request.args.get("order") == "desc")  # fmt: skip


@bp.get("/preceptors/over-capacity.csv")
@fresh_login_required()
def over_capacity_csv():
    name = f"preceptors-over-capacity-{current_user.organisation.slug}-{today().isoformat()}.csv"
    return Response(attention_lists.loads_as_csv(_loads()[0]), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


def _short(page: int | None):
    return attention_lists.short_of_time(current_user, _scope(), sort=request.args.get("sort", "name"),
                                         descending=request.args.get("order") == "desc", page=page)  # fmt: skip


@bp.get("/preceptors/short-of-time")
def short_of_time():
    listing = _short(request.args.get("page", 1, type=int))
    return render_template("lead/short_of_time.html", listing=listing, choices=_choices())


@bp.get("/preceptors/short-of-time.csv")
@fresh_login_required()
def short_of_time_csv():
    name = f"preceptors-short-of-time-{current_user.organisation.slug}-{today().isoformat()}.csv"
    return Response(attention_lists.time_as_csv(_short(None)), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


def _choices() -> dict[str, object]:
    sites, cohorts = attention.choices(current_user)
    return {"sites": sites, "cohorts": cohorts, "programmes": [(d.key, d.title) for d in lead_pages.programmes()]}
