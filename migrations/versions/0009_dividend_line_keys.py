"""dividend lines: unique by plan and member number, which is also the order
they are listed and searched in, instead of a unique (plan, member id) plus
a separate (plan, member number) index - one index fewer to write and delete
for each of a county-size plan's 100,000 lines (issue 6 benchmark). A member
number is unique in its cooperative, so a member still has one line a plan.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('dividend_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_dividend_lines_plan_no')
        batch_op.drop_constraint('uq_dividend_lines_plan_id_member_id', type_='unique')
        batch_op.create_unique_constraint('uq_dividend_lines_plan_id_member_no',
                                          ['plan_id', 'member_no'])


def downgrade():
    with op.batch_alter_table('dividend_lines', schema=None) as batch_op:
        batch_op.drop_constraint('uq_dividend_lines_plan_id_member_no', type_='unique')
        batch_op.create_unique_constraint('uq_dividend_lines_plan_id_member_id',
                                          ['plan_id', 'member_id'])
        batch_op.create_index('ix_dividend_lines_plan_no', ['plan_id', 'member_no'], unique=False)
