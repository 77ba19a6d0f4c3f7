"""Form fields the WTForms library does not have: the NHS three-box date input."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field
from wtforms.validators import ValidationError


class NHSDateField(Field):
    """Three boxes (day, month, year) named ``name[day]`` etc., as the NHS date input pattern has them."""

    def __init__(self, label: str = "", validators: Any = None, required: str = "", **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.required_message = required
        self.parts: dict[str, str] = {"day": "", "month": "", "year": ""}

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:  # noqa: ARG002
        self.process_errors = []
        self.data = data if isinstance(data, date) else None
        if self.data is not None:
            self.parts = {"day": str(data.day), "month": str(data.month), "year": str(data.year)}
        if not formdata:
            return
        self.parts = {part: formdata.get(f"{self.name}[{part}]", "").strip() for part in self.parts}
        if not any(self.parts.values()):
            return
        try:
            self.data = date(int(self.parts["year"]), int(self.parts["month"]), int(self.parts["day"]))
        except (ValueError, OverflowError):  # int() takes any number of digits; date() overflows past C long
            self.process_errors.append("Enter a real date, like 24 11 2026")

    def pre_validate(self, form: FlaskForm) -> None:  # noqa: ARG002
        if self.data is None and not self.process_errors and self.required_message:
            raise ValidationError(self.required_message)

    def nhs_values(self) -> dict[str, str]:
        return self.parts
