"""64-bit for every amount, share count and area still 32-bit: an order of
100,000 mu at 10,000 yuan (1,000,000,000.00 yuan) overflowed PostgreSQL's
INTEGER (21,474,836.47 yuan) with a 500. Orders, payments, expenses, other
incomes, machines' values, prices, par values and guarantees; share entries'
and dividend lines' shares and areas. SQLite's tables are rebuilt so that the
declared types match the models (as in 0008)

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

# table -> (column, nullable)
COLUMNS = {
    'cooperatives': (('par_value_fen', False), ('guaranteed_fen_per_mu', False)),
    'machines': (('original_value_fen', False),),
    'service_prices': (('member_price_fen', False), ('market_price_fen', False)),
    'service_orders': (('area_cmu', False), ('unit_price_fen', False), ('amount_fen', False)),
    'service_payments': (('amount_fen', False),),
    'expenses': (('amount_fen', False),),
    'other_incomes': (('amount_fen', False),),
    'share_entries': (('shares', False), ('land_mu', True), ('unit_price_fen', True)),
    'dividend_plans': (('guaranteed_fen_per_mu', False), ('par_value_fen', False)),
    'dividend_lines': (('shares', False), ('land_mu_hundredths', False)),
}


def _alter(old, new):
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, nullable in columns:
                batch_op.alter_column(column, existing_type=old, type_=new,
                                      existing_nullable=nullable)


def upgrade():
    _alter(sa.Integer(), sa.BigInteger())


def downgrade():
    _alter(sa.BigInteger(), sa.Integer())
