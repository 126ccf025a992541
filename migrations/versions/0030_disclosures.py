"""financial disclosure (财务公开): the charter's disclosure period and
major-item threshold, and the published disclosures (snapshots, never edited;
a correction is a new revision of the same period).

Revision ID: 0030
Revises: 0029
"""
from alembic import op
import sqlalchemy as sa

revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cooperatives") as batch:
        batch.add_column(sa.Column("disclosure_period", sa.String(8), nullable=False,
                                   server_default="quarter"))
        batch.add_column(sa.Column("major_item_threshold_fen", sa.BigInteger(), nullable=False,
                                   server_default="1000000"))
    op.create_table(
        "disclosures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cooperative_id", sa.Integer(), nullable=False),
        sa.Column("period_kind", sa.String(8), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("period_no", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("correction_reason", sa.String(200), nullable=False),
        sa.Column("major_item_threshold_fen", sa.BigInteger(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.CheckConstraint("(revision = 1 AND corrects_id IS NULL AND correction_reason = '')"
                           " OR (revision > 1 AND corrects_id IS NOT NULL AND correction_reason <> '')",
                           name=op.f("ck_disclosures_correction_shape")),
        sa.ForeignKeyConstraint(["cooperative_id"], ["cooperatives.id"]),
        sa.ForeignKeyConstraint(["published_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["corrects_id"], ["disclosures.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("cooperative_id", "period_kind", "year", "period_no", "revision",
                            name=op.f("uq_disclosures_period_revision")),
        sa.UniqueConstraint("corrects_id", name=op.f("uq_disclosures_corrects")),
    )
    with op.batch_alter_table("disclosures") as batch:
        batch.create_index(batch.f("ix_disclosures_coop_published"), ["cooperative_id", "published_on"])


def downgrade():
    with op.batch_alter_table("disclosures") as batch:
        batch.drop_index(batch.f("ix_disclosures_coop_published"))
    op.drop_table("disclosures")
    with op.batch_alter_table("cooperatives") as batch:
        batch.drop_column("major_item_threshold_fen")
        batch.drop_column("disclosure_period")
