from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from app.search import bp
from app.services import search
from app.services.errors import ValidationFailed


@bp.get("/")
def results():
    text = request.args.get("q", "")
    try:
        found = search.search(current_user, text)
    except ValidationFailed as failure:
        return render_template("search/results.html", text=text[:100], results=None, errors=failure.fields), 400
    return render_template("search/results.html", text=text, results=found, errors={})
