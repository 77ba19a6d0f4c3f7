"""single sign-on: one OpenID Connect provider per organisation

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-02 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sso_configurations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('is_enabled', sa.Boolean(), nullable=False),
    sa.Column('provider_name', sa.String(length=60), nullable=False),
    sa.Column('issuer_url', sa.String(length=500), nullable=False),
    sa.Column('client_id', sa.String(length=200), nullable=False),
    sa.Column('client_secret_encrypted', sa.Text(), nullable=False),
    sa.Column('secret_set_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('allowed_domains', sa.Text(), nullable=False),
    sa.Column('match_by', sa.String(length=20), nullable=False),
    sa.Column('employee_number_claim', sa.String(length=100), nullable=False),
    sa.Column('create_on_first_sign_in', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_sso_configurations_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sso_configurations')),
    sa.UniqueConstraint('organisation_id', name=op.f('uq_sso_configurations_organisation_id'))
    )


def downgrade():
    op.drop_table('sso_configurations')
