"""the charter's word for an outside village client: 外村 in most provinces,
外嘎查村 in Inner Mongolia (cooperatives.outside_village_word, default 外村).

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cooperatives') as batch:
        batch.add_column(sa.Column('outside_village_word', sa.String(length=8), nullable=False,
                                   server_default='外村'))


def downgrade():
    with op.batch_alter_table('cooperatives') as batch:
        batch.drop_column('outside_village_word')
