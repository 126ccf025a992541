"""users.enabled_reason: why a login was disabled or enabled again (the
secretary's reason, or the member's death, withdrawal or loss of membership).

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('enabled_reason', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.drop_column('enabled_reason')
