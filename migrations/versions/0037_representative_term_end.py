"""a representative's term ended early: the elected end and the reason
beside the term's last day (representatives.elected_term_end, end_reason).

Revision ID: 0037
Revises: 0036
"""
import sqlalchemy as sa
from alembic import op

revision = '0037'
down_revision = '0036'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("representatives") as batch:
        batch.add_column(sa.Column("elected_term_end", sa.Date(), nullable=True))
        batch.add_column(sa.Column("end_reason", sa.String(200), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("representatives") as batch:
        batch.drop_column("end_reason")
        batch.drop_column("elected_term_end")
