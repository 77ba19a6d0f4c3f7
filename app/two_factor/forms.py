from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length

CODE_HINT = "The 6-digit code your authenticator app shows now, or one of your recovery codes"


class CodeForm(FlaskForm):
    code = StringField("Code", validators=[DataRequired("Enter the code"), Length(max=40)], description=CODE_HINT)


class PolicyForm(FlaskForm):
    required = RadioField(
        "Require two-factor authentication for programme leads and administrators?",
        choices=[("yes", "Yes, they must set it up before they can use Waymark"), ("no", "No, it is their choice")],
        validators=[DataRequired("Select yes or no")],
    )
