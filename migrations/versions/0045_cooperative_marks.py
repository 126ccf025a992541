"""cooperative marks: the roster marks become one table of marks per
cooperative and topic (cooperative_marks), the roster's ("roster") and the
order list's ("orders"): a random mark new with every transaction that
writes a member, or an order or payment; the order list's counts (half a
million owing orders counted in 30-70 ms on PostgreSQL) are kept per
process while it stays the same. The roster's marks are carried over.

Revision ID: 0045
Revises: 0044
"""
import sqlalchemy as sa
from alembic import op

revision = '0045'
down_revision = '0044'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "cooperative_marks",
        sa.Column("cooperative_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.Column("mark", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["cooperative_id"], ["cooperatives.id"],
                                name=op.f("fk_cooperative_marks_cooperative_id_cooperatives")),
        sa.PrimaryKeyConstraint("cooperative_id", "topic", name=op.f("pk_cooperative_marks")),
    )
    op.execute("INSERT INTO cooperative_marks (cooperative_id, topic, mark) "
               "SELECT cooperative_id, 'roster', mark FROM roster_marks")
    op.drop_table("roster_marks")


def downgrade():
    op.create_table(
        "roster_marks",
        sa.Column("cooperative_id", sa.Integer(), nullable=False),
        sa.Column("mark", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["cooperative_id"], ["cooperatives.id"],
                                name=op.f("fk_roster_marks_cooperative_id_cooperatives")),
        sa.PrimaryKeyConstraint("cooperative_id", name=op.f("pk_roster_marks")),
    )
    op.execute("INSERT INTO roster_marks (cooperative_id, mark) "
               "SELECT cooperative_id, mark FROM cooperative_marks WHERE topic = 'roster'")
    op.drop_table("cooperative_marks")
