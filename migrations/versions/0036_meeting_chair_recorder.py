"""who chaired a meeting and who kept its minutes (meetings.chair,
meetings.recorder): the minutes name both above their signatures.

Revision ID: 0036
Revises: 0035
"""
import sqlalchemy as sa
from alembic import op

revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("chair", sa.String(60), nullable=False, server_default=""))
        batch.add_column(sa.Column("recorder", sa.String(60), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("recorder")
        batch.drop_column("chair")
