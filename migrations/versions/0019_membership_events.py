"""membership confirmation (issue 15): the events that gain or lose
membership with their reason and evidence, the confirmation lists, their
objections, the filed roster versions and their entries, the disputes and
their steps, the art 15 distribution rights; on members the basis of
membership (acquired_how, acquired_on), the day it was confirmed, the
relation to the household head and the distribution-rights-only flag.

Existing members were confirmed before this record existed: those who joined
before 2025-05-01 (or whose date is unknown) are 2025年5月1日前已确认成员
(《农村集体经济组织法》第六十六条, no re-confirmation), the others founding
members; their confirmed_on is the day they joined.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('membership_disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('claimant', sa.String(length=60), nullable=False),
    sa.Column('claim', sa.Text(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_membership_disputes_cooperative_id_cooperatives')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_membership_disputes_member_id_members')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_membership_disputes_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_disputes'))
    )
    with op.batch_alter_table('membership_disputes', schema=None) as batch_op:
        batch_op.create_index('ix_membership_disputes_coop_member', ['cooperative_id', 'member_id'], unique=False)

    op.create_table('membership_dispute_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('dispute_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_membership_dispute_steps_cooperative_id_cooperatives')),
    sa.ForeignKeyConstraint(['dispute_id'], ['membership_disputes.id'], name=op.f('fk_membership_dispute_steps_dispute_id_membership_disputes')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_membership_dispute_steps_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_dispute_steps'))
    )
    with op.batch_alter_table('membership_dispute_steps', schema=None) as batch_op:
        batch_op.create_index('ix_membership_dispute_steps_dispute', ['dispute_id'], unique=False)

    op.create_table('membership_distribution_rights',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('resolution_no', sa.String(length=40), nullable=True),
    sa.Column('resolved_on', sa.Date(), nullable=True),
    sa.Column('votes_for', sa.Integer(), nullable=True),
    sa.Column('all_members', sa.Integer(), nullable=True),
    sa.Column('granted_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_membership_distribution_rights_agenda_item_id_agenda_items')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_membership_distribution_rights_cooperative_id_cooperatives')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_membership_distribution_rights_member_id_members')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_membership_distribution_rights_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_distribution_rights'))
    )
    with op.batch_alter_table('membership_distribution_rights', schema=None) as batch_op:
        batch_op.create_index('ix_membership_distribution_rights_coop_member', ['cooperative_id', 'member_id'], unique=False)

    op.create_table('membership_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('notice_start', sa.Date(), nullable=True),
    sa.Column('notice_days', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('resolution_no', sa.String(length=40), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_membership_lists_agenda_item_id_agenda_items')),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_membership_lists_cooperative_id_cooperatives')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_lists')),
    sa.UniqueConstraint('cooperative_id', 'number', name=op.f('uq_membership_lists_cooperative_id_number'))
    )
    op.create_table('member_rosters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('made_on', sa.Date(), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=True),
    sa.Column('resolution_no', sa.String(length=40), nullable=True),
    sa.Column('member_count', sa.Integer(), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('receipt_no', sa.String(length=60), nullable=True),
    sa.Column('filed_with', sa.String(length=120), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_member_rosters_cooperative_id_cooperatives')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_member_rosters_created_by_id_users')),
    sa.ForeignKeyConstraint(['list_id'], ['membership_lists.id'], name=op.f('fk_member_rosters_list_id_membership_lists')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_rosters')),
    sa.UniqueConstraint('cooperative_id', 'number', name=op.f('uq_member_rosters_cooperative_id_number'))
    )
    op.create_table('membership_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('occurs_on', sa.Date(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('membership_elsewhere', sa.String(length=120), nullable=False),
    sa.Column('withdrawal_terms', sa.String(length=16), nullable=True),
    sa.Column('rights_kept_until', sa.Date(), nullable=True),
    sa.Column('household_from', sa.String(length=20), nullable=False),
    sa.Column('household_to', sa.String(length=20), nullable=False),
    sa.Column('women_review', sa.Boolean(), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=False),
    sa.Column('doc_type', sa.String(length=40), nullable=False),
    sa.Column('doc_no', sa.String(length=60), nullable=False),
    sa.Column('doc_date', sa.Date(), nullable=True),
    sa.Column('scan_file', sa.String(length=200), nullable=True),
    sa.Column('scan_name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_membership_events_cooperative_id_cooperatives')),
    sa.ForeignKeyConstraint(['list_id'], ['membership_lists.id'], name=op.f('fk_membership_events_list_id_membership_lists')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_membership_events_member_id_members')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_membership_events_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_membership_events_reviewed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_events'))
    )
    with op.batch_alter_table('membership_events', schema=None) as batch_op:
        batch_op.create_index('ix_membership_events_coop_member', ['cooperative_id', 'member_id'], unique=False)
        batch_op.create_index('ix_membership_events_coop_status', ['cooperative_id', 'status'], unique=False)
        batch_op.create_index('ix_membership_events_list', ['list_id'], unique=False)

    op.create_table('member_roster_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roster_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('member_no', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('gender', sa.String(length=2), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('household_no', sa.String(length=20), nullable=False),
    sa.Column('relation_to_head', sa.String(length=10), nullable=False),
    sa.Column('village_group', sa.String(length=40), nullable=False),
    sa.Column('acquired_how', sa.String(length=24), nullable=False),
    sa.Column('acquired_on', sa.Date(), nullable=True),
    sa.Column('remark', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_roster_entries_member_id_members')),
    sa.ForeignKeyConstraint(['roster_id'], ['member_rosters.id'], name=op.f('fk_member_roster_entries_roster_id_member_rosters')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_roster_entries'))
    )
    with op.batch_alter_table('member_roster_entries', schema=None) as batch_op:
        batch_op.create_index('ix_member_roster_entries_roster', ['roster_id', 'member_no'], unique=False)

    op.create_table('membership_objections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('raised_by', sa.String(length=60), nullable=False),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('outcome_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_membership_objections_cooperative_id_cooperatives')),
    sa.ForeignKeyConstraint(['event_id'], ['membership_events.id'], name=op.f('fk_membership_objections_event_id_membership_events')),
    sa.ForeignKeyConstraint(['list_id'], ['membership_lists.id'], name=op.f('fk_membership_objections_list_id_membership_lists')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_membership_objections_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_objections'))
    )
    with op.batch_alter_table('membership_objections', schema=None) as batch_op:
        batch_op.create_index('ix_membership_objections_list', ['list_id'], unique=False)

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('acquired_how', sa.String(length=24), nullable=False,
                                      server_default='founding'))
        batch_op.add_column(sa.Column('acquired_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('confirmed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('relation_to_head', sa.String(length=10), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('distribution_rights_only', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.execute("UPDATE members SET acquired_how = 'confirmed_before_law' "
               "WHERE joined_on IS NULL OR joined_on < '2025-05-01'")
    op.execute("UPDATE members SET confirmed_on = joined_on")


def downgrade():
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('distribution_rights_only')
        batch_op.drop_column('relation_to_head')
        batch_op.drop_column('confirmed_on')
        batch_op.drop_column('acquired_on')
        batch_op.drop_column('acquired_how')

    with op.batch_alter_table('membership_objections', schema=None) as batch_op:
        batch_op.drop_index('ix_membership_objections_list')

    op.drop_table('membership_objections')
    with op.batch_alter_table('member_roster_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_member_roster_entries_roster')

    op.drop_table('member_roster_entries')
    with op.batch_alter_table('membership_events', schema=None) as batch_op:
        batch_op.drop_index('ix_membership_events_list')
        batch_op.drop_index('ix_membership_events_coop_status')
        batch_op.drop_index('ix_membership_events_coop_member')

    op.drop_table('membership_events')
    op.drop_table('member_rosters')
    op.drop_table('membership_lists')
    with op.batch_alter_table('membership_distribution_rights', schema=None) as batch_op:
        batch_op.drop_index('ix_membership_distribution_rights_coop_member')

    op.drop_table('membership_distribution_rights')
    with op.batch_alter_table('membership_dispute_steps', schema=None) as batch_op:
        batch_op.drop_index('ix_membership_dispute_steps_dispute')

    op.drop_table('membership_dispute_steps')
    with op.batch_alter_table('membership_disputes', schema=None) as batch_op:
        batch_op.drop_index('ix_membership_disputes_coop_member')

    op.drop_table('membership_disputes')
