from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length, ValidationError


def no_nul(form: FlaskForm, field) -> None:  # noqa: ARG001 - a WTForms validator's signature
    """No address holds a NUL, and PostgreSQL cannot even compare text that does."""
    if field.data and "\x00" in field.data:
        raise ValidationError("Enter an email address in the correct format, like name@example.nhs.uk")


class LoginForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address"), Length(max=254), no_nul])
    password = PasswordField("Password", validators=[DataRequired("Enter your password"), Length(max=128)])


class ReauthenticateForm(FlaskForm):
    password = PasswordField("Password", validators=[DataRequired("Enter your password"), Length(max=128)])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password")])
    new_password = PasswordField("New password", validators=[DataRequired("Enter a new password")])
    confirm_password = PasswordField("Confirm new password", validators=[DataRequired("Confirm your new password")])
