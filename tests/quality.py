"""Page quality checks used by browser tests: the Nu HTML checker and axe-core."""

import json
import os
import shutil
import subprocess
from pathlib import Path

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


def axe_results(page) -> dict:
    """Run axe-core (WCAG 2.x A/AA and best practices) in the Playwright page."""
    # Evaluated through the DevTools protocol, not as an inline <script>: the site's strict
    # CSP (no inline scripts without its nonce) rightly refuses add_script_tag.
    page.evaluate(AXE_JS.read_text() + "\n;undefined")
    return page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations', 'incomplete']});
            const brief = (items) => items.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
            return {violations: brief(r.violations), incomplete: brief(r.incomplete)};
        }"""
    )
