"""year reopenings: a closed year reopened on a request with a reason (one
person asks, the supervisor confirms), kept with the figures of the close it undid.

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('year_reopenings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('surplus_fen', sa.BigInteger(), nullable=True),
    sa.Column('carry_forward_fen', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], ),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('year_reopenings') as batch:
        batch.create_index(batch.f('ix_year_reopenings_cooperative_id'), ['cooperative_id'], unique=False)


def downgrade():
    with op.batch_alter_table('year_reopenings') as batch:
        batch.drop_index(batch.f('ix_year_reopenings_cooperative_id'))
    op.drop_table('year_reopenings')
