"""The comment thread and comment bodies as HTML, built in Python.

A thread page of 2,000 comments rendered through the template engine cost about 0.15 ms a
comment (some 120 variable lookups each); these functions build the same markup with one
escape per value, about ten times faster. Everything a reader typed goes through
``escape``; nothing typed is ever HTML. ``tests/comments/test_xss.py`` and
``tests/comments/test_render.py`` hold the markup to that.
"""

import functools
import re
import zlib
from datetime import UTC
from html import escape  # what django.utils.html.escape calls, without its lazy wrapper

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from accounts.avatars import best_size, rendition_name
from accounts.models import initials_of
from comments.rules import URL_RE

PARAGRAPHS = re.compile(r"\n\s*\n")
TRAILING = ".,;:!?)]}'\""
REMOVED = '<p class="comment-removed fst-italic text-body-secondary">This comment was removed.</p>'
EMPTY = '<li class="text-body-secondary">No comments yet.</li>'
AVATAR_SIZE = 32  # CSS pixels beside each comment (site.scss .comment-meta > img)
AVATAR_COLOURS = 6  # .avatar-c0 … .avatar-c5 in site.scss
_PK = 987654321  # a placeholder id, replaced in the permalink pattern
# Part of a kept thread's name (comments.caching.thread_shape): a deploy that changes the
# markup never serves pages of the old markup with the new styles and scripts.
MARKUP_VERSION = "2"
TWO = [f"{n:02}" for n in range(60)]  # two-digit months, days, hours and minutes


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


def _may_link(text: str) -> bool:
    """False when URL_RE cannot match anywhere in ``text`` (most comments): a substring test
    is some fifty times cheaper than the case-blind search over a long line."""
    return "://" in text or "www." in text.lower()


def _body(text: str) -> str:
    line = escape if not _may_link(text) else _linked
    if "\n" not in text:  # one line: one paragraph, as the general case gives it
        text = text.strip()
        return f"<p>{line(text)}</p>" if text else ""
    paragraphs = (p.strip() for p in PARAGRAPHS.split(text.replace("\r\n", "\n")))
    return "\n".join(
        "<p>" + "<br>\n".join(line(part) for part in p.split("\n")) + "</p>"
        for p in paragraphs
        if p
    )


def body_html(text: str) -> SafeString:
    """Plain text as paragraphs with line breaks and linked URLs."""
    return mark_safe(_body(text))  # noqa: S308 - literal markup around escape()d text


def initials(name: str) -> str:
    """Up to two letters from a name, as accounts' initials avatar takes them
    (accounts.models.initials_of), "?" when it has none: nothing in it needs escaping."""
    return initials_of(name) or "?"


@functools.cache
def _month_names(language: str | None) -> dict[int, str]:
    """The month names of ``language`` (Django's lazy strings, made plain once)."""
    return {number: str(name) for number, name in MONTHS.items()}


class _Speakers:
    """What the bylines of one render share, worked out once: the time zone and month
    names, the permalink pattern, the article's byline ids (an "Author" badge), the avatar
    size stored nearest to the one shown; and, per name or picture, its escaped name and
    avatar (a thread repeats its regulars)."""

    def __init__(self, author_ids=frozenset()):
        self.author_ids = author_ids
        self.size = best_size(AVATAR_SIZE)
        self.zone = timezone.get_current_timezone()
        self.months = _month_names(get_language())
        pattern = reverse("comments:permalink", args=[_PK])
        self.link_head, _, self.link_tail = pattern.partition(str(_PK))
        self.guests: dict[str, tuple[str, str]] = {}
        self.pictures: dict[str, str] = {}

    def permalink(self, pk) -> str:
        return f"{self.link_head}{pk}{self.link_tail}"

    def when(self, moment) -> tuple[str, str]:
        """(datetime attribute in UTC to the minute, "12 January 2022, 14:05" local), the
        numbers written out directly (strftime and isoformat cost more than the rest)."""
        utc = moment if moment.tzinfo is UTC else moment.astimezone(UTC)
        local = moment.astimezone(self.zone)
        return (
            f"{utc.year}-{TWO[utc.month]}-{TWO[utc.day]}T{TWO[utc.hour]}:{TWO[utc.minute]}Z",
            f"{local.day} {self.months[local.month]} {local.year}, "
            f"{TWO[local.hour]}:{TWO[local.minute]}",
        )

    def name_and_avatar(self, c) -> tuple[str, str]:
        """The escaped name and the avatar: the account's picture when it has one, else
        initials in a coloured circle (CSS only: no request, no third party). Decorative:
        the name stands beside it, so hidden from assistive technology."""
        if c.user_id:
            name = c.author_name
            if picture := getattr(c, "avatar", None):
                img = self.pictures.get(picture)
                if img is None:
                    url = escape(default_storage.url(rendition_name(picture, self.size)))
                    img = self.pictures[picture] = (
                        f'<img src="{url}" width="{AVATAR_SIZE}" height="{AVATAR_SIZE}" alt="" '
                        'loading="lazy">'
                    )
                return escape(name), img
        else:  # a guest: the name typed, as author_name gives it (no account to look up)
            name = c.name or "Anonymous"
        known = self.guests.get(name)
        if known is None:
            colour = zlib.crc32(name.encode()) % AVATAR_COLOURS
            known = self.guests[name] = (
                escape(name),
                f'<span class="avatar-c{colour}" aria-hidden="true">{initials(name)}</span>',
            )
        return known

    def badge(self, c) -> str:
        if not c.user_id:
            return ""
        if c.user_id in self.author_ids:
            return '<span class="comment-badge">Author</span> '
        return '<span class="comment-badge">Staff</span> ' if getattr(c, "is_staff", False) else ""

    def header(self, c, permalink: str, *, in_thread: bool = True) -> str:
        """A comment's byline: avatar, name, badge, time (its permalink), "in reply to" linked
        to the comment answered (in the thread an anchor on the page; above it, a permalink).
        Spaces only where text would otherwise run together without the styles."""
        # Names in <bdi>: a direction override in what a reader typed stays inside it.
        author, avatar = self.name_and_avatar(c)
        if c.url and not c.user_id:
            author = f'<a href="{escape(c.url)}" rel="nofollow ugc noopener">{author}</a>'
        stamp, shown = self.when(c.created_at)
        level = 3 if in_thread else 4  # a pick's name sits under the picks' own heading
        extra = ""
        if c.edited_at:
            extra = ' <span class="comment-edited">(edited)</span>'
        if c.in_reply_to_name:
            replied = f"<bdi>{escape(c.in_reply_to_name)}</bdi>"
            if c.replied_to_id:
                target = f"#comment-{c.replied_to_id}"
                if not in_thread:  # a pick: the comment answered may be on another page
                    target = self.permalink(c.replied_to_id)
                replied = f'<a href="{target}">{replied}</a>'
            extra += f' <span class="in-reply-to">in reply to {replied}</span>'
        return (
            f'<header class="comment-meta">{avatar}<h{level} class="comment-author"><bdi>'
            f'{author}</bdi></h{level}>{self.badge(c)}<a href="{permalink}"><time datetime="'
            f'{stamp}">{shown}</time></a>{extra}</header>'
        )


def picks_html(thread) -> SafeString:
    """The editors' picks above the thread, each linked to its place in the thread (the
    permalink view finds its page)."""
    if not thread.picks:
        return mark_safe("")
    who = _Speakers(thread.author_ids)
    out = [
        '<aside class="editors-picks" aria-labelledby="picks-title">'
        '<h3 id="picks-title" class="h5">Editors’ picks</h3><ol class="picks-list list-unstyled">'
    ]
    for c in thread.picks:
        link = who.permalink(c.pk)
        out.append(
            f'<li class="pick"><article class="comment-body">{who.header(c, link, in_thread=False)}'
            f'<div class="comment-content" dir="auto">{body_html(c.body)}</div>'
            f'<a class="pick-link" href="{link}">See it in the thread</a></article></li>'
        )
    out.append("</ol></aside>")
    return mark_safe("".join(out))  # noqa: S308 - literal markup around escape()d values


# The one form the like buttons submit (templates/comments/_react_form.html), outside the
# cached thread: a logged-in reader's page gives it their CSRF token, the thread never does.
REACT_FORM = "react"


def thread_html(thread) -> SafeString:
    """The thread page as nested lists, from the flat rows threads.mark_nesting prepared.

    Each comment: its byline (_Speakers.header), its body in a dir="auto" block (a direction
    override or isolate in what a reader typed stays inside it and cannot reorder the text
    around it), then one row of actions, the article's only child paragraph: reply (a link
    that works without JavaScript; comments.js reads the comment and name from the markup
    around it), the like button (it submits the one REACT_FORM without JavaScript,
    comment-reactions.js sends it in place; its count is part of the shared page, whether
    this reader pressed it comes from their private part) and the report link (the
    permalink's "report/", a form of its own; robots.txt keeps crawlers off it).

    A 2,000-comment thread page holds some 270 comments, so every byte here is 270 on the
    page: the WordPress class names themes style (comment-body, comment-meta,
    comment-author, comment-content, comment-reply-link), no other class site.scss can
    reach by structure, no utility classes, no whitespace between elements but where text
    would run together without the styles. tests/comments/test_markup_size.py holds it."""
    who = _Speakers(getattr(thread, "author_ids", frozenset()))
    reply = None
    if not getattr(thread, "closed", ""):
        page = f"cpage={thread.number}&amp;" if thread.number > 1 else ""
        reply = f'<a class="comment-reply-link" href="?{page}replytocom='
    label = escape(settings.COMMENTS_REACTION_LABEL)
    like = f'<button form="{REACT_FORM}" name="comment" value="'
    out = ['<ol class="comment-list list-unstyled">']
    add = out.append
    for c in thread.comments:
        pk = c.pk
        if c.is_placeholder:
            add(f'<li id="comment-{pk}">{REMOVED}')
        else:
            link = f"{who.link_head}{pk}{who.link_tail}"
            answer = "" if reply is None else f'{reply}{pk}#respond">Reply</a> '
            add(
                f'<li id="comment-{pk}"><article class="comment-body">{who.header(c, link)}'
                f'<div class="comment-content" dir="auto">{_body(c.body)}</div>'
                f'<p>{answer}{like}{pk}">{label} {c.reaction_count}</button> '
                f'<a href="{link}report/">Report</a></p></article>'
            )
        add('<ol class="children">' if c.opens_children else "</li>")
        if c.closes:
            add("</ol></li>" * len(c.closes))
    if not thread.comments:
        add(EMPTY)
    add("</ol>")
    return mark_safe("".join(out))  # noqa: S308 - literal markup around escape()d values


def pages_html(thread) -> SafeString:
    """The thread's page links (nothing for a one-page thread): the page shown is marked
    current, each other page keeps the reader's order. A 2,000-comment thread has some 40
    pages: the template loop cost about 20 µs a link, this about one."""
    if not thread.pages:
        return mark_safe("")
    order = escape(thread.order)
    items = []
    for number in thread.pages:
        if number == thread.number:
            items.append(
                f'<li class="page-item active"><span class="page-link" aria-current="page">'
                f"{number}</span></li>"
            )
        else:
            items.append(
                f'<li class="page-item"><a class="page-link" href="?cpage={number}&amp;'
                f'sort={order}#comments">{number}</a></li>'
            )
    return mark_safe(  # noqa: S308 - literal markup around numbers and an escape()d order
        '<nav aria-label="Comment pages"><ul class="pagination pagination-sm">'
        + "".join(items)
        + "</ul></nav>"
    )
