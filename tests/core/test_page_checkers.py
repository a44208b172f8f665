"""The journeys' page checker (tests/quality.py) blames the right page and excuses only
the admin markup it names."""

from tests.quality import (
    ADMIN_SIDEBAR_TABLE,
    nu_allowed_on_admin_page,
    nu_messages_by_page,
    require_checkers,
)

VALID = '<!DOCTYPE html><html lang="en"><title>Fine</title><p>Hi</p></html>'
INVALID = '<!DOCTYPE html><html lang="en"><title>Bad</title><p><div>x</p></html>'


def test_one_java_start_checks_every_page_and_names_the_one_at_fault():
    require_checkers()
    found = nu_messages_by_page({"first": VALID, "second": INVALID, "third": VALID})
    assert found["first"] == [] and found["third"] == []
    assert any("“p”" in message["message"] for message in found["second"])


def test_the_sidebar_table_warning_is_excused_inside_the_admin_sidebar_only():
    html = "\n".join(
        [
            "<!DOCTYPE html>",
            '<nav class="sticky" id="nav-sidebar" aria-label="Sidebar">',
            "<table><tr><th>a</th><th>b</th><th>c</th></tr><tr><th>a</th><td></td></tr></table>",
            "</nav>",
            "<table><tr><th>a</th><th>b</th><th>c</th></tr><tr><th>a</th><td></td></tr></table>",
        ]
    )
    in_sidebar = {"message": ADMIN_SIDEBAR_TABLE, "lastLine": 3, "extract": "<td></td>"}
    in_content = {"message": ADMIN_SIDEBAR_TABLE, "lastLine": 5, "extract": "<td></td>"}
    assert nu_allowed_on_admin_page(in_sidebar, html)
    assert not nu_allowed_on_admin_page(in_content, html)


def test_third_party_messages_are_excused_only_on_the_widgets_they_name():
    ul_in_span = (
        "Element “ul” not allowed as child of element “span” in this context. "
        "(Suppressing further errors from this subtree.)"
    )
    select2 = {"message": ul_in_span, "extract": '<ul class="select2-selection__rendered">'}
    ours = {"message": ul_in_span, "extract": '<ul class="byline-list">'}
    assert nu_allowed_on_admin_page(select2, "")
    assert not nu_allowed_on_admin_page(ours, "")
