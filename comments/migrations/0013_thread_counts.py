"""The thread's counts kept by the database (comments.models.ThreadCount): the table, the
triggers that count an article's row again on every change to its comments, and the rows
of the comments already written.

PostgreSQL: statement-level triggers (one recount per article a statement touched, however
many rows: a bulk approval or an import is not recounted row by row). Each locks the
articles' rows first, then counts in a statement of its own, which sees every transaction
that committed before the lock was granted: two approvals at once both end up counted.
SQLite: row-level triggers (writes there are one at a time)."""

from django.db import migrations, models

# What comments.threads.ThreadPage needs: approved comments, top-level rows shown
# (comments.threads.ROOT_STATUSES), approved picks, the newest approved id.
COUNTED = """
    COUNT(CASE WHEN c.status = 'approved' THEN 1 END),
    COUNT(CASE WHEN c.parent_id IS NULL AND c.status IN ('approved', 'removed') THEN 1 END),
    COUNT(CASE WHEN c.status = 'approved' AND c.featured_at IS NOT NULL THEN 1 END),
    MAX(CASE WHEN c.status = 'approved' THEN c.id END)
"""
COLUMNS = "article_id, approved, roots, featured, latest"
# Only approved and removed comments are counted: a pending comment posted, or a pending one
# marked spam, leaves the counts as they were and costs no recount.
COUNTS = "('approved', 'removed')"
# A change that moves a count: status, parent, pick or article, of a counted comment.
CHANGED = (
    "(n.status, n.parent_id, n.featured_at, n.article_id) IS DISTINCT FROM "
    "(o.status, o.parent_id, o.featured_at, o.article_id) "
    f"AND (n.status IN {COUNTS} OR o.status IN {COUNTS})"
)

POSTGRESQL = [
    f"""
CREATE FUNCTION comments_recount_threads() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT article_id ORDER BY article_id) INTO ids
            FROM new_rows WHERE status IN {COUNTS};
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT article_id ORDER BY article_id) INTO ids
            FROM old_rows WHERE status IN {COUNTS};
    ELSE
        SELECT array_agg(DISTINCT moved.article_id ORDER BY moved.article_id) INTO ids FROM (
            SELECT n.article_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {CHANGED}
            UNION
            SELECT o.article_id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {CHANGED}
        ) AS moved;
    END IF;
    IF ids IS NULL THEN
        RETURN NULL;  -- nothing counted changed (a pending post, a like, an edit)
    END IF;
    INSERT INTO comments_threadcount ({COLUMNS})
        SELECT id, 0, 0, 0, NULL FROM unnest(ids) AS id ORDER BY id
        ON CONFLICT (article_id) DO NOTHING;
    PERFORM 1 FROM comments_threadcount
        WHERE article_id = ANY (ids) ORDER BY article_id FOR UPDATE;
    UPDATE comments_threadcount AS kept
        SET approved = fresh.approved, roots = fresh.roots, featured = fresh.featured,
            latest = fresh.latest
        FROM (
            SELECT a.id, {COUNTED}
            FROM unnest(ids) AS a(id)
            LEFT JOIN comments_comment c ON c.article_id = a.id AND c.status IN {COUNTS}
            GROUP BY a.id
        ) AS fresh (article_id, approved, roots, featured, latest)
        WHERE kept.article_id = fresh.article_id;
    RETURN NULL;
END
$$;
""",
    "CREATE TRIGGER comments_recount_on_insert AFTER INSERT ON comments_comment "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION comments_recount_threads();",
    "CREATE TRIGGER comments_recount_on_update AFTER UPDATE ON comments_comment "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION comments_recount_threads();",
    "CREATE TRIGGER comments_recount_on_delete AFTER DELETE ON comments_comment "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION comments_recount_threads();",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER comments_recount_on_insert ON comments_comment;",
    "DROP TRIGGER comments_recount_on_update ON comments_comment;",
    "DROP TRIGGER comments_recount_on_delete ON comments_comment;",
    "DROP FUNCTION comments_recount_threads();",
]


def _sqlite_recount(row: str) -> str:
    # An aggregate without GROUP BY gives one row even when no comment is left: zeros.
    return (
        f"INSERT OR REPLACE INTO comments_threadcount ({COLUMNS}) "
        f"SELECT {row}.article_id, {COUNTED} FROM comments_comment c "
        f"WHERE c.article_id = {row}.article_id AND c.status IN {COUNTS};"
    )


SQLITE = [
    "CREATE TRIGGER comments_recount_on_insert AFTER INSERT ON comments_comment "
    f"WHEN NEW.status IN {COUNTS} BEGIN {_sqlite_recount('NEW')} END;",
    "CREATE TRIGGER comments_recount_on_delete AFTER DELETE ON comments_comment "
    f"WHEN OLD.status IN {COUNTS} BEGIN {_sqlite_recount('OLD')} END;",
    "CREATE TRIGGER comments_recount_on_update "
    "AFTER UPDATE OF status, parent_id, featured_at, article_id ON comments_comment "
    f"WHEN NEW.status IN {COUNTS} OR OLD.status IN {COUNTS} "
    f"BEGIN {_sqlite_recount('NEW')} END;",
    "CREATE TRIGGER comments_recount_on_move AFTER UPDATE OF article_id ON comments_comment "
    f"WHEN OLD.article_id <> NEW.article_id AND OLD.status IN {COUNTS} "
    f"BEGIN {_sqlite_recount('OLD')} END;",
]
SQLITE_DROP = [
    "DROP TRIGGER comments_recount_on_insert;",
    "DROP TRIGGER comments_recount_on_delete;",
    "DROP TRIGGER comments_recount_on_update;",
    "DROP TRIGGER comments_recount_on_move;",
]

BACKFILL = (
    f"INSERT INTO comments_threadcount ({COLUMNS}) "
    f"SELECT c.article_id, {COUNTED} FROM comments_comment c "
    f"WHERE c.status IN {COUNTS} GROUP BY c.article_id;"
)


def statements(vendor: str, *, forward: bool) -> list[str]:
    if vendor == "postgresql":
        return [*POSTGRESQL, BACKFILL] if forward else POSTGRESQL_DROP
    if vendor == "sqlite":
        return [*SQLITE, BACKFILL] if forward else SQLITE_DROP
    raise NotImplementedError(f"thread counts are kept on PostgreSQL and SQLite, not {vendor}")


def install(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, forward=True):
        schema_editor.execute(sql, params=None)


def uninstall(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, forward=False):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0012_import_digest"),
    ]

    operations = [
        migrations.CreateModel(
            name="ThreadCount",
            fields=[
                ("article_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("approved", models.PositiveIntegerField(default=0)),
                ("roots", models.PositiveIntegerField(default=0)),
                ("featured", models.PositiveIntegerField(default=0)),
                ("latest", models.BigIntegerField(null=True)),
            ],
        ),
        migrations.RunPython(install, uninstall),
    ]
