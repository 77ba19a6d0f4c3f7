"""The NHS header, rendered once per distinct content and kept: the macro costs more CPU than the rest of a page.
Other components a long page repeats (the sign-off queue's buttons, a cohort's pagination) are kept the same way.

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
    return component("header", params)


def component(name: str, params: dict[str, Any]) -> Markup:
    """An NHS.UK component's macro (``header``, ``button``, ``pagination``...) called with ``params`` (plain
    JSON values only), rendered once per distinct ``params``: for the components a long page repeats."""
    module = current_app.jinja_env.get_template(f"nhsuk/components/{name}/macro.jinja").module
    if _marked_up(params):  # Markup and the same text as plain str would share a key: not kept
        return Markup(getattr(module, name)(params))
    key = json.dumps([name, params], sort_keys=True)
    html = _rendered.get(key)
    if html is None:
        html = Markup(getattr(module, name)(params))
        if len(_rendered) >= KEPT:
            _rendered.clear()
        _rendered[key] = html
    return html


def _marked_up(value: Any) -> bool:
    if isinstance(value, Markup):
        return True
    if isinstance(value, dict):
        return any(_marked_up(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_marked_up(v) for v in value)
    return False
