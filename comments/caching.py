"""The comments' cache vocabulary, in one module: the page-cache scopes comment events
expire, and the cached reads (the thread fragment). Views, feeds, template tags and the
workflows call these; none of them builds a scope name or a fragment by hand."""

import dataclasses
import functools
import hashlib
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from articles import caching as article_caching
from articles.models import Article
from comments import rules, threads
from comments.models import THREAD_COLUMNS, DiscussionSettings
from comments.render import MARKUP_VERSION, picks_html, thread_html
from core import pagecache

# Every page and feed that shows comments site-wide (the comment feed): bumped by any thread.
COMMENTS_SCOPE = "comments"
# Every page and kept thread that read the discussion settings.
DISCUSSION_SCOPE = "discussion"
# The site-wide feed of editors' picks: bumped when a comment is featured or unfeatured.
PICKS_SCOPE = "comment-picks"
# The feeds' shared scope (articles owns the name and expires it when an article changes).
FEEDS_SCOPE = article_caching.FEEDS
# Thread pages kept as fragments: the first few, not one entry per random ?cpage= value.
THREAD_FRAGMENT_PAGES = 50
# An article whose thread had a reaction lately: the time its pages show every count.
REACTED_PREFIX = "comments:reacted:"


def thread_scope(article_id: int) -> str:
    """The scope of an article's page, its comment feed and its kept thread pages: the
    article's own page scope, whose name articles owns."""
    return article_caching.article_scope(article_id)


def threads_changed(*article_ids: int) -> None:
    """Expire the cached article pages whose thread changed (approved comments only show),
    their comment feeds, their live state (live_state), the site-wide comment feed and
    the listing pages, whose cards show comment counts."""
    pagecache.invalidate(
        COMMENTS_SCOPE,
        article_caching.COMMENT_COUNTS,
        *(thread_scope(pk) for pk in set(article_ids)),
    )


def speaker_changed(user_id: int) -> None:
    """An account's public name or picture changed: the threads it commented in (their
    article pages, comment feeds and kept thread pages), the site-wide comment and picks
    feeds expire; nothing when it never commented."""
    from comments.models import Comment

    article_ids = set(Comment.objects.filter(user_id=user_id).values_list("article_id", flat=True))
    if article_ids:
        pagecache.invalidate(COMMENTS_SCOPE, *(thread_scope(pk) for pk in article_ids))


def picks_changed(article_id: int) -> None:
    """A comment was featured or unfeatured: its article's pages (the picks block) and
    the picks feed expire; the comment counts did not change."""
    pagecache.invalidate(PICKS_SCOPE, thread_scope(article_id))


def reactions_changed(article_id: int) -> None:
    """A reaction changed a count on an article's thread. The first one in a window of
    COMMENTS_REACTION_REFRESH seconds expires the thread's pages at once; pages built during
    the window expire at its end (reactions_settle_at), so a busy thread is rebuilt at most
    once a window and every count shows at most a window late (docs/decisions.md)."""
    seconds = settings.COMMENTS_REACTION_REFRESH
    if seconds <= 0 or cache.add(REACTED_PREFIX + str(article_id), time.time() + seconds, seconds):
        pagecache.invalidate(thread_scope(article_id))


def reactions_settle_at(article_id: int) -> datetime | None:
    """When the current reaction window of an article ends (None: no window open)."""
    return _settles(cache.get(REACTED_PREFIX + str(article_id)))


def _settles(end: float | None) -> datetime | None:
    return datetime.fromtimestamp(end, UTC) if end else None


def discussion_changed() -> None:
    """The discussion settings were saved: every page that read them expires."""
    pagecache.invalidate(DISCUSSION_SCOPE)


def tag_site_feed(request: HttpRequest) -> None:
    pagecache.tag(request, FEEDS_SCOPE, COMMENTS_SCOPE)  # bumped whenever any thread changes


def tag_picks_feed(request: HttpRequest) -> None:
    """The picks feed: expired by a pick, and by any thread change (a pick taken down)."""
    pagecache.tag(request, FEEDS_SCOPE, COMMENTS_SCOPE, PICKS_SCOPE)


def tag_article_feed(request: HttpRequest, article_id: int) -> None:
    pagecache.tag(request, FEEDS_SCOPE, thread_scope(article_id))


def discussion_settings(request: HttpRequest) -> DiscussionSettings:
    """The discussion settings, read from the cache once a request (thread and form); the
    page that reads them carries their scope, so saving them expires it."""
    if not hasattr(request, "_discussion_settings"):
        _keep_settings(request, DiscussionSettings.load())
    return request._discussion_settings


def _keep_settings(request: HttpRequest, conf: DiscussionSettings) -> None:
    request._discussion_settings = conf
    pagecache.tag(request, DISCUSSION_SCOPE)


def settings_and_window(request: HttpRequest, article_id: int) -> tuple:
    """discussion_settings(request) and reactions_settle_at(article_id), what every thread
    page reads from the shared cache, in one round trip to it (two before)."""
    if hasattr(request, "_discussion_settings"):
        return request._discussion_settings, reactions_settle_at(article_id)
    window = REACTED_PREFIX + str(article_id)
    found = cache.get_many([DiscussionSettings.CACHE_KEY, window])
    _keep_settings(request, DiscussionSettings.from_cached(found.get(DiscussionSettings.CACHE_KEY)))
    return request._discussion_settings, _settles(found.get(window))


def _page(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1


def _order(request, conf: DiscussionSettings) -> str:
    """The order asked for (?sort=, or the older ?corder=), else the site's default."""
    order = request.GET.get("sort") or request.GET.get("corder")
    if order in threads.ORDERS:
        return order
    return "newest" if conf.newest_first else "oldest"


@functools.cache
def thread_shape() -> str:
    """A digest of the thread's columns, the kept page's fields and the markup's version,
    part of a kept thread's name: during a deploy that changes any, old and new workers never
    read each other's pickled pages (one without ``latest`` would tell readers of comments
    that are not new; old markup would meet new styles and scripts)."""
    fields = (
        *THREAD_COLUMNS,
        *(f.name for f in dataclasses.fields(threads.ThreadPage)),
        f"markup {MARKUP_VERSION}",
    )
    return hashlib.sha256(",".join(fields).encode()).hexdigest()[:8]


def thread_for(request, article: Article) -> threads.ThreadPage:
    """The thread page the request asks for, rendered; kept as a fragment (comments/render.py
    output with its counts) until a comment event or an article change expires it. Its name
    holds every discussion setting it depends on (order, page size, closed)."""
    conf, settled = settings_and_window(request, article.pk)
    page = _page(request.GET.get("cpage"))
    order = _order(request, conf)
    closed = rules.closed_reason(article, conf)
    # Closing by age writes nothing that would expire the page: fresh until then only; a
    # page built while reactions come in is fresh until their window ends.
    closing = None if closed else rules.closes_at(article, conf)
    if moments := [moment for moment in (closing, settled) if moment is not None]:
        pagecache.expire_at(request, lambda: min(moments))

    def build() -> threads.ThreadPage:
        thread = threads.thread_page(article, page=page, order=order, conf=conf)
        thread.closed = closed
        # The bylines come with the (cached) article: the "Author" badge costs no query.
        thread.author_ids = frozenset(author.pk for author in article.authors.all())
        thread.html, thread.picks_html = thread_html(thread), picks_html(thread)
        thread.comments = thread.picks = []  # the cached copy carries the HTML, not rows
        return thread

    if not 1 <= page <= THREAD_FRAGMENT_PAGES:
        return build()
    shape = f"{order}:{conf.per_page}:{int(bool(closed))}:{thread_shape()}"
    name = f"thread:{article.pk}:{page}:{shape}"
    return pagecache.fragment(name, [thread_scope(article.pk)], build, lambda: settled)


def live_state(article_id: int, check) -> dict:
    """What the live notice polls: the newest approved comment's id and the number of
    approved comments. Kept under the thread's scope (an unpublish bumps it too), so a
    thousand readers polling cost one build per change of the thread, not one per poll.
    ``check()`` raises (a 404) when the article is not live; it runs only on a build."""

    def build() -> dict:
        check()
        totals = threads.counts_of(article_id)
        return {"latest": totals["latest"] or 0, "count": totals["approved"]}

    return pagecache.fragment(f"live:{article_id}", [thread_scope(article_id)], build)
