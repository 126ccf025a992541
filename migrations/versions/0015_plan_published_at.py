"""when a plan's public notice was recorded: the notice starts no earlier
than that day and no dividend is paid before it. Plans published before this
revision take the time from the audit log's entry of their publication

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('dividend_plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_at', sa.DateTime(), nullable=True))
    plans = sa.table('dividend_plans', sa.column('id', sa.Integer()),
                     sa.column('published_at', sa.DateTime()))
    audit = sa.table('audit_entries', sa.column('at', sa.DateTime()),
                     sa.column('action', sa.String()), sa.column('record_type', sa.String()),
                     sa.column('record_id', sa.String()), sa.column('after', sa.JSON()))
    connection = op.get_bind()
    published: dict[int, object] = {}
    for at, record_id, after in connection.execute(
            sa.select(audit.c.at, audit.c.record_id, audit.c.after)
            .where(audit.c.record_type == 'dividend_plans', audit.c.action == 'update')
            .order_by(audit.c.at)):
        if (after or {}).get('status') == 'published' and record_id.isdigit():
            published.setdefault(int(record_id), at)
    for plan_id, at in published.items():
        connection.execute(plans.update().where(plans.c.id == plan_id).values(published_at=at))


def downgrade():
    with op.batch_alter_table('dividend_plans', schema=None) as batch_op:
        batch_op.drop_column('published_at')
