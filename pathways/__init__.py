"""Waymark's pathway engine: versioned programme definitions and a pure state machine.

Standard library only. The app builds ``EnrolmentFacts`` and asks ``evaluate`` or
``check_action``; nothing here touches Flask or the database.
"""

from __future__ import annotations

from pathways.diagram import render_svg, render_text
from pathways.engine import ACTIONS, STATES, check_action, evaluate
from pathways.facts import EnrolmentFacts, Extension, Hold, ReviewRecord
from pathways.guards import GUARDS
from pathways.loader import Catalogue, load_catalogue, load_file, validate_file
from pathways.model import (
    Competency,
    Definition,
    DefinitionError,
    Problem,
    SettingsError,
    SettingSpec,
    Stage,
    Transition,
)
from pathways.results import DueItem, Evaluation, ReviewSlot, Status, TransitionOption
from pathways.schedule import format_date

__all__ = [
    "ACTIONS",
    "GUARDS",
    "STATES",
    "Catalogue",
    "Competency",
    "Definition",
    "DefinitionError",
    "DueItem",
    "EnrolmentFacts",
    "Evaluation",
    "Extension",
    "Hold",
    "Problem",
    "ReviewRecord",
    "ReviewSlot",
    "SettingSpec",
    "SettingsError",
    "Stage",
    "Status",
    "Transition",
    "TransitionOption",
    "check_action",
    "evaluate",
    "format_date",
    "load_catalogue",
    "load_file",
    "render_svg",
    "render_text",
    "validate_file",
]
