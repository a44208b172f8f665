"""The comment thread and comment bodies as HTML, built in Python.

A thread page of 2,000 comments rendered through the template engine cost about 0.15 ms a
comment (some 120 variable lookups each); these functions build the same markup with one
escape per value, about ten times faster. Everything a reader typed goes through
``escape``; nothing typed is ever HTML. ``tests/comments/test_xss.py`` and
``tests/comments/test_render.py`` hold the markup to that.
"""

import re
import zlib
from functools import lru_cache
from html import escape  # what django.utils.html.escape calls, without its lazy wrapper

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe

from accounts.avatars import best_size, rendition_name
from comments.rules import URL_RE

PARAGRAPHS = re.compile(r"\n\s*\n")
TRAILING = ".,;:!?)]}'\""
REMOVED = '<p class="comment-removed fst-italic text-body-secondary">This comment was removed.</p>'
EMPTY = '<li class="text-body-secondary">No comments yet.</li>'
AVATAR_SIZE = 32  # CSS pixels beside each comment (site.scss .comment-avatar)
AVATAR_COLOURS = 6  # .avatar-c0 … .avatar-c5 in site.scss
_PK = 987654321  # a placeholder id, replaced in the permalink pattern


def _link(url: str) -> str:
    href = url if url.lower().startswith(("http://", "https://")) else f"http://{url}"
    return f'<a href="{escape(href)}" rel="nofollow ugc noopener">{escape(url)}</a>'


def _linked(line: str) -> str:
    """One line of a comment, escaped, its URLs made links."""
    if not URL_RE.search(line):
        return escape(line)
    pieces = []
    for index, part in enumerate(URL_RE.split(line)):
        if index % 2 and part:
            url = part.rstrip(TRAILING)
            pieces += [_link(url), escape(part[len(url) :])]
        else:
            pieces.append(escape(part))
    return "".join(pieces)


def body_html(text: str) -> SafeString:
    """Plain text as paragraphs with line breaks and linked URLs."""
    paragraphs = (p.strip() for p in PARAGRAPHS.split(text.replace("\r\n", "\n")))
    html = "\n".join(
        "<p>" + "<br>\n".join(_linked(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
        if p
    )
    return mark_safe(html)  # noqa: S308 - literal markup around escape()d text


class _Clock:
    """Formats times in the current time zone, looked up once per thread."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.months = {number: str(name) for number, name in MONTHS.items()}

    def __call__(self, moment) -> tuple[str, str]:
        """(datetime attribute, "12 January 2022, 14:05")."""
        local = moment.astimezone(self.zone)
        return (
            local.strftime("%Y-%m-%dT%H:%M:%S%z"),
            f"{local.day} {self.months[local.month]} {local.year}, {local:%H:%M}",
        )


class _Speakers:
    """Who is speaking, looked up once per thread: the article's byline ids (an "Author"
    badge), the avatar size stored nearest to the one shown."""

    def __init__(self, author_ids=frozenset()):
        self.author_ids = author_ids
        self.size = best_size(AVATAR_SIZE)

    def avatar(self, c) -> str:
        """The account's picture when it has one, else initials in a coloured circle (CSS
        only: no request, no third party). Decorative: the name stands beside it."""
        if c.user_id and getattr(c, "avatar", None):
            url = escape(default_storage.url(rendition_name(c.avatar, self.size)))
            return (
                f'<img class="comment-avatar" src="{url}" width="{AVATAR_SIZE}" '
                f'height="{AVATAR_SIZE}" alt="" loading="lazy">'
            )
        name = c.author_name
        colour = zlib.crc32(name.encode()) % AVATAR_COLOURS
        return (
            f'<span class="comment-avatar avatar-c{colour}" aria-hidden="true">'
            f"{escape(initials(name))}</span>"
        )

    def badge(self, c) -> str:
        if not c.user_id:
            return ""
        if c.user_id in self.author_ids:
            return ' <span class="comment-badge">Author</span>'
        return ' <span class="comment-badge">Staff</span>' if getattr(c, "is_staff", False) else ""


def initials(name: str) -> str:
    """Up to two letters from a name, as accounts' initials avatar takes them."""
    words = [word for word in name.split() if word[:1].isalnum()]
    return "".join(word[0] for word in words[:2]).upper() or "?"


def _header(c, permalink: str, when: _Clock, who: _Speakers, *, in_thread: bool = True) -> str:
    """A comment's byline: avatar, name, badge, time (its permalink), "in reply to" linked
    to the comment answered (in the thread an anchor on the page; above it, a permalink)."""
    # Names in <bdi>: a direction override in what a reader typed stays inside it.
    author = escape(c.author_name)
    if c.url and not c.user_id:
        author = f'<a href="{escape(c.url)}" rel="nofollow ugc noopener">{author}</a>'
    stamp, shown = when(c.created_at)
    level = 3 if in_thread else 4  # a pick's name sits under the picks' own heading
    parts = [
        f'<header class="comment-meta">\n{who.avatar(c)}'
        f'<h{level} class="comment-author"><bdi>{author}</bdi></h{level}>{who.badge(c)}\n'
        f'<a class="comment-permalink" href="{permalink}">'
        f'<time datetime="{stamp}">{shown}</time></a>'
    ]
    if c.edited_at:
        parts.append(' <span class="comment-edited">(edited)</span>')
    if c.in_reply_to_name:
        replied = f"<bdi>{escape(c.in_reply_to_name)}</bdi>"
        if c.replied_to_id:
            target = f"#comment-{c.replied_to_id}"
            if not in_thread:  # a pick: the comment answered may be on another page
                target = reverse("comments:permalink", args=[c.replied_to_id])
            replied = f'<a href="{target}">{replied}</a>'
        parts.append(f'\n<span class="in-reply-to">in reply to {replied}</span>')
    parts.append("\n</header>")
    return "".join(parts)


def _comment(c, permalink: str, reply_query: str | None, when: _Clock, who) -> list[str]:
    # Classes only, no utility classes or data attributes: a 2,000-comment thread page holds
    # some 300 of these, so every byte here is 300 on the page (site.scss styles them; the
    # reply link's comment and name are read by comments.js from the markup around it).
    # Bodies in a dir="auto" block: a direction override or isolate in what a reader typed
    # stays inside it and cannot reorder the text around it.
    reply = ""
    if reply_query is not None:
        reply = (
            f'<a class="comment-reply-link" href="?{reply_query}replytocom={c.pk}#respond">'
            "Reply</a>\n"
        )
    return [
        f'<article class="comment-body">\n{_header(c, permalink, when, who)}\n'
        f'<div class="comment-content" dir="auto">{body_html(c.body)}</div>\n{reply}'
        f"{reader_controls(c, permalink)}</article>"
    ]


def picks_html(thread) -> SafeString:
    """The editors' picks above the thread, each linked to its place in the thread (the
    permalink view finds its page)."""
    if not thread.picks:
        return mark_safe("")
    pattern = reverse("comments:permalink", args=[_PK])
    when, who = _Clock(), _Speakers(thread.author_ids)
    out = [
        '<aside class="editors-picks" aria-labelledby="picks-title">',
        '<h3 id="picks-title" class="h5">Editors’ picks</h3>',
        '<ol class="picks-list list-unstyled">',
    ]
    for c in thread.picks:
        link = pattern.replace(str(_PK), str(c.pk))
        header = _header(c, link, when, who, in_thread=False)
        out.append(
            f'<li class="pick"><article class="comment-body">\n{header}'
            f'\n<div class="comment-content" dir="auto">{body_html(c.body)}</div>\n'
            f'<a class="pick-link" href="{link}">See it in the thread</a>\n</article></li>'
        )
    out.append("</ol></aside>")
    return mark_safe("\n".join(out))  # noqa: S308 - literal markup around escape()d values


# The one form the like buttons submit (templates/comments/_section.html), outside the
# cached thread: a logged-in reader's page gives it their CSRF token, the thread never does.
REACT_FORM = "comment-react"


_escaped = lru_cache(maxsize=8)(escape)  # the label, escaped once, not once a comment


def reader_controls(c, permalink: str) -> str:
    """A comment's like button (its count is part of the shared page; whether this reader
    pressed it comes from their private part) and its report link (the report page is
    the permalink's "report/", a form of its own; comments/urls.py)."""
    label = _escaped(settings.COMMENTS_REACTION_LABEL)
    return (
        f'<p class="comment-actions"><button class="comment-like" form="{REACT_FORM}" '
        f'name="comment" value="{c.pk}">{label} <span>{c.reaction_count}</span></button> '
        f'<a class="comment-report" href="{permalink}report/" rel="nofollow">Report</a></p>\n'
    )


def thread_html(thread) -> SafeString:
    """The thread page as nested lists, from the flat rows threads.mark_nesting prepared."""
    pattern = reverse("comments:permalink", args=[_PK])
    reply_query = None
    if not getattr(thread, "closed", ""):
        reply_query = f"cpage={thread.number}&amp;" if thread.number > 1 else ""
    when, who = _Clock(), _Speakers(getattr(thread, "author_ids", frozenset()))
    out = ['<ol class="comment-list list-unstyled">']
    for c in thread.comments:
        out.append(f'<li id="comment-{c.pk}" class="comment depth-{c.depth}">')
        if c.is_placeholder:
            out.append(REMOVED)
        else:
            out += _comment(c, pattern.replace(str(_PK), str(c.pk)), reply_query, when, who)
        out.append('<ol class="children list-unstyled">' if c.opens_children else "</li>")
        out.append("</ol></li>" * len(c.closes))
    if not thread.comments:
        out.append(EMPTY)
    out.append("</ol>")
    return mark_safe("\n".join(out))  # noqa: S308 - literal markup around escape()d values
