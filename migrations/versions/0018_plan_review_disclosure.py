"""the plan's supervisor review, its disclosure to the members and the
meeting item that approved it. Nullable: plans approved before keep their
household counts and have no item (recorded under the old rule).

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('dividend_plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('review_note', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('returned_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('returned_reason', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('disclosed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('disclosed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('resolution_item_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_dividend_plans_reviewed_by_id_users', 'users',
                                    ['reviewed_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('dividend_plans', schema=None) as batch_op:
        batch_op.drop_constraint('fk_dividend_plans_reviewed_by_id_users', type_='foreignkey')
        for column in ('resolution_item_id', 'disclosed_at', 'disclosed_on', 'returned_reason',
                       'returned_at', 'review_note', 'reviewed_by_id', 'reviewed_at'):
            batch_op.drop_column(column)
