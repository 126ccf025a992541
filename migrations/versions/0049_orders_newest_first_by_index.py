"""the order list's page read in its order from an index on PostgreSQL. The
list is newest first, ties by id (service_on DESC, id DESC); the date
indexes of the orders (all of them, by service, the unpaid ones) now carry
the id as their last column, as SQLite's carry the rowid. Without it
PostgreSQL read every order of the newest day, joined each to its client
and sorted them to show 50: 14-18 ms for a page of the current year at
1,000,000 orders, a fifth of the database's time in the load test, 1 ms now
(issue 19).

Revision ID: 0049
Revises: 0048
"""
import sqlalchemy as sa
from alembic import op

revision = '0049'
down_revision = '0048'
branch_labels = None
depends_on = None

UNPAID = sa.text("unpaid_fen > 0")
INDEXES = (("ix_service_orders_coop_date", ["cooperative_id", "service_on"], None),
           ("ix_service_orders_coop_service_date", ["cooperative_id", "service", "service_on"], None),
           ("ix_service_orders_unpaid", ["cooperative_id", "service_on"], UNPAID))


def _recreate(*tail: str) -> None:
    for name, columns, where in INDEXES:
        op.drop_index(name, table_name="service_orders")
        op.create_index(name, "service_orders", [*columns, *tail],
                        sqlite_where=where, postgresql_where=where)


def upgrade():
    _recreate("id")


def downgrade():
    _recreate()
