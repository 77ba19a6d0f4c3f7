"""Words the portfolio's templates share: the reflective account's questions and the Code's themes."""

from __future__ import annotations

from app.portfolio import bp
from app.services.reflections import CODE_THEMES, QUESTIONS

bp.add_app_template_global(QUESTIONS, "reflection_questions")
bp.add_app_template_filter(lambda key: CODE_THEMES.get(key, key), "code_theme")
