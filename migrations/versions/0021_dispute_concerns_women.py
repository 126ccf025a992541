"""membership disputes: whether a dispute concerns a woman's membership
because of marriage, divorce or widowhood (《农村集体经济组织法》第五十六条第二款)

Revision ID: 0021
Revises: 0020
"""
from alembic import op
import sqlalchemy as sa

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('membership_disputes') as batch:
        batch.add_column(sa.Column('concerns_women', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('membership_disputes') as batch:
        batch.drop_column('concerns_women')
