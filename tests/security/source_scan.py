"""Find HTML marked safe outside the sanitiser, and unquoted or inline-script markup.

Used by test_source_scan.py on the project tree (not .venv, not the tests' own payloads).
"""

import ast
import os
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", ".git", "node_modules", "staticfiles", "media", "__pycache__", "tests"}
# The benchmark's peers (django-comments-xtd's own little site, WordPress's copy): other
# projects the benchmark measures beside Newsroom, never installed or served by it.
SKIP_PATHS = {ROOT / "bench" / "peers"}
SANITISER = "clean_html"
# Calls whose result Django renders unescaped.
MARKS_SAFE = {"mark_safe", "SafeString", "SafeText", "html_safe", "Markup"}  # Markup: Jinja2's
# Calls and the position of their format string, rendered unescaped (the rest are escaped).
FORMATS = {"format_html": 0, "format_html_join": 1}
TEMPLATE_SUFFIXES = {".html", ".txt", ".xml", ".svg"}

DJANGO_SYNTAX = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
# The template engine's and Jinja2's (templates/jinja2/) ways to print a value unescaped.
UNSAFE_TEMPLATE = re.compile(r"\|\s*safe(seq)?\b|\{%-?\s*autoescape\s+(off|false)\s*-?%\}")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
RAW_TEXT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
START_TAG = re.compile(r"<([a-zA-Z][\w-]*)([^<>]*)>")
QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
UNQUOTED_VALUE = re.compile(r"([\w:.-]+)\s*=\s*([^\s\x00]+)")
INLINE_HANDLER = re.compile(r"(?:^|\s)(on[a-z]+)\s*=", re.I)


def project_files(suffixes: set[str], root: Path = ROOT) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d for d in dirs if d not in SKIP_DIRS and Path(folder) / d not in SKIP_PATHS
        )
        for file in sorted(files):
            if Path(file).suffix in suffixes:
                yield Path(folder) / file


def template_files(root: Path = ROOT) -> Iterator[Path]:
    for path in project_files(TEMPLATE_SUFFIXES, root):
        if "templates" in path.relative_to(root).parts:
            yield path


def _called_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _aliases(tree: ast.AST) -> dict[str, str]:
    """Local name -> Django name for `from django... import mark_safe as ms`."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                found[alias.asname or alias.name] = alias.name
    return found


def _wraps_sanitiser(node: ast.Call) -> bool:
    return (
        len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Call)
        and _called_name(node.args[0]) == SANITISER
    )


def _is_literal_format(node: ast.AST, aliases: dict) -> bool:
    """A string literal, or format_html() of a literal (escaped arguments): both safe."""
    if isinstance(node, ast.Constant):
        return True
    return (
        isinstance(node, ast.Call)
        and aliases.get(_called_name(node), _called_name(node)) == "format_html"
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
    )


def _format_problems(node: ast.Call, name: str, aliases: dict) -> list[tuple[int, str]]:
    index = FORMATS[name]
    problems = []
    if len(node.args) <= index or not isinstance(node.args[index], ast.Constant):
        problems.append((node.lineno, f"{name}() with a format string that is not a literal"))
    # format_html_join's separator is joined as given when it is already safe.
    if name == "format_html_join" and node.args and not _is_literal_format(node.args[0], aliases):
        problems.append((node.lineno, f"{name}() with a separator that is not a literal"))
    return problems


def unsafe_python(source: str) -> list[tuple[int, str]]:
    """(line, reason) for each call that marks unsanitised HTML safe."""
    tree = ast.parse(source)
    aliases = _aliases(tree)
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = aliases.get(_called_name(node), _called_name(node))
        if name in MARKS_SAFE and not _wraps_sanitiser(node):
            problems.append((node.lineno, f"{name}() of something other than {SANITISER}()"))
        if name in FORMATS:
            problems.extend(_format_problems(node, name, aliases))
    return problems


def unsafe_template(text: str, *, plain_text: bool = False) -> list[str]:
    """Each |safe, |safeseq or {% autoescape off %} (allowed in plain-text templates)."""
    found = [match.group(0) for match in UNSAFE_TEMPLATE.finditer(text)]
    if plain_text:
        found = [item for item in found if "autoescape" not in item]
    return found


def start_tags(text: str) -> Iterator[tuple[str, str]]:
    """(tag, attributes) per start tag; template syntax and quoted values made opaque."""
    text = HTML_COMMENT.sub("", DJANGO_SYNTAX.sub("\x01", text))
    for match in START_TAG.finditer(text):
        yield match.group(1), QUOTED.sub("\x00", match.group(2))


def unquoted_attributes(text: str) -> list[str]:
    return [
        f"<{tag} {name}={value}>"
        for tag, attributes in start_tags(text)
        for name, value in UNQUOTED_VALUE.findall(attributes)
    ]


def inline_code(text: str) -> list[str]:
    """Inline <script>/<style> bodies and on*= handlers: the CSP refuses them."""
    found = [
        match.group(0)[:60]
        for match in RAW_TEXT.finditer(DJANGO_SYNTAX.sub("", text))
        if re.sub(r"<[^>]*>", "", match.group(0)).strip()
    ]
    for tag, attributes in start_tags(text):
        found += [f"<{tag} {name}=…>" for name in INLINE_HANDLER.findall(attributes)]
        if re.search(r"(?:^|\s)style\s*=", attributes):
            found.append(f"<{tag} style=…>")
    return found
