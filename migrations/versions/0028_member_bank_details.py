"""a member's bank details for the bank's batch payment of dividends
(银行代发): the bank (开户行), the account number and the account holder
(户名; empty means the member's own name).

Revision ID: 0028
Revises: 0027
"""
from alembic import op
import sqlalchemy as sa

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("bank_name", sa.String(60), nullable=False, server_default=""))
        batch.add_column(sa.Column("bank_account", sa.String(30), nullable=False, server_default=""))
        batch.add_column(sa.Column("bank_holder", sa.String(60), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("members") as batch:
        batch.drop_column("bank_holder")
        batch.drop_column("bank_account")
        batch.drop_column("bank_name")
