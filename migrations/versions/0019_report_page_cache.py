"""report page cache: the report page's figures shared by every worker and machine

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 14:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_page_cache',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('filters', sa.String(length=400), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('changes_upto', sa.Integer(), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rebuilding_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_report_page_cache_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_page_cache')),
    sa.UniqueConstraint('organisation_id', 'filters', 'as_of', name=op.f('uq_report_page_cache_organisation_id_filters_as_of'))
    )


def downgrade():
    op.drop_table('report_page_cache')
