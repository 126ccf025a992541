"""the register's sums and holder steps kept as entries are written
(share_sums, share_holder_steps), filled from the register: the share
structure page read every entry of the register on its first view after a
change, about 1 s at 1,000,000 entries (issue 19).

Revision ID: 0035
Revises: 0034
"""
import sqlalchemy as sa
from alembic import op

revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None

FRESH_SUMS = """
INSERT INTO share_sums (cooperative_id, effective_on, share_class, entry_kind,
                        contribution_kind, machine, shares, value_fen, land_mu)
SELECT cooperative_id, effective_on, share_class, entry_kind, COALESCE(contribution_kind, ''),
       CASE WHEN machine_id IS NOT NULL THEN {true} ELSE {false} END,
       SUM(shares), SUM(value_fen), COALESCE(SUM(land_mu), 0)
FROM share_entries
GROUP BY cooperative_id, effective_on, share_class, entry_kind,
         COALESCE(contribution_kind, ''), CASE WHEN machine_id IS NOT NULL THEN {true} ELSE {false} END
"""

# +1 on the date a member's running sum in a class (or in any class, '')
# rises above zero, -1 on the date it falls back to zero
FRESH_STEPS = """
INSERT INTO share_holder_steps (cooperative_id, effective_on, share_class, holders)
WITH daily AS (
    SELECT cooperative_id, member_id, share_class, effective_on, SUM(shares) AS shares
    FROM share_entries GROUP BY cooperative_id, member_id, share_class, effective_on),
flagged AS (
    SELECT cooperative_id, member_id, share_class, effective_on,
           CASE WHEN SUM(shares) OVER (PARTITION BY cooperative_id, member_id, share_class
                                       ORDER BY effective_on) > 0 THEN 1 ELSE 0 END AS holds
    FROM daily),
stepped AS (
    SELECT cooperative_id, member_id, share_class, effective_on,
           holds - LAG(holds, 1, 0) OVER (PARTITION BY cooperative_id, member_id, share_class
                                          ORDER BY effective_on) AS step
    FROM flagged),
classes AS (
    SELECT cooperative_id, member_id, effective_on, SUM(step) AS step
    FROM stepped WHERE step <> 0 GROUP BY cooperative_id, member_id, effective_on),
counted AS (
    SELECT cooperative_id, member_id, effective_on,
           CASE WHEN SUM(step) OVER (PARTITION BY cooperative_id, member_id
                                     ORDER BY effective_on) > 0 THEN 1 ELSE 0 END AS holds
    FROM classes),
any_stepped AS (
    SELECT cooperative_id, effective_on,
           holds - LAG(holds, 1, 0) OVER (PARTITION BY cooperative_id, member_id
                                          ORDER BY effective_on) AS step
    FROM counted)
SELECT cooperative_id, effective_on, share_class, SUM(step) FROM stepped WHERE step <> 0
GROUP BY cooperative_id, effective_on, share_class
UNION ALL
SELECT cooperative_id, effective_on, '', SUM(step) FROM any_stepped WHERE step <> 0
GROUP BY cooperative_id, effective_on
"""


def upgrade():
    op.create_table(
        'share_sums',
        sa.Column('cooperative_id', sa.Integer(), nullable=False),
        sa.Column('effective_on', sa.Date(), nullable=False),
        sa.Column('share_class', sa.String(length=16), nullable=False),
        sa.Column('entry_kind', sa.String(length=16), nullable=False),
        sa.Column('contribution_kind', sa.String(length=16), nullable=False),
        sa.Column('machine', sa.Boolean(), nullable=False),
        sa.Column('shares', sa.BigInteger(), nullable=False),
        sa.Column('value_fen', sa.BigInteger(), nullable=False),
        sa.Column('land_mu', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'],
                                name=op.f('fk_share_sums_cooperative_id_cooperatives')),
        sa.PrimaryKeyConstraint('cooperative_id', 'effective_on', 'share_class', 'entry_kind',
                                'contribution_kind', 'machine', name=op.f('pk_share_sums')),
    )
    op.create_table(
        'share_holder_steps',
        sa.Column('cooperative_id', sa.Integer(), nullable=False),
        sa.Column('effective_on', sa.Date(), nullable=False),
        sa.Column('share_class', sa.String(length=16), nullable=False),
        sa.Column('holders', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'],
                                name=op.f('fk_share_holder_steps_cooperative_id_cooperatives')),
        sa.PrimaryKeyConstraint('cooperative_id', 'effective_on', 'share_class',
                                name=op.f('pk_share_holder_steps')),
    )
    postgres = op.get_bind().dialect.name == 'postgresql'
    op.execute(FRESH_SUMS.format(true='TRUE' if postgres else '1',
                                 false='FALSE' if postgres else '0'))
    op.execute(FRESH_STEPS)


def downgrade():
    op.drop_table('share_holder_steps')
    op.drop_table('share_sums')
