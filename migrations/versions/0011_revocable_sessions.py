"""revocable sessions and throttling by account: users.session_token (part of
the id each session carries; a new one ends every session of the account) and
login_attempts.user_id (the account a typed username resolved to)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30

"""
import secrets

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    conn = op.get_bind()
    for (user_id,) in conn.execute(sa.select(users.c.id)).all():
        conn.execute(users.update().where(users.c.id == user_id)
                     .values(session_token=secrets.token_urlsafe(32)))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64),
                              nullable=False)

    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_login_attempts_user_id_users', 'users',
                                    ['user_id'], ['id'])
        batch_op.create_index('ix_login_attempts_user_at', ['user_id', 'at'], unique=False)


def downgrade():
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempts_user_at')
        batch_op.drop_constraint('fk_login_attempts_user_id_users', type_='foreignkey')
        batch_op.drop_column('user_id')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_token')
