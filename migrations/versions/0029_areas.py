"""areas (county > township > village) for the township and county view
(issue 20): a cooperative belongs to a village area, an overseer's account
to an area of any level. Filled from the cooperatives' town and village
names: one township per distinct town, one village per distinct village
of a town (no county is known from existing data; one is attached by the
CLI). Users: cooperative_id becomes optional, area_id is added, and exactly
one of the two is set.

Revision ID: 0029
Revises: 0028
"""
from alembic import op
import sqlalchemy as sa

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    areas = op.create_table(
        "areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_areas")),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["parent_id"], ["areas.id"], name=op.f("fk_areas_parent_id_areas")),
        sa.UniqueConstraint("parent_id", "name", name=op.f("uq_areas_parent_id_name")),
        sa.UniqueConstraint("code", name=op.f("uq_areas_code")),
        sa.CheckConstraint("level IN ('county', 'township', 'village')", name=op.f("ck_areas_area_level_known")),
    )
    op.create_index("ix_areas_parent_id", "areas", ["parent_id"])
    with op.batch_alter_table("cooperatives") as batch:
        batch.add_column(sa.Column("area_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_cooperatives_area_id_areas", "areas", ["area_id"], ["id"])
        batch.create_index("ix_cooperatives_area_id", ["area_id"])
    with op.batch_alter_table("users") as batch:
        batch.alter_column("cooperative_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("area_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_users_area_id_areas", "areas", ["area_id"], ["id"])
        batch.create_index("ix_users_area_id", ["area_id"])
        batch.create_unique_constraint("uq_users_area_id_username", ["area_id", "username"])
        batch.create_check_constraint(op.f("ck_users_user_coop_or_area"), "(cooperative_id IS NULL) <> (area_id IS NULL)")

    bind = op.get_bind()
    coops = sa.table("cooperatives", sa.column("id", sa.Integer), sa.column("town", sa.String),
                     sa.column("village", sa.String), sa.column("area_id", sa.Integer))
    townships: dict[str, int] = {}
    villages: dict[tuple[str, str], int] = {}
    rows = bind.execute(sa.select(coops.c.id, coops.c.town, coops.c.village).order_by(coops.c.id)).all()
    for coop_id, town, village in rows:
        town, village = (town or "").strip(), (village or "").strip()
        if not village:
            continue
        parent_id = None
        if town:
            if town not in townships:
                townships[town] = bind.execute(sa.insert(areas).values(
                    code=f"T{len(townships) + 1:04d}", name=town, level="township",
                    parent_id=None).returning(areas.c.id)).scalar_one()
            parent_id = townships[town]
        key = (town, village)
        if key not in villages:
            villages[key] = bind.execute(sa.insert(areas).values(
                code=f"V{len(villages) + 1:04d}", name=village, level="village",
                parent_id=parent_id).returning(areas.c.id)).scalar_one()
        bind.execute(sa.update(coops).where(coops.c.id == coop_id).values(area_id=villages[key]))


def downgrade():
    op.execute("DELETE FROM users WHERE cooperative_id IS NULL")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("ck_users_user_coop_or_area", type_="check")
        batch.drop_constraint("uq_users_area_id_username", type_="unique")
        batch.drop_index("ix_users_area_id")
        batch.drop_constraint("fk_users_area_id_areas", type_="foreignkey")
        batch.drop_column("area_id")
        batch.alter_column("cooperative_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("cooperatives") as batch:
        batch.drop_index("ix_cooperatives_area_id")
        batch.drop_constraint("fk_cooperatives_area_id_areas", type_="foreignkey")
        batch.drop_column("area_id")
    op.drop_index("ix_areas_parent_id", "areas")
    op.drop_table("areas")
