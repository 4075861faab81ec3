"""Rules the database itself enforces beyond Django's portable constraints, and the posts.

- No two memberships of one person overlap: an exclusion constraint on
  PostgreSQL (btree_gist), triggers on SQLite.
- Person search: a trigram index on the folded name (PostgreSQL), so
  "contains" stays fast at province scale.
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE governance_membership ADD CONSTRAINT membership_no_overlap
       EXCLUDE USING gist (person_id WITH =, daterange(start, "end", '[]') WITH &&)""",
    """CREATE INDEX governance_person_search_trgm ON governance_person
       USING gin (search_name gin_trgm_ops)""",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS governance_person_search_trgm",
    "ALTER TABLE governance_membership DROP CONSTRAINT IF EXISTS membership_no_overlap",
]

_OVERLAP = """EXISTS (SELECT 1 FROM governance_membership m
    WHERE m.person_id = NEW.person_id AND m.id IS NOT NEW.id
      AND m.start <= COALESCE(NEW."end", '9999-12-31')
      AND NEW.start <= COALESCE(m."end", '9999-12-31'))"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER membership_no_overlap_insert BEFORE INSERT ON governance_membership
        WHEN {_OVERLAP} BEGIN SELECT RAISE(ABORT, 'membership_no_overlap'); END""",
    f"""CREATE TRIGGER membership_no_overlap_update
        BEFORE UPDATE OF person_id, start, "end" ON governance_membership
        WHEN {_OVERLAP} BEGIN SELECT RAISE(ABORT, 'membership_no_overlap'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS membership_no_overlap_insert",
    "DROP TRIGGER IF EXISTS membership_no_overlap_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


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
    Position = apps.get_model("governance", "Position")
    for code, title, role, rank in POSITIONS:
        Position.objects.update_or_create(code=code, defaults={"title": title, "role": role, "rank": rank})


def remove_positions(apps, schema_editor):
    apps.get_model("governance", "Position").objects.filter(
        code__in=[p[0] for p in POSITIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
        migrations.RunPython(add_positions, remove_positions),
    ]
