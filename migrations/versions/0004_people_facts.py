"""people facts the national rules read: contracted hours and leaving date

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 00:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contracted_hours_per_week', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('leaving_date', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('leaving_date')
        batch_op.drop_column('contracted_hours_per_week')
