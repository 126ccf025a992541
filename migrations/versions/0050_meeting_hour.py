"""the hour of a meeting (meetings.starts_at): the notice of a member
assembly gives its time, place and agenda (RCEO art 27); meetings convened
before keep none.

Revision ID: 0050
Revises: 0049
"""
import sqlalchemy as sa
from alembic import op

revision = '0050'
down_revision = '0049'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("starts_at", sa.Time(), nullable=True))


def downgrade():
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("starts_at")
