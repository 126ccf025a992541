"""roster marks: a random mark per cooperative, new with every write of one
of its members; the roster's counts (households with a vote among them:
13-17 ms at 100,000 members) are kept per process while it stays the same.

Revision ID: 0043
Revises: 0042
"""
import sqlalchemy as sa
from alembic import op

revision = '0043'
down_revision = '0042'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "roster_marks",
        sa.Column("cooperative_id", sa.Integer(), nullable=False),
        sa.Column("mark", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["cooperative_id"], ["cooperatives.id"],
                                name=op.f("fk_roster_marks_cooperative_id_cooperatives")),
        sa.PrimaryKeyConstraint("cooperative_id", name=op.f("pk_roster_marks")),
    )


def downgrade():
    op.drop_table("roster_marks")
