"""Reading a WordPress eXtended RSS export (WXR 1.0 to 1.2), one record at a time.

Tags are renamed ``prefix_local`` (``wp_post_id``, ``content_encoded``) whatever the WXR
version in the namespace. ``header`` reads the authors, terms and attachments (the file's
first pass: attachments come after the posts that use them); ``posts`` hands over each item.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from core import safexml
from core.safexml import text

PREFIXES = {
    "http://wordpress.org/export/": "wp",
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
EXCERPT = re.compile(r"http://wordpress\.org/export/[0-9.]+/excerpt/")
RECORDS = {"item", "wp_author", "wp_category", "wp_tag", "wp_base_site_url"}
CREDIT = re.compile(r's:6:"credit";s:[0-9]+:"([^"]*)";')
NO_DATE = "0000-00-00 00:00:00"


def rename(tag: str) -> str:
    namespace, sep, local = tag.rpartition("}")
    if not sep:
        return tag
    if EXCERPT.fullmatch(namespace):
        return f"excerpt_{local}"
    for uri, prefix in PREFIXES.items():
        if namespace.startswith(uri):
            return f"{prefix}_{local}"
    return local


@dataclass
class Author:
    wp_id: str
    login: str
    email: str
    display_name: str
    first_name: str = ""
    last_name: str = ""
    bio: str = ""


@dataclass
class Term:
    slug: str
    name: str
    description: str = ""


@dataclass
class Attachment:
    wp_id: str
    url: str
    parent: str
    link: str
    title: str
    caption: str
    alt: str
    credit: str
    file: str  # relative to wp-content/uploads


@dataclass
class Comment:
    wp_id: str
    parent: str
    author: str
    email: str
    url: str
    ip: str
    date: datetime | None
    body: str
    approved: str  # "1", "0", "spam", "trash", "post-trashed"
    kind: str  # "comment" (or ""), "pingback", "trackback"
    user_id: str


@dataclass
class Post:
    wp_id: str
    post_type: str
    title: str
    link: str
    slug: str
    status: str
    body: str
    excerpt: str
    author: str  # login
    date: datetime | None
    comment_status: str
    categories: list[Term] = field(default_factory=list)
    tags: list[Term] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)


@dataclass
class Header:
    site_url: str = ""
    authors: dict[str, Author] = field(default_factory=dict)  # by login
    categories: dict[str, Term] = field(default_factory=dict)  # by slug
    category_parents: dict[str, str] = field(default_factory=dict)  # slug → parent slug
    tags: dict[str, Term] = field(default_factory=dict)
    attachments: dict[str, Attachment] = field(default_factory=dict)  # by WordPress id
    posts: int = 0


class Clock:
    """The export's dates: GMT when WordPress wrote it, else local time at the offset the
    export's other dates show (drafts have no GMT date), else ``fallback_offset``."""

    def __init__(self, fallback_offset: timedelta = timedelta(0)) -> None:
        self.offset = fallback_offset

    def moment(self, local: str, gmt: str) -> datetime | None:
        local_at, gmt_at = _parse(local), _parse(gmt)
        if local_at and gmt_at:
            self.offset = local_at - gmt_at
        if gmt_at:
            return gmt_at.replace(tzinfo=UTC)
        return (local_at - self.offset).replace(tzinfo=UTC) if local_at else None


def _parse(value: str) -> datetime | None:
    if not value or value == NO_DATE:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _meta(item) -> dict:
    return {text(m, "wp_meta_key"): text(m, "wp_meta_value") for m in item.iter("wp_postmeta")}


def header(path) -> Header:
    """Authors, categories, tags and attachments; the whole file checked on the way."""
    found = Header()
    for element in safexml.records(path, RECORDS, rename):
        if element.tag == "wp_base_site_url":
            found.site_url = text(element).rstrip("/")
        elif element.tag == "wp_author":
            author = Author(
                wp_id=text(element, "wp_author_id"),
                login=text(element, "wp_author_login"),
                email=text(element, "wp_author_email"),
                display_name=text(element, "wp_author_display_name"),
                first_name=text(element, "wp_author_first_name"),
                last_name=text(element, "wp_author_last_name"),
                bio=text(element, "wp_author_description"),
            )
            found.authors[author.login] = author
        elif element.tag == "wp_category":
            slug = text(element, "wp_category_nicename")
            found.category_parents[slug] = text(element, "wp_category_parent")
            found.categories[slug] = Term(
                slug, text(element, "wp_cat_name"), text(element, "wp_category_description")
            )
        elif element.tag == "wp_tag":
            slug = text(element, "wp_tag_slug")
            found.tags[slug] = Term(slug, text(element, "wp_tag_name"))
        elif text(element, "wp_post_type") == "attachment":
            attachment = _attachment(element)
            found.attachments[attachment.wp_id] = attachment
        else:
            found.posts += 1
    return found


def _texts(element, **tags: str) -> dict[str, str]:
    """{field: the text of its tag under ``element``}."""
    return {name: text(element, tag) for name, tag in tags.items()}


def _attachment(item) -> Attachment:
    meta = _meta(item)
    credit = CREDIT.search(meta.get("_wp_attachment_metadata", ""))
    words = _texts(
        item,
        wp_id="wp_post_id",
        url="wp_attachment_url",
        parent="wp_post_parent",
        link="link",
        title="title",
        caption="excerpt_encoded",
    )
    return Attachment(
        **words,
        alt=meta.get("_wp_attachment_image_alt", ""),
        credit=credit.group(1) if credit else "",
        file=meta.get("_wp_attached_file", ""),
    )


def posts(path, clock: Clock):
    """Each item that is not an attachment, as a Post with its comments."""
    for item in safexml.records(path, {"item"}, rename):
        if text(item, "wp_post_type") == "attachment":
            continue
        yield _post(item, clock)


def _post(item, clock: Clock) -> Post:
    post = Post(
        wp_id=text(item, "wp_post_id"),
        post_type=text(item, "wp_post_type") or "post",
        title=text(item, "title"),
        link=text(item, "link"),
        slug=text(item, "wp_post_name"),
        status=text(item, "wp_status"),
        body=(item.findtext("content_encoded") or ""),
        excerpt=text(item, "excerpt_encoded"),
        author=text(item, "dc_creator"),
        date=clock.moment(text(item, "wp_post_date"), text(item, "wp_post_date_gmt")),
        comment_status=text(item, "wp_comment_status"),
        meta=_meta(item),
    )
    for category in item.iter("category"):
        term = Term(category.get("nicename", ""), (category.text or "").strip())
        kinds = {"category": post.categories, "post_tag": post.tags}
        if term.slug and category.get("domain") in kinds:
            kinds[category.get("domain")].append(term)
    post.comments = [_comment(c, clock) for c in item.iter("wp_comment")]
    return post


COMMENT_TAGS = {
    "wp_id": "wp_comment_id",
    "parent": "wp_comment_parent",
    "author": "wp_comment_author",
    "email": "wp_comment_author_email",
    "url": "wp_comment_author_url",
    "ip": "wp_comment_author_IP",
    "approved": "wp_comment_approved",
    "user_id": "wp_comment_user_id",
}


def _comment(element, clock: Clock) -> Comment:
    return Comment(
        **_texts(element, **COMMENT_TAGS),
        date=clock.moment(text(element, "wp_comment_date"), text(element, "wp_comment_date_gmt")),
        body=element.findtext("wp_comment_content") or "",
        kind=text(element, "wp_comment_type") or "comment",
    )
