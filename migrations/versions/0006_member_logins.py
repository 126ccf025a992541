"""a member's login: users.member_id

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 10:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('member_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint('uq_users_member_id', ['member_id'])
        batch_op.create_foreign_key('fk_users_member_id_members', 'members', ['member_id'], ['id'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('fk_users_member_id_members', type_='foreignkey')
        batch_op.drop_constraint('uq_users_member_id', type_='unique')
        batch_op.drop_column('member_id')
