"""dividend payments recorded as batches (one line, all at once, or a bank
batch-payment list) with their items, so a payment can be reversed with a
reason and its history kept; each paid line points at the batch whose
payment stands. Lines paid before are gathered into one batch per plan,
payment day and method.

Revision ID: 0031
Revises: 0030
"""
from alembic import op
import sqlalchemy as sa

revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "dividend_payment_batches",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("cooperative_id", sa.Integer(), sa.ForeignKey("cooperatives.id"), nullable=False),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("dividend_plans.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("cash_fen", sa.BigInteger(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("method", sa.String(20), nullable=True),
        sa.Column("paid_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("paid_at", sa.DateTime(), nullable=True),
        sa.Column("reversed_at", sa.DateTime(), nullable=True),
        sa.Column("reversed_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("reversal_reason", sa.String(200), nullable=True),
        sa.UniqueConstraint("plan_id", "number"),
    )
    op.create_table(
        "dividend_payment_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("batch_id", sa.Integer(),
                  sa.ForeignKey("dividend_payment_batches.id", ondelete="CASCADE"), nullable=False),
        sa.Column("line_id", sa.Integer(), sa.ForeignKey("dividend_lines.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("cash_fen", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reversed_at", sa.DateTime(), nullable=True),
        sa.Column("reversed_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("reversal_reason", sa.String(200), nullable=True),
        sa.UniqueConstraint("batch_id", "line_id"),
    )
    op.create_index("ix_dividend_payment_items_line", "dividend_payment_items", ["line_id"])
    with op.batch_alter_table("dividend_lines") as batch:
        batch.add_column(sa.Column("payment_batch_id", sa.Integer(), nullable=True))
        batch.create_index("ix_dividend_lines_payment_batch_id", ["payment_batch_id"])
        batch.create_foreign_key("fk_dividend_lines_payment_batch_id", "dividend_payment_batches",
                                 ["payment_batch_id"], ["id"])
    _gather_earlier_payments()


def _gather_earlier_payments():
    """One batch per plan, payment day and method of the lines paid so far."""
    bind = op.get_bind()
    groups = bind.execute(sa.text(
        "SELECT l.plan_id, p.cooperative_id, l.paid_on, l.payment_method, COUNT(*), "
        "SUM(l.total_fen - l.converted_fen) FROM dividend_lines l "
        "JOIN dividend_plans p ON p.id = l.plan_id WHERE l.paid_on IS NOT NULL "
        "GROUP BY l.plan_id, p.cooperative_id, l.paid_on, l.payment_method "
        "ORDER BY l.plan_id, l.paid_on")).all()
    numbers: dict[int, int] = {}
    for plan_id, coop_id, paid_on, method, count, cash in groups:
        numbers[plan_id] = numbers.get(plan_id, 0) + 1
        batch_id = bind.execute(sa.text(
            "INSERT INTO dividend_payment_batches (cooperative_id, plan_id, number, kind, line_count,"
            " cash_fen, created_at, paid_on, method) VALUES (:coop, :plan, :number, :kind, :count,"
            " :cash, CURRENT_TIMESTAMP, :paid_on, :method) RETURNING id"),
            {"coop": coop_id, "plan": plan_id, "number": numbers[plan_id],
             "kind": "single" if count == 1 else "all", "count": count, "cash": int(cash or 0),
             "paid_on": paid_on, "method": method}).scalar_one()
        same = ("plan_id = :plan AND paid_on = :paid_on AND "
                + ("payment_method = :method" if method is not None else "payment_method IS NULL"))
        values = {"plan": plan_id, "paid_on": paid_on, "method": method, "batch": batch_id}
        bind.execute(sa.text(f"UPDATE dividend_lines SET payment_batch_id = :batch WHERE {same}"),
                     values)
        bind.execute(sa.text(
            "INSERT INTO dividend_payment_items (batch_id, line_id, cash_fen, state) "
            f"SELECT :batch, id, total_fen - converted_fen, 'paid' FROM dividend_lines WHERE {same}"),
            values)


def downgrade():
    with op.batch_alter_table("dividend_lines") as batch:
        batch.drop_constraint("fk_dividend_lines_payment_batch_id", type_="foreignkey")
        batch.drop_index("ix_dividend_lines_payment_batch_id")
        batch.drop_column("payment_batch_id")
    op.drop_index("ix_dividend_payment_items_line", "dividend_payment_items")
    op.drop_table("dividend_payment_items")
    op.drop_table("dividend_payment_batches")
