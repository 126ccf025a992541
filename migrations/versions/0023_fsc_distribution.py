"""the specialized cooperative's distribution by the book (FSC arts 42-44):
the charter's rule for quantifying the reserve to the members, the plan's
quantification and conversion inputs and totals, and each line's rest-pool
weight parts, quantified reserve and grants and converted part. Existing
plans keep an empty reserve basis: they were computed by the old rule.

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

PLAN_COLUMNS = ('year_grants_fen', 'rest_weight_fen', 'converted_fen', 'converted_shares')
LINE_COLUMNS = ('capital_basis_fen', 'reserve_share_fen', 'reserve_total_fen', 'grant_share_fen',
                'grants_total_fen', 'converted_fen', 'converted_shares')


def upgrade():
    with op.batch_alter_table('cooperatives') as batch:
        batch.add_column(sa.Column('reserve_basis', sa.String(length=16), nullable=False,
                                   server_default='transactions'))
    with op.batch_alter_table('dividend_plans') as batch:
        batch.add_column(sa.Column('reserve_basis', sa.String(length=16), nullable=False,
                                   server_default=''))
        batch.add_column(sa.Column('member_count', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('conversion_bp', sa.Integer(), nullable=False, server_default='0'))
        for name in PLAN_COLUMNS:
            batch.add_column(sa.Column(name, sa.BigInteger(), nullable=False, server_default='0'))
    with op.batch_alter_table('dividend_lines') as batch:
        for name in LINE_COLUMNS:
            batch.add_column(sa.Column(name, sa.BigInteger(), nullable=False, server_default='0'))


def downgrade():
    with op.batch_alter_table('dividend_lines') as batch:
        for name in reversed(LINE_COLUMNS):
            batch.drop_column(name)
    with op.batch_alter_table('dividend_plans') as batch:
        for name in reversed(PLAN_COLUMNS):
            batch.drop_column(name)
        for name in ('conversion_bp', 'member_count', 'reserve_basis'):
            batch.drop_column(name)
    with op.batch_alter_table('cooperatives') as batch:
        batch.drop_column('reserve_basis')
