"""report page cache: a stale page is marked wanted, for the job worker to work out again

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 16:30:00

A visit that finds the report page's copy stale no longer works it out in its own web worker after the
response (700 ms of CPU holding the worker's other threads); it sets ``rebuild_requested_at`` and the
job worker, between jobs, works out the wanted pages. The index keeps the worker's look for wanted
pages one lookup when none is wanted.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report_page_cache', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rebuild_requested_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_report_page_cache_rebuild_requested_at'), ['rebuild_requested_at'], unique=False)


def downgrade():
    with op.batch_alter_table('report_page_cache', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_page_cache_rebuild_requested_at'))
        batch_op.drop_column('rebuild_requested_at')
