"""programme settings from a date, the settings each enrolment keeps, preceptor protected time

The one-row-per-programme ``programme_settings`` becomes the first version of each programme's
settings, in force from the organisation's first day (or its earliest enrolment's start, if earlier),
so every enrolment reads the choices it read before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 01:00:00

"""
from datetime import date, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    versions = op.create_table('settings_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('pathway_key', sa.String(length=80), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('choices_json', sa.Text(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_settings_versions_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_settings_versions_set_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_settings_versions'))
    )
    op.create_index('ix_settings_versions_in_force', 'settings_versions', ['organisation_id', 'pathway_key', 'effective_from'], unique=False)
    op.create_table('enrolment_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('settings_version_id', sa.Integer(), nullable=False),
    sa.Column('moved', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_enrolment_settings_actor_id_users')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_enrolment_settings_enrolment_id_enrolments')),
    sa.ForeignKeyConstraint(['settings_version_id'], ['settings_versions.id'], name=op.f('fk_enrolment_settings_settings_version_id_settings_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolment_settings'))
    )
    with op.batch_alter_table('enrolment_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolment_settings_enrolment_id'), ['enrolment_id'], unique=False)
    op.create_table('protected_time_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('preceptor_id', sa.Integer(), nullable=False),
    sa.Column('used_on', sa.Date(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('activity', sa.String(length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_protected_time_entries_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['preceptor_id'], ['users.id'], name=op.f('fk_protected_time_entries_preceptor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_protected_time_entries'))
    )
    with op.batch_alter_table('protected_time_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_protected_time_entries_preceptor_id'), ['preceptor_id'], unique=False)
    _carry_over(versions)
    op.drop_table('programme_settings')


def _carry_over(versions):
    """Each old row becomes a version in force from before anyone on that programme started."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT p.organisation_id, p.pathway_key, p.settings_json, p.updated_at, o.created_at AS org_created, "
        "(SELECT MIN(e.start_date) FROM enrolments e WHERE e.organisation_id = p.organisation_id "
        "AND e.pathway_key = p.pathway_key) AS first_start "
        "FROM programme_settings p JOIN organisations o ON o.id = p.organisation_id"
    )).mappings().all()
    for row in rows:
        starts = [_day(row['org_created']), _day(row['first_start'])]
        op.bulk_insert(versions, [{
            'organisation_id': row['organisation_id'], 'pathway_key': row['pathway_key'],
            'effective_from': min(day for day in starts if day is not None), 'choices_json': row['settings_json'],
            'set_by_id': None, 'created_at': _moment(row['updated_at']),
        }])


def _moment(value):
    """SQLite hands timestamps back as text to a plain SQL query."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _day(value):
    if value is None:
        return None
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value if type(value) is date else value.date()


def downgrade():
    op.create_table('programme_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('pathway_key', sa.String(length=80), nullable=False),
    sa.Column('settings_json', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_programme_settings_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_settings')),
    sa.UniqueConstraint('organisation_id', 'pathway_key', name=op.f('uq_programme_settings_organisation_id_pathway_key'))
    )
    with op.batch_alter_table('protected_time_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_protected_time_entries_preceptor_id'))
    op.drop_table('protected_time_entries')
    with op.batch_alter_table('enrolment_settings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrolment_settings_enrolment_id'))
    op.drop_table('enrolment_settings')
    op.drop_index('ix_settings_versions_in_force', table_name='settings_versions')
    op.drop_table('settings_versions')
