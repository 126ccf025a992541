"""order numbers from a counter per cooperative and year: a deleted order's
number is never given again, and numbers count on past 99,999 (they were the
highest order still in the table plus one, compared as text)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'order_counters',
        sa.Column('cooperative_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('last_no', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'],
                                name=op.f('fk_order_counters_cooperative_id_cooperatives')),
        sa.PrimaryKeyConstraint('cooperative_id', 'year', name=op.f('pk_order_counters')),
    )


def downgrade():
    op.drop_table('order_counters')
