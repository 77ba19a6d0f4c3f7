"""The single sign-on settings form: the provider, the client Waymark is registered as, who may sign in."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField


class SsoSettingsForm(FlaskForm):
    is_enabled = RadioField(
        "Offer single sign-on on the sign-in page",
        choices=[("yes", "Yes, switch it on"), ("no", "No, switch it off")],
        validate_choice=False,
    )
    provider_name = StringField(
        "Name of the account people sign in with",
        description="The button says “Sign in with” this name. For example, NHSmail or Microsoft Entra ID",
    )
    issuer_url = StringField(
        "Issuer URL",
        description="Exactly as the provider gives it. For Microsoft Entra ID: "
        "https://login.microsoftonline.com/your-tenant-id/v2.0",
    )
    client_id = StringField("Client ID", description="The application (client) ID the provider gave Waymark")
    client_secret = PasswordField("Client secret")
    allowed_domains = StringField(
        "Allowed email domains",
        description="Only accounts with these email domains can sign in. Separate them with commas. "
        "For example, nhs.net, northgate.nhs.uk",
    )
    match_by = RadioField(
        "How Waymark finds the person who signs in",
        choices=[("email", "By their email address"), ("employee_number", "By their employee number")],
        validate_choice=False,
    )
    employee_number_claim = StringField(
        "Claim that holds the employee number",
        description="Only used when Waymark finds people by employee number. For example, employeeid",
    )
    create_on_first_sign_in = RadioField(
        "Create an account for someone who is not in Waymark yet",
        choices=[("no", "No, only people already in Waymark can sign in"), ("yes", "Yes, as a learner")],
        validate_choice=False,
    )

    def values(self) -> dict[str, object]:
        data = {name: field.data for name, field in self._fields.items() if name != "csrf_token"}
        return {
            **data,
            "is_enabled": data["is_enabled"] == "yes",
            "create_on_first_sign_in": data["create_on_first_sign_in"] == "yes",
        }
