"""meeting guests: a review meeting's invitation to parties without an account, through the outbox

Revision ID: 0018
Revises: 0015
Create Date: 2026-12-02 14:30:00

An outbox message is now to an account or, for a meeting's guest, to an address: ``recipient_id``
may be empty when ``to_address`` is set. On SQLite making the column nullable rebuilds the outbox
table (never ``users``); ``env.py`` runs migrations with foreign keys off for that, and checks them after.
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0015'
branch_labels = None
depends_on = None

TO_SOMEONE = "recipient_id IS NOT NULL OR to_address <> ''"


def upgrade():
    op.create_table('review_meeting_guests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['review_meetings.id'], name=op.f('fk_review_meeting_guests_meeting_id_review_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_meeting_guests')),
    sa.UniqueConstraint('meeting_id', 'party', name=op.f('uq_review_meeting_guests_meeting_id_party'))
    )
    with op.batch_alter_table('review_meeting_guests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_meeting_guests_meeting_id'), ['meeting_id'], unique=False)

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('to_address', sa.String(length=254), server_default='', nullable=False))
        batch_op.add_column(sa.Column('to_name', sa.String(length=200), server_default='', nullable=False))
        batch_op.alter_column('recipient_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(op.f('ck_outbox_to_someone'), sa.text(TO_SOMEONE))


def downgrade():
    op.execute("DELETE FROM outbox_attachments WHERE outbox_id IN (SELECT id FROM outbox WHERE recipient_id IS NULL)")
    op.execute("DELETE FROM outbox WHERE recipient_id IS NULL")
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbox_to_someone'), type_='check')
        batch_op.alter_column('recipient_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('to_name')
        batch_op.drop_column('to_address')
    with op.batch_alter_table('review_meeting_guests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_meeting_guests_meeting_id'))
    op.drop_table('review_meeting_guests')
