"""64-bit money and weights where a county-size cooperative passes 2^31:
a share entry's value, a dividend plan's figures and pools, its lines'
weights and amounts (PostgreSQL's INTEGER stops at 21,474,836.47 yuan;
SQLite's integers are 64-bit already, its declared types are brought in line)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

COLUMNS = {
    'share_entries': ('value_fen',),
    'dividend_plans': (
        'service_income_members_fen', 'service_income_nonmembers_fen', 'other_income_fen',
        'nondistributable_income_fen', 'expenses_fen', 'depreciation_fen', 'carried_surplus_fen',
        'carried_loss_fen', 'surplus_fen', 'reserve_fen', 'welfare_fen', 'risk_fen',
        'distributable_fen', 'guaranteed_total_fen', 'patronage_pool_fen', 'capital_pool_fen',
        'total_weight', 'total_shares', 'total_transactions_fen'),
    'dividend_lines': ('weight', 'transactions_fen', 'guaranteed_fen', 'patronage_fen',
                       'capital_fen', 'total_fen'),
}


def _alter(old, new):
    # SQLite stores every INTEGER in up to 8 bytes already; its tables are
    # rebuilt anyway (batch mode) so that the declared types match the models
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, existing_type=old, type_=new,
                                      existing_nullable=False)


def upgrade():
    _alter(sa.Integer(), sa.BigInteger())


def downgrade():
    _alter(sa.BigInteger(), sa.Integer())
