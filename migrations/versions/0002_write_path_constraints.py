"""write path constraints: one open enrolment per learner per programme, one current sign-off state

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 21:50:00

The database backs the two rules that must never break, whatever a caller does:
- ``enrolments.pathway_key`` (copied from the pinned version, which never changes) lets a partial
  unique index allow one active or on-hold enrolment per learner per programme;
- ``sign_off_events.sequence`` numbers each competency's events 1, 2, 3...; two writers that both
  read event N and both try to append N+1 cannot both succeed.
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

OPEN = sa.text("state IN ('active', 'on_hold')")


def upgrade():
    with op.batch_alter_table('enrolments') as batch_op:
        batch_op.add_column(sa.Column('pathway_key', sa.String(length=80), nullable=False, server_default=''))
    op.execute(
        "UPDATE enrolments SET pathway_key = "
        "(SELECT key FROM pathway_versions WHERE pathway_versions.id = enrolments.pathway_version_id)"
    )
    op.create_index(
        'uq_enrolments_open_per_programme', 'enrolments', ['learner_id', 'pathway_key'], unique=True,
        sqlite_where=OPEN, postgresql_where=OPEN,
    )
    with op.batch_alter_table('sign_off_events') as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=False, server_default='0'))
    op.execute(
        "UPDATE sign_off_events SET sequence = (SELECT count(*) FROM sign_off_events AS earlier "
        "WHERE earlier.enrolment_id = sign_off_events.enrolment_id "
        "AND earlier.competency_id = sign_off_events.competency_id AND earlier.id <= sign_off_events.id)"
    )
    with op.batch_alter_table('sign_off_events') as batch_op:
        batch_op.create_unique_constraint(
            'uq_sign_off_events_enrolment_id_competency_id_sequence', ['enrolment_id', 'competency_id', 'sequence']
        )


def downgrade():
    with op.batch_alter_table('sign_off_events') as batch_op:
        batch_op.drop_constraint('uq_sign_off_events_enrolment_id_competency_id_sequence', type_='unique')
        batch_op.drop_column('sequence')
    op.drop_index('uq_enrolments_open_per_programme', table_name='enrolments')
    with op.batch_alter_table('enrolments') as batch_op:
        batch_op.drop_column('pathway_key')
