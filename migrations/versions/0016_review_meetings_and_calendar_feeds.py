"""review meetings (iCalendar invitations), calendar feeds, and attachments on outbox emails

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-02 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=120), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('slot', sa.String(length=60), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('scheduled_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_review_meetings_enrolment_id_enrolments')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_review_meetings_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['scheduled_by_id'], ['users.id'], name=op.f('fk_review_meetings_scheduled_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_meetings')),
    sa.UniqueConstraint('uid', name=op.f('uq_review_meetings_uid'))
    )
    op.create_index(op.f('ix_review_meetings_enrolment_id'), 'review_meetings', ['enrolment_id'], unique=False)
    op.create_index(op.f('ix_review_meetings_organisation_id'), 'review_meetings', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_review_meetings_starts_at'), 'review_meetings', ['starts_at'], unique=False)
    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feeds_token_hash'))
    )
    op.create_index(op.f('ix_calendar_feeds_user_id'), 'calendar_feeds', ['user_id'], unique=False)
    op.create_table('outbox_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], name=op.f('fk_outbox_attachments_outbox_id_outbox')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_attachments'))
    )
    op.create_index(op.f('ix_outbox_attachments_outbox_id'), 'outbox_attachments', ['outbox_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_outbox_attachments_outbox_id'), table_name='outbox_attachments')
    op.drop_table('outbox_attachments')
    op.drop_index(op.f('ix_calendar_feeds_user_id'), table_name='calendar_feeds')
    op.drop_table('calendar_feeds')
    op.drop_index(op.f('ix_review_meetings_starts_at'), table_name='review_meetings')
    op.drop_index(op.f('ix_review_meetings_organisation_id'), table_name='review_meetings')
    op.drop_index(op.f('ix_review_meetings_enrolment_id'), table_name='review_meetings')
    op.drop_table('review_meetings')
