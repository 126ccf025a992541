"""statement PDF batch jobs as rows (the task queue's worker draws them one at
a time per cooperative; a partial unique index keeps at most one running)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'statement_jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=16), nullable=False),
        sa.Column('cooperative_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('message', sa.String(length=200), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'],
                                name=op.f('fk_statement_jobs_cooperative_id_cooperatives')),
        sa.ForeignKeyConstraint(['plan_id'], ['dividend_plans.id'],
                                name=op.f('fk_statement_jobs_plan_id_dividend_plans')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_statement_jobs_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_jobs')),
        sa.UniqueConstraint('token', name=op.f('uq_statement_jobs_token')),
    )
    op.create_index('ix_statement_jobs_cooperative_id_state', 'statement_jobs',
                    ['cooperative_id', 'state'])
    op.create_index('ix_statement_jobs_user_id_state', 'statement_jobs', ['user_id', 'state'])
    op.create_index('uq_statement_jobs_running_cooperative_id', 'statement_jobs',
                    ['cooperative_id'], unique=True,
                    sqlite_where=sa.text("state = 'running'"),
                    postgresql_where=sa.text("state = 'running'"))


def downgrade():
    op.drop_index('uq_statement_jobs_running_cooperative_id', table_name='statement_jobs')
    op.drop_index('ix_statement_jobs_user_id_state', table_name='statement_jobs')
    op.drop_index('ix_statement_jobs_cooperative_id_state', table_name='statement_jobs')
    op.drop_table('statement_jobs')
