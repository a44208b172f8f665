"""``{% jinja "name" key=value %}``: a Jinja2 template (templates/jinja2/) rendered inside a
page of the template engine, with that page's context and the extra values.

The article page is written in Jinja2 (docs/decisions.md, "The article page in Jinja2");
the parts it shares with the other pages (the header, messages and footer every page shows,
the comment form the form page shows again) are written once, there, and the template
engine's pages take them through this tag rather than keeping a second copy.
"""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja(context, name: str, **extra):
    part = engines["jinja2"].get_template(name)
    # Jinja2 escaped every value on output (autoescape on): the result is markup.
    return mark_safe(part.render(context.flatten() | extra, context.get("request")))  # noqa: S308
