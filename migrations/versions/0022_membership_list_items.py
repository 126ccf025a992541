"""a membership item of a meeting names the confirmation list it decides
(agenda_items.membership_list_id); the list keeps the id of the item that
decided it as a plain number (as dividend_plans.resolution_item_id does), so
the two tables do not point at each other.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('membership_lists', schema=None) as batch_op:
        batch_op.drop_constraint('fk_membership_lists_agenda_item_id_agenda_items', type_='foreignkey')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('membership_list_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_agenda_items_membership_list_id_membership_lists',
                                    'membership_lists', ['membership_list_id'], ['id'])
        batch_op.create_index('ix_agenda_items_coop_list', ['cooperative_id', 'membership_list_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index('ix_agenda_items_coop_list')
        batch_op.drop_constraint('fk_agenda_items_membership_list_id_membership_lists',
                                 type_='foreignkey')
        batch_op.drop_column('membership_list_id')
    with op.batch_alter_table('membership_lists', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_membership_lists_agenda_item_id_agenda_items', 'agenda_items',
                                    ['agenda_item_id'], ['id'])
