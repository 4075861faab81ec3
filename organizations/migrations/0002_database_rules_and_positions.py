"""Rules the database itself enforces beyond Django's portable constraints, and the posts.

- No two memberships of one person overlap: an exclusion constraint on
  PostgreSQL (btree_gist), triggers on SQLite.
- Person search: a trigram index on the folded name (PostgreSQL), so
  "contains" stays fast at province scale.
"""

from django.db import migrations

from organizations.dbrules import no_overlap, vendor_sql

POSITIONS = [
    # code, title, role, rank
    ("secretary", "Bí thư", "head", 10),
    ("deputy-secretary", "Phó Bí thư", "deputy", 20),
    ("standing-member", "Ủy viên Ban Thường vụ", "member", 30),
    ("executive-member", "Ủy viên Ban Chấp hành", "member", 40),
    ("cell-secretary", "Bí thư chi bộ", "head", 50),
    ("cell-deputy-secretary", "Phó Bí thư chi bộ", "deputy", 60),
    ("cell-committee-member", "Chi ủy viên", "member", 70),
    ("agency-head", "Thủ trưởng cơ quan, đơn vị", "head", 80),
    ("agency-deputy", "Cấp phó cơ quan, đơn vị", "deputy", 90),
    ("collective-member", "Thành viên tập thể lãnh đạo", "member", 100),
    ("inspection-chair", "Chủ nhiệm Ủy ban Kiểm tra", "member", 110),
]


def add_positions(apps, schema_editor):
    Position = apps.get_model("organizations", "Position")
    for code, title, role, rank in POSITIONS:
        Position.objects.update_or_create(code=code, defaults={"title": title, "role": role, "rank": rank})


def remove_positions(apps, schema_editor):
    apps.get_model("organizations", "Position").objects.filter(code__in=[p[0] for p in POSITIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [
        no_overlap("organizations_membership", "person_id", "membership_no_overlap"),
        vendor_sql(
            postgresql=["CREATE EXTENSION IF NOT EXISTS pg_trgm",
                        """CREATE INDEX organizations_person_search_trgm ON organizations_person
                           USING gin (search_name gin_trgm_ops)"""],
            postgresql_back=["DROP INDEX IF EXISTS organizations_person_search_trgm"],
            sqlite=[], sqlite_back=[]),
        migrations.RunPython(add_positions, remove_positions),
    ]
