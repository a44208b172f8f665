"""Imports run one way: comments -> articles -> accounts -> core; newsroom/ is the project only.

Every .py under the project package, core and the apps (migrations included) is parsed with
ast, so an import inside a function counts as much as one at the top of the file.
"""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "newsroom"
CORE = "core"
APPS = ["accounts", "articles", "comments"]
PACKAGES = [PROJECT, CORE, *APPS]
OURS = set(PACKAGES) | {"tests"}
# What each package must never import (besides the project package, which none may import).
FORBIDDEN = {
    CORE: {PROJECT, *APPS},
    "accounts": {PROJECT, "articles", "comments"},
    "articles": {PROJECT, "comments"},
    "comments": {PROJECT},
}
# Field options makemigrations writes as references to the app's live function (upload_to,
# default, validators): Django compares them by identity, so a copy in the migration would
# read as a model change. These are the only project imports a migration may keep; the rules
# a data migration applies (RunPython) are copied into the migration itself.
FIELD_REFERENCES = {
    ("accounts/migrations/0002_profile_website_avatar.py", "accounts.models"),
    ("accounts/migrations/0004_display_name_rule.py", "accounts.validators"),
    ("articles/migrations/0002_workflow.py", "articles.models"),
}


def python_files(package: str, root: Path = ROOT) -> list[Path]:
    return sorted((root / package).rglob("*.py"))


def imported_modules(path: Path, root: Path = ROOT) -> list[str]:
    """Absolute names of every module path imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = path.relative_to(root).with_suffix("").parts
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            names.append(module)
    return names


def top(module: str) -> str:
    return module.split(".")[0]


def violations(package: str, root: Path = ROOT) -> list[str]:
    found = []
    for path in python_files(package, root):
        rel = path.relative_to(root).as_posix()
        for module in imported_modules(path, root):
            if top(module) in FORBIDDEN.get(package, set()) - {package}:
                found.append(f"{rel} imports {module}")
    return found


def migration_violations(package: str) -> list[str]:
    found = []
    for path in sorted((ROOT / package / "migrations").glob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for module in imported_modules(path):
            name = top(module)
            if name == "django" or name in sys.stdlib_module_names:
                continue
            if (rel, module) in FIELD_REFERENCES:
                continue
            found.append(f"{rel} imports {module}")
    return found


def test_the_scan_sees_every_package():
    for package in PACKAGES:
        assert python_files(package), f"no Python files found under {package}/"
    # The scan itself works: a file known to import something is seen importing it.
    assert "core" in imported_modules(ROOT / PROJECT / "urls.py")


@pytest.mark.parametrize("package", [CORE, *APPS])
def test_imports_run_one_way(package):
    assert violations(package) == []


def test_nothing_imports_the_project_package():
    found = [v for package in [CORE, *APPS] for v in violations(package) if " newsroom" in v]
    assert found == []


@pytest.mark.parametrize("package", APPS)
def test_migrations_import_only_django_and_the_standard_library(package):
    assert migration_violations(package) == []


def test_relative_and_nested_imports_are_seen(tmp_path):
    package = tmp_path / "comments"
    package.mkdir()
    (package / "views.py").write_text(
        "from ..newsroom import text\nfrom . import models\n\n\n"
        "def later():\n    import core.pagecache\n    from articles.models import Article\n",
        encoding="utf-8",
    )
    assert imported_modules(package / "views.py", tmp_path) == [
        "newsroom",
        "comments",
        "core.pagecache",
        "articles.models",
    ]
    assert violations("comments", tmp_path) == ["comments/views.py imports newsroom"]
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "x.py").write_text("def f():\n    import accounts\n", "utf-8")
    assert violations("core", tmp_path) == ["core/x.py imports accounts"]


def test_data_migrations_keep_the_rule_they_were_written_with():
    """The text rules changed after comments 0004 and accounts 0004 (a body or name that
    shows nothing is now stored empty); the migrations still apply the rule of their day."""
    import importlib

    from core import text

    comments_0004 = importlib.import_module("comments.migrations.0004_clean_stored_text")
    accounts_0004 = importlib.import_module("accounts.migrations.0004_display_name_rule")
    blank_body, blank_name = "\u200b", "\u2800"  # zero-width space; braille blank
    assert text.stored_body(blank_body) == "" and text.stored_name(blank_name) == ""
    assert comments_0004.stored_body(blank_body) == blank_body
    assert comments_0004.stored_name(blank_name) == blank_name
    assert accounts_0004.stored_name(blank_name) == blank_name
    # What both rules drop, the migrations drop too.
    assert comments_0004.stored_body(" a\x00b\x07 ") == "ab"
    assert accounts_0004.stored_name("Ann\u202e  Lee\n") == "Ann Lee"


def test_core_is_an_installed_app_whose_models_are_shared_by_every_app():
    """core's tables are the outbox of edge purges (docs/decisions.md, issue 18), shared by
    every app's invalidations, and the imported rows deleted here, shared by every app's
    imported models (issue 17's importers): owned by no app."""
    from django.apps import apps

    config = apps.get_app_config("core")
    names = [model.__name__ for model in config.get_models()]
    assert names == ["PendingPurge", "ImportDeletion"]


# One home per rule. The needle is built, so this file does not find itself.
ZFILL = "zfill" + "("
PATH_RULE_HOME = "comments/models.py"  # comments.models.thread_path
SKIPPED_DIRS = {".venv", "node_modules", "migrations", ".git", "__pycache__"}


def zfill_sites(root: Path = ROOT) -> list[str]:
    """Every project .py (data migrations aside: they keep their own copy) that pads ids."""
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if SKIPPED_DIRS & set(rel.parts[:-1]):
            continue
        if ZFILL in path.read_text(encoding="utf-8"):
            found.append(rel.as_posix())
    return found


def test_the_thread_path_rule_has_one_home():
    """comments.models.thread_path pads ids (PATH_WIDTH); everything else calls it."""
    assert zfill_sites() == [PATH_RULE_HOME]


def test_the_zfill_scan_sees_copies_and_skips_migrations(tmp_path):
    for rel in ["comments/models.py", "tools/x.py", "comments/migrations/0009_x.py"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f"own = str(pk).{ZFILL}10)\n", encoding="utf-8")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "lib.py").write_text(f"s.{ZFILL}3)\n", encoding="utf-8")
    assert zfill_sites(tmp_path) == ["comments/models.py", "tools/x.py"]


# Cache scope names for comments are built in comments/caching.py only.
SCOPE_CALLS = ("pagecache.tag(", "pagecache.invalidate(", "pagecache.fragment(")


def scope_builders(root: Path = ROOT) -> list[str]:
    found = []
    for path in python_files("comments", root):
        rel = path.relative_to(root).as_posix()
        if rel == "comments/caching.py" or "/migrations/" in rel:
            continue
        source = path.read_text(encoding="utf-8")
        found += [f"{rel}: {call}" for call in SCOPE_CALLS if call in source]
        if '"article:' in source:
            found.append(f"{rel}: article scope")
    return found


def test_comment_cache_scopes_are_named_in_comments_caching_only():
    assert scope_builders() == []
