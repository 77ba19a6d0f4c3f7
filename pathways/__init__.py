"""Waymark's pathway engine: versioned programme definitions and a pure state machine.

Standard library only. The app builds ``EnrolmentFacts`` and asks ``evaluate`` or
``check_action``; nothing here touches Flask or the database.
"""

from __future__ import annotations

from pathways.dates import DateRange, transition_date_problem
from pathways.diagram import render_svg, render_text
from pathways.eligibility import Person, caseload_problem, learner_problem, preceptor_problem
from pathways.engine import ACTIONS, STATES, check_action, confirmation_blockers, evaluate, evaluate_or_explain
from pathways.facts import EnrolmentFacts, Extension, Hold, ReviewRecord
from pathways.guards import GUARDS
from pathways.hours import HOURS_KINDS, hours_kind
from pathways.loader import Catalogue, load_catalogue, load_file, validate_file
from pathways.model import Competency, Definition, DefinitionError, Problem, Stage, Transition
from pathways.results import DueItem, Evaluation, ReviewSlot, Status, TransitionOption
from pathways.schedule import format_date
from pathways.settings import SettingsError, SettingSpec

__all__ = [
    "ACTIONS",
    "GUARDS",
    "HOURS_KINDS",
    "DateRange",
    "Person",
    "caseload_problem",
    "hours_kind",
    "learner_problem",
    "preceptor_problem",
    "transition_date_problem",
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
    "confirmation_blockers",
    "evaluate",
    "evaluate_or_explain",
    "format_date",
    "load_catalogue",
    "load_file",
    "render_svg",
    "render_text",
    "validate_file",
]
