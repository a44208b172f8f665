"""Page quality checks used by browser tests: the Nu HTML checker and axe-core."""

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def missing_tools() -> str:
    """Name what is missing to run the checks, or return an empty string."""
    if not shutil.which("java"):
        return "java (Debian: apt-get install default-jre-headless)"
    if not VNU_JAR.exists() or not AXE_JS.exists():
        return "node_modules (run: npm ci)"
    return ""


def require_checkers() -> None:
    """Skip the calling test without the checkers; in CI, fail instead."""
    missing = missing_tools()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"page checkers missing in CI: {missing}")
        pytest.skip(reason=f"page checkers missing: {missing}")


def nu_messages(html: str) -> list[dict]:
    """Every error, warning and info message the Nu HTML checker reports for html."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", "-"],
        input=html.encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    return json.loads(result.stdout)["messages"]


def axe_results(page, allow: tuple[tuple[str, str], ...] = ()) -> dict:
    """Run axe-core (WCAG 2.x A/AA and best practices) in the Playwright page. allow holds
    (rule id, CSS selector) pairs: that rule failing on an element the selector matches is
    left out, for markup that is not ours to fix (each caller says whose it is)."""
    # Evaluated through the DevTools protocol, not as an inline <script>: the site's strict
    # CSP (no inline scripts without its nonce) rightly refuses add_script_tag.
    page.evaluate(AXE_JS.read_text() + "\n;undefined")
    return page.evaluate(
        """async (allow) => {
            const r = await axe.run(document, {
                resultTypes: ['violations', 'incomplete'], elementRef: true});
            const allowed = (id, n) => allow.some(
                ([rule, selector]) => rule === id && n.element && n.element.matches(selector));
            const brief = (items) => items
                .map(v => ({...v, nodes: v.nodes.filter(n => !allowed(v.id, n))}))
                .filter(v => v.nodes.length)
                .map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
            return {violations: brief(r.violations), incomplete: brief(r.incomplete)};
        }""",
        [list(pair) for pair in allow],
    )


SERIOUS = {"serious", "critical"}


def nu_messages_by_page(pages: dict[str, str]) -> dict[str, list[dict]]:
    """Nu messages for several pages ({name: html}) from one java start, keyed by name."""
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder, f"page-{number:02}.html") for number in range(len(pages))]
        for path, html in zip(paths, pages.values(), strict=True):
            path.write_text(html, encoding="utf-8")
        result = subprocess.run(
            ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--verbose", *paths],
            capture_output=True,
            timeout=300,
            check=False,
        )
    # vnu passes over a file it cannot read in silence; --verbose names each one it checked.
    checked = result.stderr.decode().split()
    assert checked == [str(path) for path in paths], result.stderr.decode()
    files = {f"file:{path}": name for path, name in zip(paths, pages, strict=True)}
    found: dict[str, list[dict]] = {name: [] for name in pages}
    for message in json.loads(result.stdout)["messages"]:
        # A message without a known file (say, java failing) is charged to every page.
        names = [files[message["url"]]] if message.get("url") in files else list(pages)
        for name in names:
            found[name].append(message)
    return found


# Nu messages about markup that is not ours, allowed on admin pages only: (the message,
# a pattern its extract must match). The checked HTML is the DOM after the page's
# scripts ran, so it includes what Django's admin scripts and the body editor draw.
THIRD_PARTY_ADMIN_NU = (
    # autocomplete_fields: the select2 4.0 that Django's admin ships draws a <ul> of
    # choices inside a <span>, and gives its search box a needless role="searchbox".
    (
        "Element “ul” not allowed as child of element “span” in this context. "
        "(Suppressing further errors from this subtree.)",
        r'class="select2-selection__rendered"',
    ),
    (
        "The “searchbox” role is unnecessary for an “input” element that has no “list” "
        "attribute and whose type is “search”.",
        r'class="select2-search__field"',
    ),
    # Django's admin/js/inlines.js sets autocomplete="off" on an inline formset's hidden
    # management inputs (so Firefox does not restore a stale form count on going back).
    (
        "An “input” element with a “type” attribute whose value is “hidden” must not have "
        "an “autocomplete” attribute whose value is “on” or “off”.",
        r'<input type="hidden" name="[\w-]+-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS"',
    ),
    # Django's admin/js/admin/DateTimeShortcuts.js draws the calendar and clock pickers of
    # date and time fields as <dialog role="dialog">.
    (
        "The “dialog” role is unnecessary for element “dialog”.",
        r'<dialog class="(calendarbox|clockbox) module" id="(calendarbox|clockbox)\d+"',
    ),
    # django-prose-editor (the article body) draws its menu's dropdown as a <span>
    # holding <div>s.
    (
        "Element “div” not allowed as child of element “span” in this context. "
        "(Suppressing further errors from this subtree.)",
        r'class="prose-menubar__',
    ),
)
# Django's admin/nav_sidebar.html (Django 6.1, and still so on its main branch) includes
# admin/app_list.html with show_changelinks=False, which leaves out each model row's third
# cell while the visually hidden header still names three columns ("Change or view list
# link"). Fixing it means forking that template: this one warning is allowed on admin
# pages, and only inside the sidebar's <nav id="nav-sidebar">.
ADMIN_SIDEBAR_TABLE = (
    "A table row was 2 columns wide, which is less than the column count established by "
    "the first row (3)."
)


def nu_allowed_on_admin_page(message: dict, html: str) -> bool:
    """Whether a Nu message on an admin page is about markup that is not ours."""
    if message["message"] == ADMIN_SIDEBAR_TABLE:
        return message.get("lastLine") in django_admin_sidebar_lines(html)
    return any(
        message["message"] == text and re.search(pattern, message.get("extract", ""))
        for text, pattern in THIRD_PARTY_ADMIN_NU
    )


def django_admin_sidebar_lines(html: str) -> range:
    """The lines (numbered from 1, as Nu numbers them) of the admin's navigation sidebar."""
    lines = html.splitlines()
    start = next((n for n, line in enumerate(lines, 1) if 'id="nav-sidebar"' in line), 0)
    end = next((n for n, line in enumerate(lines, 1) if n > start and "</nav>" in line), 0)
    return range(start, end + 1) if start and end else range(0)


# axe-core failures in Django's own admin markup, allowed on admin pages only and only on
# the elements named; everything else on those pages is checked as on the public site.
DJANGO_ADMIN_AXE = (
    # Django ticket #36509 ("Missing label on input fields in tables", open): a tabular
    # inline's inputs sit in table cells under a column header, with no <label>.
    ("label", ".inline-related.tabular td :is(input, select, textarea)"),
    # autocomplete_fields: Django's select2 4.0 widget names its combobox after the chosen
    # value (none yet: Django forces an empty data-placeholder), and its search box after
    # nothing; the field's <label> names only the hidden <select> underneath.
    ("aria-input-field-name", ".select2-container--admin-autocomplete [role]"),
    ("label", ".select2-container--admin-autocomplete .select2-search__field"),
)


# The page as its user meets it: the rich-text editors built (their modules load after the
# load event) and the web fonts in (until the icon font is in, the editor's icon buttons
# show their ligature words, and axe reads those as visible text that their names lack).
SETTLED = """async () => {
    const built = () => [...document.querySelectorAll(
        'textarea[data-django-prose-editor-configurable]')].every(t => t.closest('.prose-editor'));
    for (let i = 0; i < 100 && !built(); i++) await new Promise(r => setTimeout(r, 50));
    await document.fonts.ready;
    return true;
}"""


class JourneyQuality:
    """Checks every page a browser journey visits, one line a page: axe-core at once, in
    the page as the reader has it; the Nu checker for all pages at the end, in one java
    start (about a second each otherwise). Pages are taken from page.content(), the DOM
    after the page's scripts ran, so a form moved by JavaScript is checked where it is."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, str]] = {}  # where: (URL path, HTML)

    def __call__(self, page, where: str) -> None:
        assert where not in self.pages, f"two pages called {where!r}"
        page.wait_for_load_state()
        page.evaluate(SETTLED)
        path = urlsplit(page.url).path
        allow = DJANGO_ADMIN_AXE if path.startswith("/admin/") else ()
        violations = axe_results(page, allow)["violations"]
        serious = [v for v in violations if v["impact"] in SERIOUS]
        assert serious == [], f"axe-core, serious or critical, on {where}: {serious}"
        self.pages[where] = (path, page.content())

    def assert_valid_html(self) -> None:
        """Nu reports nothing, no error, warning or info (as in test_page_quality.py)."""
        pages, self.pages = self.pages, {}
        if not pages:
            return
        found = nu_messages_by_page({where: html for where, (_, html) in pages.items()})
        report = []
        for where, messages in found.items():
            path, html = pages[where]
            for m in messages:
                if path.startswith("/admin/") and nu_allowed_on_admin_page(m, html):
                    continue
                extract = " ".join(m.get("extract", "").split())
                report.append(f"{where}: {m.get('subType', m['type'])}: {m['message']} [{extract}]")
        # tests/quality.py is no test module: pytest does not rewrite its asserts, so the
        # message itself names each page and what Nu found there.
        assert report == [], "Nu HTML checker, by page:\n" + "\n".join(report)
