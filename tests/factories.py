"""factory_boy factories bound to the Flask-SQLAlchemy session."""

from __future__ import annotations

from datetime import date

import factory
from factory.alchemy import SQLAlchemyModelFactory

from app.extensions import db
from app.models import Cohort, Organisation, Site, User
from app.services.passwords import hash_password

PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = hash_password(PASSWORD)


class _Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session = db.session
        sqlalchemy_session_persistence = "commit"


class OrganisationFactory(_Base):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"trust-{n}")
    name = factory.Sequence(lambda n: f"Test Hospitals NHS Trust {n}")


class SiteFactory(_Base):
    class Meta:
        model = Site

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Site {n}")


class UserFactory(_Base):
    class Meta:
        model = User

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"person{n}@nhs.test")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    employee_number = factory.Sequence(lambda n: f"E{n:06d}")
    role = "learner"
    profession = "adult_nursing"
    band = "5"
    password_hash = _PASSWORD_HASH


class LearnerFactory(UserFactory):
    role = "learner"
    date_of_birth = date(1998, 5, 1)


class PreceptorFactory(UserFactory):
    role = "preceptor"
    band = "6"
    registration_date = date(2018, 9, 1)
    preceptor_training_date = date(2022, 3, 1)


class LeadFactory(UserFactory):
    role = "lead"
    band = "7"


class CohortFactory(_Base):
    class Meta:
        model = Cohort

    organisation = factory.SubFactory(OrganisationFactory)
    pathway_key = "preceptorship"
    name = factory.Sequence(lambda n: f"Intake {n}")
    start_date = date(2026, 9, 1)


class AdminFactory(UserFactory):
    role = "admin"
    band = "8a"
