"""preceptor assignments record a lead's override of the preceptor rules

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 01:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('preceptor_assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('override_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('overridden_rules', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('preceptor_assignments', schema=None) as batch_op:
        batch_op.drop_column('overridden_rules')
        batch_op.drop_column('override_reason')
