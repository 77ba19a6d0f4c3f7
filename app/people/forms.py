"""The person form: details, role, site and the dates the national rules read."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField

from app.form_fields import NHSDateField

ROLE_TITLES = {"learner": "Learner", "preceptor": "Preceptor", "lead": "Programme lead", "admin": "Administrator"}


class PersonForm(FlaskForm):
    first_name = StringField("First name")
    last_name = StringField("Last name")
    email = StringField("Email address", description="They sign in with it and get their invitation there")
    employee_number = StringField("Employee number")
    role = SelectField("Role", validate_choice=False)
    site_id = SelectField("Site (optional)", validate_choice=False)
    profession = StringField("Profession (optional)", description="For example, Registered Nurse")
    band = StringField("Band (optional)", description="For example, 5")
    contracted_hours_per_week = StringField("Contracted hours a week (optional)", description="For example, 37.5")
    date_of_birth = NHSDateField("Date of birth (optional)")
    registration_date = NHSDateField("Professional registration date (optional)")
    preceptor_training_date = NHSDateField("Preceptor training completed (optional)")
    leaving_date = NHSDateField("Leaving date (optional)", description="The day they leave the organisation")

    def values(self) -> dict[str, object]:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


class SiteForm(FlaskForm):
    name = StringField("Site name", description="For example, Northgate General Hospital")


class RetentionForm(FlaskForm):
    years = StringField(
        "Years to keep a person after their leaving date",
        description="A whole number, like 6. After it, the scheduler anonymises them: the reports' numbers stay.",
    )


PAGE_HINT = "Paragraphs separated by a blank line; '## ' starts a heading, '- ' a bullet. Empty: the default text."


class PagesForm(FlaskForm):
    accessibility = TextAreaField("Accessibility statement", description=PAGE_HINT)
    privacy = TextAreaField("Privacy notice", description=PAGE_HINT)
    contact = TextAreaField("Contact us", description=PAGE_HINT)
