"""member accounts (成员账户, 农民专业合作社法第四十三条): the append-only
entries of the reserve and of the state grants and donations quantified to
each member of a specialized cooperative

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('member_account_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount_fen <> 0', name=op.f('ck_member_account_entries_amount_nonzero')),
    sa.CheckConstraint("kind IN ('reserve', 'grant')", name=op.f('ck_member_account_entries_kind')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_member_account_entries_cooperative_id_cooperatives')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_account_entries_member_id_members')),
    sa.ForeignKeyConstraint(['plan_id'], ['dividend_plans.id'], name=op.f('fk_member_account_entries_plan_id_dividend_plans')),
    sa.ForeignKeyConstraint(['reverses_id'], ['member_account_entries.id'], name=op.f('fk_member_account_entries_reverses_id_member_account_entries')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_member_account_entries_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_account_entries')),
    sa.UniqueConstraint('reverses_id', name=op.f('uq_member_account_entries_reverses_id'))
    )
    with op.batch_alter_table('member_account_entries', schema=None) as batch_op:
        batch_op.create_index('ix_member_account_entries_coop_year', ['cooperative_id', 'year'], unique=False)
        batch_op.create_index('ix_member_account_entries_member_year', ['member_id', 'year'], unique=False)


def downgrade():
    with op.batch_alter_table('member_account_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_member_account_entries_member_year')
        batch_op.drop_index('ix_member_account_entries_coop_year')
    op.drop_table('member_account_entries')
