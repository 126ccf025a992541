"""the charter's governance (issue 13): the legal regime, the representative
assembly and its term, the notice, stricter majorities per resolution kind,
and the FSC extra-vote rule. Existing cooperatives get their regime from
their distribution mode (按股分红: rural collective economic organization;
按交易量返还: farmers' specialized cooperative).

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

KINDS = ("distribution", "charter", "membership", "merger", "other")


def upgrade():
    with op.batch_alter_table('cooperatives') as batch:
        batch.add_column(sa.Column('legal_regime', sa.String(length=16), nullable=False,
                                   server_default='collective'))
        batch.add_column(sa.Column('representative_assembly', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column('representative_term_years', sa.Integer(), nullable=False,
                                   server_default='5'))
        batch.add_column(sa.Column('notice_days', sa.Integer(), nullable=False, server_default='10'))
        for kind in KINDS:
            batch.add_column(sa.Column(f'majority_{kind}_num', sa.Integer(), nullable=True))
            batch.add_column(sa.Column(f'majority_{kind}_den', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('extra_votes_allowed', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column('extra_votes_cap_bp', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('extra_votes_basis', sa.String(length=16), nullable=False,
                                   server_default=''))
    op.execute("UPDATE cooperatives SET legal_regime = 'specialized' "
               "WHERE distribution_mode = 'specialized'")


def downgrade():
    with op.batch_alter_table('cooperatives') as batch:
        for name in ('extra_votes_basis', 'extra_votes_cap_bp', 'extra_votes_allowed'):
            batch.drop_column(name)
        for kind in reversed(KINDS):
            batch.drop_column(f'majority_{kind}_den')
            batch.drop_column(f'majority_{kind}_num')
        for name in ('notice_days', 'representative_term_years', 'representative_assembly',
                     'legal_regime'):
            batch.drop_column(name)
