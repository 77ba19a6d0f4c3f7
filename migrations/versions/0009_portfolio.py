"""portfolio: evidence files, reflections, review signatures and signing links, certificates, transfer keys and imported programmes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'evidence_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('enrolment_id', sa.Integer(), nullable=False),
        sa.Column('attached_to', sa.String(length=20), nullable=False),
        sa.Column('attached_id', sa.Integer(), nullable=False),
        sa.Column('storage_key', sa.String(length=64), nullable=False),
        sa.Column('thumbnail_key', sa.String(length=64), nullable=True),
        sa.Column('file_name', sa.String(length=200), nullable=False),
        sa.Column('content_type', sa.String(length=120), nullable=False),
        sa.Column('size_bytes', sa.BigInteger(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('removed_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_evidence_files_enrolment_id_enrolments')),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_evidence_files_uploaded_by_id_users')),
        sa.ForeignKeyConstraint(['removed_by_id'], ['users.id'], name=op.f('fk_evidence_files_removed_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_files')),
        sa.UniqueConstraint('storage_key', name=op.f('uq_evidence_files_storage_key')),
    )
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_files_enrolment_id'), ['enrolment_id'], unique=False)
    op.create_table(
        'reflections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('enrolment_id', sa.Integer(), nullable=False),
        sa.Column('written_on', sa.Date(), nullable=False),
        sa.Column('what_happened', sa.Text(), nullable=False),
        sa.Column('what_learned', sa.Text(), nullable=False),
        sa.Column('how_changed', sa.Text(), nullable=False),
        sa.Column('code_themes', sa.String(length=200), nullable=False),
        sa.Column('signoff_event_id', sa.Integer(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_reflections_enrolment_id_enrolments')),
        sa.ForeignKeyConstraint(['signoff_event_id'], ['sign_off_events.id'], name=op.f('fk_reflections_signoff_event_id_sign_off_events')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_reflections_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reflections')),
    )
    with op.batch_alter_table('reflections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reflections_enrolment_id'), ['enrolment_id'], unique=False)
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('correction_reason', sa.Text(), nullable=False, server_default=''))
    op.create_table(
        'review_signing_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('party', sa.String(length=30), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_signing_links_review_id_reviews')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_review_signing_links_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_signing_links')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_review_signing_links_token_hash')),
    )
    with op.batch_alter_table('review_signing_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_signing_links_review_id'), ['review_id'], unique=False)
    op.create_table(
        'review_signatures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('party', sa.String(length=30), nullable=False),
        sa.Column('decision', sa.String(length=20), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('signer_name', sa.String(length=200), nullable=False),
        sa.Column('signer_role', sa.String(length=200), nullable=False),
        sa.Column('link_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_review_signatures_review_id_reviews')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_review_signatures_user_id_users')),
        sa.ForeignKeyConstraint(['link_id'], ['review_signing_links.id'], name=op.f('fk_review_signatures_link_id_review_signing_links')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_signatures')),
        sa.UniqueConstraint('review_id', 'party', name=op.f('uq_review_signatures_review_id_party')),
    )
    with op.batch_alter_table('review_signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_signatures_review_id'), ['review_id'], unique=False)

    op.create_table(
        'certificates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('enrolment_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=20), nullable=False),
        sa.Column('completed_on', sa.Date(), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_reason', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_certificates_enrolment_id_enrolments')),
        sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_certificates_issued_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
        sa.UniqueConstraint('enrolment_id', name=op.f('uq_certificates_enrolment_id')),
        sa.UniqueConstraint('code', name=op.f('uq_certificates_code')),
    )

    op.create_table(
        'organisation_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('key_id', sa.String(length=40), nullable=False),
        sa.Column('secret', sa.String(length=128), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_keys_organisation_id_organisations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_keys')),
        sa.UniqueConstraint('organisation_id', name=op.f('uq_organisation_keys_organisation_id')),
        sa.UniqueConstraint('key_id', name=op.f('uq_organisation_keys_key_id')),
    )
    op.create_table(
        'imported_programmes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('learner_id', sa.Integer(), nullable=False),
        sa.Column('source_organisation', sa.String(length=200), nullable=False),
        sa.Column('pathway_key', sa.String(length=80), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('completed_on', sa.Date(), nullable=False),
        sa.Column('sign_offs', sa.Text(), nullable=False),
        sa.Column('file_sha256', sa.String(length=64), nullable=False),
        sa.Column('imported_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_imported_programmes_organisation_id_organisations')),
        sa.ForeignKeyConstraint(['learner_id'], ['users.id'], name=op.f('fk_imported_programmes_learner_id_users')),
        sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_imported_programmes_imported_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_imported_programmes')),
        sa.UniqueConstraint('learner_id', 'file_sha256', 'pathway_key', name=op.f('uq_imported_programmes_learner_id_file_sha256_pathway_key')),
    )
    with op.batch_alter_table('imported_programmes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_imported_programmes_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_imported_programmes_learner_id'), ['learner_id'], unique=False)


def downgrade():
    op.drop_table('imported_programmes')
    op.drop_table('organisation_keys')
    op.drop_table('certificates')
    op.drop_table('review_signatures')
    op.drop_table('review_signing_links')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_column('correction_reason')
    with op.batch_alter_table('reflections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reflections_enrolment_id'))
    op.drop_table('reflections')
    with op.batch_alter_table('evidence_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_files_enrolment_id'))
    op.drop_table('evidence_files')
