"""The footer pages' default text, in the NHS service manual's pattern, until an organisation writes its own.

Kept as text files beside this module (``footer_texts/KIND.txt``), in the same plain format an
administrator edits.
"""

from __future__ import annotations

from pathlib import Path

from app.models import PAGE_KINDS

TEXTS = Path(__file__).parent / "footer_texts"
DEFAULTS = {kind: (TEXTS / f"{kind}.txt").read_text(encoding="utf-8").strip() for kind in PAGE_KINDS}
