"""how an expense was paid (expenses.method): the township's large-cash
warning lists the expenses paid in cash, and those recorded before the
method was asked (NULL), not every large expense.

Revision ID: 0038
Revises: 0037
"""
import sqlalchemy as sa
from alembic import op

revision = '0038'
down_revision = '0037'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("expenses") as batch:
        batch.add_column(sa.Column("method", sa.String(16), nullable=True))


def downgrade():
    with op.batch_alter_table("expenses") as batch:
        batch.drop_column("method")
