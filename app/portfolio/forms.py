"""The evidence upload form: which record, and the files."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import SelectField
from wtforms.validators import InputRequired


class EvidenceForm(FlaskForm):
    record = SelectField(
        "What is this evidence for?", validate_choice=False, validators=[InputRequired("Select what the file is for")]
    )
    files = MultipleFileField("Files")
