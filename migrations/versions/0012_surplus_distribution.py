"""a closed year records what its approved plan distributed, and a plan the
surplus retained at the close: the retained part is taken out of the plan
and only what a year did not distribute carries to the next one

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('year_closes') as batch:
        batch.add_column(sa.Column('distributed_fen', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('dividend_plans') as batch:
        batch.add_column(sa.Column('retained_fen', sa.BigInteger(), nullable=False,
                                   server_default='0'))
    # A plan approved before this revision distributed its whole surplus
    # (the amount kept at the close included): record that, so the next year
    # carries what was really left, not the amount kept a second time.
    op.execute(
        "UPDATE year_closes SET distributed_fen = CASE WHEN surplus_fen > 0 THEN surplus_fen "
        "ELSE 0 END WHERE EXISTS (SELECT 1 FROM dividend_plans p "
        "WHERE p.cooperative_id = year_closes.cooperative_id AND p.year = year_closes.year "
        "AND p.status <> 'draft' AND p.superseded_by_id IS NULL)")


def downgrade():
    with op.batch_alter_table('dividend_plans') as batch:
        batch.drop_column('retained_fen')
    with op.batch_alter_table('year_closes') as batch:
        batch.drop_column('distributed_fen')
