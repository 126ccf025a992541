"""extra votes computed, not typed (农民专业合作社法第二十二条): the charter's
rule (a step of capital and/or of transactions per extra vote, a threshold
for each, the most per member), and each member's extra votes at a meeting
(meeting_extra_votes) instead of a typed count on the sign-in. The counts
typed so far move to meeting_extra_votes (their figures unknown: zero).

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

RULE_COLUMNS = ('extra_votes_capital_step_fen', 'extra_votes_capital_threshold_fen',
                'extra_votes_transactions_step_fen', 'extra_votes_transactions_threshold_fen')


def upgrade():
    with op.batch_alter_table('cooperatives') as batch:
        for name in RULE_COLUMNS:
            batch.add_column(sa.Column(name, sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column('extra_votes_member_max', sa.Integer(), nullable=True))
    op.create_table('meeting_extra_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('capital_fen', sa.BigInteger(), nullable=False),
    sa.Column('transactions_fen', sa.BigInteger(), nullable=False),
    sa.Column('by_capital', sa.Integer(), nullable=False),
    sa.Column('by_transactions', sa.Integer(), nullable=False),
    sa.Column('extra_votes', sa.Integer(), nullable=False),
    sa.CheckConstraint('extra_votes > 0', name=op.f('ck_meeting_extra_votes_extra_votes_positive')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'],
                            name=op.f('fk_meeting_extra_votes_cooperative_id_cooperatives')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_extra_votes_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_meeting_extra_votes_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_extra_votes')),
    sa.UniqueConstraint('meeting_id', 'member_id', name=op.f('uq_meeting_extra_votes_meeting_id_member_id'))
    )
    with op.batch_alter_table('meeting_extra_votes', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_extra_votes_coop_member', ['cooperative_id', 'member_id'], unique=False)
    op.execute("INSERT INTO meeting_extra_votes (cooperative_id, meeting_id, member_id, capital_fen, "
               "transactions_fen, by_capital, by_transactions, extra_votes) "
               "SELECT cooperative_id, meeting_id, member_id, 0, 0, 0, 0, extra_votes "
               "FROM attendances WHERE extra_votes > 0")
    with op.batch_alter_table('attendances') as batch:
        batch.drop_constraint(op.f('ck_attendances_extra_votes_not_negative'), type_='check')
        batch.drop_column('extra_votes')


def downgrade():
    with op.batch_alter_table('attendances') as batch:
        batch.add_column(sa.Column('extra_votes', sa.Integer(), nullable=False, server_default='0'))
        batch.create_check_constraint('extra_votes_not_negative', 'extra_votes >= 0')
    op.execute("UPDATE attendances SET extra_votes = (SELECT m.extra_votes FROM meeting_extra_votes m "
               "WHERE m.meeting_id = attendances.meeting_id AND m.member_id = attendances.member_id) "
               "WHERE EXISTS (SELECT 1 FROM meeting_extra_votes m WHERE m.meeting_id = attendances.meeting_id "
               "AND m.member_id = attendances.member_id)")
    with op.batch_alter_table('meeting_extra_votes', schema=None) as batch_op:
        batch_op.drop_index('ix_meeting_extra_votes_coop_member')
    op.drop_table('meeting_extra_votes')
    with op.batch_alter_table('cooperatives') as batch:
        batch.drop_column('extra_votes_member_max')
        for name in reversed(RULE_COLUMNS):
            batch.drop_column(name)
