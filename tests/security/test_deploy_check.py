"""`manage.py check --deploy` is clean under production settings."""

from tests.security.server import manage, production_env


def test_deploy_check_reports_nothing_under_production_settings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_deploy_check_is_clean_with_hsts_preload_and_nothing_silenced(tmp_path):
    env = production_env(tmp_path, DJANGO_HSTS_PRELOAD="1")
    result = manage(env, "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_deploy_check_catches_a_development_mailer(tmp_path):
    """The check is live: production without an SMTP mailer fails it."""
    result = manage(production_env(tmp_path, EMAIL_URL="console://"), "check", "--deploy")
    assert result.returncode != 0
    assert "mail.E001" in result.stderr
