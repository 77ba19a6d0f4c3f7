"""reviews are indexed by the review they correct, so "standing" (no review corrects it) is a lookup, not a scan

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 14:40:00

``Review.standing()`` is ``id NOT IN (SELECT corrects_id ... WHERE corrects_id IS NOT NULL)``. Without
an index PostgreSQL read every review for that list and then, for the facts of 5,000 enrolments,
chose a sequential scan of all reviews over the enrolment index: two full scans per range of the
reminder scan. With it, the list is an index-only scan and the reviews are read by enrolment.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_corrects_id'), ['corrects_id'], unique=False)


def downgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_corrects_id'))
