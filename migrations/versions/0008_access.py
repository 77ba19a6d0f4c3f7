"""access: invitation and reset links, API token expiry

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 01:00:00

"""
from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'account_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=20), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_links_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_links')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_account_links_token_hash')),
    )
    with op.batch_alter_table('account_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_links_user_id'), ['user_id'], unique=False)

    # Tokens issued before expiry existed get the default 90 days, counted from this upgrade.
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(
        sa.text('UPDATE api_tokens SET expires_at = :when').bindparams(when=datetime.now(UTC) + timedelta(days=90))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('account_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_links_user_id'))
    op.drop_table('account_links')
