"""The NHS header, rendered once per distinct content and kept: the macro costs more CPU than the rest of a page.

Its parameters (the user's name, the unread count, the role's links with the current one marked,
the search box) are all it reads, so the same parameters give the same HTML; the CSRF token of the
sign-out form is put in afterwards by base.html, per request. The cache is per process and bounded.
"""

from __future__ import annotations

import json
from typing import Any

from flask import current_app
from markupsafe import Markup

KEPT = 4096
_rendered: dict[str, Markup] = {}


def page_header(params: dict[str, Any]) -> Markup:
    key = json.dumps(params, sort_keys=True)
    html = _rendered.get(key)
    if html is None:
        macro = current_app.jinja_env.get_template("nhsuk/components/header/macro.jinja").module.header  # type: ignore[attr-defined]
        html = Markup(macro(params))
        if len(_rendered) >= KEPT:
            _rendered.clear()
        _rendered[key] = html
    return html
