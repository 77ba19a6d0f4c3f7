"""two-factor: authenticator secrets, recovery codes, the organisation's rule for leads and admins

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'two_factor_credentials',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('secret', sa.Text(), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_step', sa.BigInteger(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_two_factor_credentials_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_two_factor_credentials')),
        sa.UniqueConstraint('user_id', name=op.f('uq_two_factor_credentials_user_id')),
    )
    op.create_table(
        'two_factor_recovery_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_two_factor_recovery_codes_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_two_factor_recovery_codes')),
        sa.UniqueConstraint('user_id', 'code_hash', name=op.f('uq_two_factor_recovery_codes_user_id_code_hash')),
    )
    op.create_index(
        op.f('ix_two_factor_recovery_codes_user_id'), 'two_factor_recovery_codes', ['user_id'], unique=False
    )
    op.create_table(
        'two_factor_policies',
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('required_for_staff', sa.Boolean(), nullable=False),
        sa.Column('changed_by_id', sa.Integer(), nullable=True),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['organisation_id'], ['organisations.id'], name=op.f('fk_two_factor_policies_organisation_id_organisations')
        ),
        sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_two_factor_policies_changed_by_id_users')),
        sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_two_factor_policies')),
    )


def downgrade():
    op.drop_table('two_factor_policies')
    op.drop_index(op.f('ix_two_factor_recovery_codes_user_id'), table_name='two_factor_recovery_codes')
    op.drop_table('two_factor_recovery_codes')
    op.drop_table('two_factor_credentials')
