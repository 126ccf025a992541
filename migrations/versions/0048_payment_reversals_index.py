"""an index of the payments' reversals (service_payments.reverses_id): a
payment's reversal first asks whether it was reversed already, which read
every payment of the county (50 ms at 522,900 payments on SQLite; issue 19),
as the orders' reversals have been read through ix_service_orders_reverses.

Revision ID: 0048
Revises: 0047
"""
from alembic import op

revision = '0048'
down_revision = '0047'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_service_payments_reverses", "service_payments", ["reverses_id"])


def downgrade():
    op.drop_index("ix_service_payments_reverses", table_name="service_payments")
