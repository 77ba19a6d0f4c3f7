"""The footer's accessibility statement, privacy notice and contact page: public, signed in or not."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from app.services import footer_pages

bp = Blueprint("footer", __name__)

# The paths the NHS service manual's standard footer links use.
PATHS = {"accessibility": "/accessibility-statement", "privacy": "/privacy-notice", "contact": "/contact-us"}


def _show(kind: str):
    visitor = current_user if current_user.is_authenticated else None
    page = footer_pages.page(kind, footer_pages.visitor_organisation(visitor))
    return render_template("footer/page.html", page=page, title=page.title)


for _kind, _path in PATHS.items():
    bp.add_url_rule(_path, _kind, lambda kind=_kind: _show(kind))
