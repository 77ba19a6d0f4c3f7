"""The evidence upload form (which record, and the files) and the reflective account."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.form_fields import NHSDateField
from app.services.reflections import CODE_THEMES, QUESTIONS

TOO_LONG = "Use 10,000 characters or fewer"


class EvidenceForm(FlaskForm):
    record = SelectField(
        "What is this evidence for?", validate_choice=False, validators=[InputRequired("Select what the file is for")]
    )
    files = MultipleFileField("Files")


class ReflectionForm(FlaskForm):
    written_on = NHSDateField("Date of the reflection", required="Enter the date of the reflection")
    what_happened = TextAreaField(QUESTIONS["what_happened"], validators=[Length(max=10_000, message=TOO_LONG)])
    what_learned = TextAreaField(QUESTIONS["what_learned"], validators=[Length(max=10_000, message=TOO_LONG)])
    how_changed = TextAreaField(QUESTIONS["how_changed"], validators=[Length(max=10_000, message=TOO_LONG)])
    code_themes = SelectMultipleField(
        "How is this relevant to the Code?", choices=list(CODE_THEMES.items()), validate_choice=False
    )
    signoff_id = SelectField("Is this evidence for a sign-off request? (optional)", validate_choice=False)


DECISION_CHOICES = [("signed", "I sign this review"), ("disagreed", "I disagree with this review")]


class SignatureForm(FlaskForm):
    decision = RadioField(
        "Your decision",
        choices=DECISION_CHOICES,
        validate_choice=False,
        validators=[InputRequired("Choose whether you sign the review or disagree")],
    )
    comment = TextAreaField(
        "Comment",
        description="Required if you disagree: say what with",
        validators=[Length(max=5000, message=TOO_LONG)],
    )


class LinkSignatureForm(SignatureForm):
    """Someone without an account signs through an emailed link: who they are, and their decision."""

    name = StringField("Your full name", validators=[InputRequired("Enter your full name")])
    role = StringField(
        "Your role",
        description="For example, Ward manager, or Apprenticeship tutor",
        validators=[InputRequired("Enter your role or job title")],
    )


class SigningLinkForm(FlaskForm):
    email = StringField("Their email address", validators=[InputRequired("Enter their email address")])
