"""retention and footer pages: each organisation's retention period and footer page text; when a person was anonymised

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 06:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisation_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_pages_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_organisation_pages_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_pages')),
    sa.UniqueConstraint('organisation_id', 'kind', name=op.f('uq_organisation_pages_organisation_id_kind'))
    )
    op.create_table('retention_policies',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('years_after_leaving', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_retention_policies_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_retention_policies_updated_by_id_users')),
    sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_retention_policies'))
    )
    # A plain add_column: rebuilding users on SQLite would drop migration 0010's search triggers.
    op.add_column('users', sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column('users', 'anonymised_at')
    op.drop_table('retention_policies')
    op.drop_table('organisation_pages')
