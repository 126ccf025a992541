"""shares: the share register (append-only entries)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 09:38:49.062837

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('share_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('share_class', sa.String(length=16), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('shares', sa.Integer(), nullable=False),
    sa.Column('entry_kind', sa.String(length=16), nullable=False),
    sa.Column('contribution_kind', sa.String(length=16), nullable=True),
    sa.Column('value_fen', sa.Integer(), nullable=False),
    sa.Column('land_mu', sa.Integer(), nullable=True),
    sa.Column('unit_price_fen', sa.Integer(), nullable=True),
    sa.Column('labour_days', sa.Integer(), nullable=True),
    sa.Column('asset_name', sa.String(length=120), nullable=False),
    sa.Column('machine_id', sa.Integer(), nullable=True),
    sa.Column('counterparty_id', sa.Integer(), nullable=True),
    sa.Column('movement', sa.String(length=32), nullable=False),
    sa.Column('resolution_no', sa.String(length=60), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("entry_kind IN ('subscribe', 'transfer_in', 'transfer_out', 'inherit_in', 'inherit_out', 'redeem')", name=op.f('ck_share_entries_entry_kind')),
    sa.CheckConstraint("share_class IN ('collective', 'villager', 'cadre')", name=op.f('ck_share_entries_share_class')),
    sa.CheckConstraint('shares <> 0', name=op.f('ck_share_entries_shares_nonzero')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_share_entries_cooperative_id_cooperatives')),
    sa.ForeignKeyConstraint(['counterparty_id'], ['members.id'], name=op.f('fk_share_entries_counterparty_id_members')),
    sa.ForeignKeyConstraint(['machine_id'], ['machines.id'], name=op.f('fk_share_entries_machine_id_machines')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_share_entries_member_id_members')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_share_entries_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['reverses_id'], ['share_entries.id'], name=op.f('fk_share_entries_reverses_id_share_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_entries')),
    sa.UniqueConstraint('reverses_id', name=op.f('uq_share_entries_reverses_id'))
    )
    with op.batch_alter_table('share_entries', schema=None) as batch_op:
        batch_op.create_index('ix_share_entries_coop_date', ['cooperative_id', 'effective_on'], unique=False)
        batch_op.create_index('ix_share_entries_coop_movement', ['cooperative_id', 'movement'], unique=False)
        batch_op.create_index(batch_op.f('ix_share_entries_machine_id'), ['machine_id'], unique=False)
        batch_op.create_index('ix_share_entries_member_class_date', ['member_id', 'share_class', 'effective_on'], unique=False)


def downgrade():
    with op.batch_alter_table('share_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_share_entries_member_class_date')
        batch_op.drop_index(batch_op.f('ix_share_entries_machine_id'))
        batch_op.drop_index('ix_share_entries_coop_movement')
        batch_op.drop_index('ix_share_entries_coop_date')

    op.drop_table('share_entries')
