"""Comparing two stored revisions of an article, field by field, as escaped text lines."""

import difflib

from django.utils.html import strip_tags

COMPARED_FIELDS = [
    ("title", "Headline"),
    ("standfirst", "Standfirst"),
    ("dateline", "Dateline"),
    ("body", "Body"),
    ("lead_image_alt", "Lead image alt text"),
    ("lead_image_caption", "Caption"),
    ("lead_image_credit", "Credit"),
]


def _lines(value: str, *, html: bool) -> list[str]:
    text = str(value or "")
    if html:
        text = strip_tags(text.replace("</p>", "</p>\n").replace("<br>", "\n"))
    return [line.strip() for line in text.splitlines() if line.strip()]


def compare_versions(old, new) -> list[dict]:
    """[{"label", "lines": [(kind, text)]}] for each field that differs; kind is +, - or space."""
    before, after = old.field_dict, new.field_dict
    changes = []
    for name, label in COMPARED_FIELDS:
        if before.get(name) == after.get(name):
            continue
        html = name == "body"
        diff = difflib.ndiff(
            _lines(before.get(name), html=html), _lines(after.get(name), html=html)
        )
        lines = [(line[0], line[2:]) for line in diff if line[0] in "+- "]
        changes.append({"label": label, "lines": lines})
    return changes
