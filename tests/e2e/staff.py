"""Staff reach the admin through the site's login: the admin has no login of its own."""

from allauth.account.models import EmailAddress


def verify_email(user) -> None:
    """The site's login asks for a verified address (staff made by a factory have none)."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def staff_log_in(page, base_url: str, username: str, password: str, check=None) -> None:
    """Open the admin, log in on the site's login page it sends to, land on the admin.

    check (page_quality), when given, checks the login page and the admin index."""
    page.goto(base_url + "/admin/")
    page.wait_for_url("**/accounts/login/**")
    if check:
        check(page, "login, sent from the admin")
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    page.press("#id_password", "Enter")
    page.wait_for_url(base_url + "/admin/")
    if check:
        check(page, f"admin index, {username}")


def demo_newsroom() -> None:
    """The demo newsroom as a fresh install has it, its moderator's password "moderate-e2e".
    Earlier transactional tests flush the database, and with it the group permissions the
    comments' data migration granted: that migration runs again first."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", "comments", "0001", verbosity=0)
    call_command("migrate", "comments", verbosity=0)
    call_command("load_demo", force=True, verbosity=0)
    moderator = get_user_model().objects.get(username="moderator")
    moderator.set_password("moderate-e2e")
    moderator.save()
