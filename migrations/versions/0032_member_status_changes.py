"""a member's status history (member_status_changes): every change of a
member's status is a row (from, to, date, reason, who recorded it and
when), and a change entered in error is reversed on its row (when, by whom,
why), never deleted.

The history of the members who are not active is filled in from what is
known: a withdrawn, deceased or lost member gets one change from 在册 to
their status on their status date; where a confirmed membership event of a
loss exists it is named as the source (成员身份变动, the member assembly's
decision, which is not reversed as an error), else the row says it was
filled in from the old record (据原有记录补录). A person withdrawn or not
confirmed (未确认为成员) gets one change from 待确认 with no date. Who
recorded the old changes is not known (left empty); the time recorded is
taken as the start of the status date (or the member's creation), the
earliest it can have been, so that no later fact is missed when a reversal
asks what rests on the change. Active and pending members get no row: an
active member's earlier changes (a re-joining) are not recorded anywhere.

Revision ID: 0032
Revises: 0031
"""
from datetime import datetime, time

from alembic import op
import sqlalchemy as sa

revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None

ENDED = ("withdrawn", "deceased", "lost")
LOSS_LABELS = {
    "death": "死亡", "nationality": "丧失中华人民共和国国籍",
    "other_collective": "取得其他农村集体经济组织成员身份",
    "marriage_out": "婚姻迁出（已取得其他集体成员身份）", "civil_servant": "成为公务员",
    "charter_reason": "章程规定的其他情形", "withdrawal": "书面申请自愿退出"}


def upgrade():
    changes = op.create_table(
        "member_status_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("cooperative_id", sa.Integer(), sa.ForeignKey("cooperatives.id"), nullable=False),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("members.id"), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=False),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=True),
        sa.Column("previous_changed_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("reversed_at", sa.DateTime(), nullable=True),
        sa.Column("reversed_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("reversed_reason", sa.String(200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_member_status_changes_member", "member_status_changes", ["member_id", "id"])

    bind = op.get_bind()
    members = sa.table("members", sa.column("id"), sa.column("cooperative_id"), sa.column("status"),
                       sa.column("status_changed_on", sa.Date()), sa.column("created_at", sa.DateTime()))
    events = sa.table("membership_events", sa.column("member_id"), sa.column("reason"),
                      sa.column("status"), sa.column("id"))
    confirmed_loss = {}
    for member_id, reason in bind.execute(
            sa.select(events.c.member_id, events.c.reason)
            .where(events.c.status == "confirmed", events.c.reason.in_(list(LOSS_LABELS)))
            .order_by(events.c.id)):
        confirmed_loss[member_id] = reason
    rows = []
    for member_id, coop_id, status, changed_on, created_at in bind.execute(
            sa.select(members.c.id, members.c.cooperative_id, members.c.status,
                      members.c.status_changed_on, members.c.created_at)
            .where(members.c.status.in_(ENDED + ("not_confirmed",))).order_by(members.c.id)):
        recorded_at = (datetime.combine(changed_on, time(0)) if changed_on is not None
                       else created_at or datetime(2000, 1, 1))
        if status == "not_confirmed":
            rows.append(dict(cooperative_id=coop_id, member_id=member_id, from_status="pending",
                             to_status=status, on_date=None, reason="撤回或未获确认（据原有记录补录）",
                             source="event", recorded_at=recorded_at))
            continue
        reason = confirmed_loss.get(member_id)
        rows.append(dict(
            cooperative_id=coop_id, member_id=member_id, from_status="active", to_status=status,
            on_date=changed_on,
            reason=f"成员大会确认成员身份丧失（{LOSS_LABELS[reason]}）" if reason else "据原有记录补录",
            source="event" if reason else "backfill", recorded_at=recorded_at))
    for row in rows:
        row.update(previous_changed_on=None, recorded_by_id=None, reversed_at=None,
                   reversed_by_id=None, reversed_reason=None, version=1)
    if rows:
        op.bulk_insert(changes, rows)


def downgrade():
    op.drop_index("ix_member_status_changes_member", table_name="member_status_changes")
    op.drop_table("member_status_changes")
