"""the roster's counts carried by the transactions that write members
(cooperative_marks.figures): a new member adds itself to the counts kept
with the mark, instead of every process counting the cooperative's members
again after each new one (23 ms at 100,000 members, on the roster's first
page and the home page; issue 19).

Revision ID: 0047
Revises: 0046
"""
import sqlalchemy as sa
from alembic import op

revision = '0047'
down_revision = '0046'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cooperative_marks") as batch_op:
        batch_op.add_column(sa.Column("figures", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("cooperative_marks") as batch_op:
        batch_op.drop_column("figures")
