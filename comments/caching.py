"""The comments' cache vocabulary, in one module: the page-cache scopes comment events
expire, and the cached reads (the thread fragment). Views, feeds, template tags and the
workflows call these; none of them builds a scope name or a fragment by hand."""

import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from articles import caching as article_caching
from articles.models import Article
from comments import rules, threads
from comments.models import DiscussionSettings
from comments.render import thread_html
from core import pagecache

# Every page and feed that shows comments site-wide (the comment feed): bumped by any thread.
COMMENTS_SCOPE = "comments"
# Every page and kept thread that read the discussion settings.
DISCUSSION_SCOPE = "discussion"
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
    their comment feeds, and the site-wide comment feed."""
    pagecache.invalidate(COMMENTS_SCOPE, *(thread_scope(pk) for pk in set(article_ids)))


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
    end = cache.get(REACTED_PREFIX + str(article_id))
    return datetime.fromtimestamp(end, UTC) if end else None


def discussion_changed() -> None:
    """The discussion settings were saved: every page that read them expires."""
    pagecache.invalidate(DISCUSSION_SCOPE)


def tag_site_feed(request: HttpRequest) -> None:
    pagecache.tag(request, FEEDS_SCOPE, COMMENTS_SCOPE)  # bumped whenever any thread changes


def tag_article_feed(request: HttpRequest, article_id: int) -> None:
    pagecache.tag(request, FEEDS_SCOPE, thread_scope(article_id))


def discussion_settings(request: HttpRequest) -> DiscussionSettings:
    """The discussion settings, read from the cache once a request (thread and form); the
    page that reads them carries their scope, so saving them expires it."""
    if not hasattr(request, "_discussion_settings"):
        request._discussion_settings = DiscussionSettings.load()
        pagecache.tag(request, DISCUSSION_SCOPE)
    return request._discussion_settings


def _page(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1


def _newest_first(request) -> bool | None:
    order = request.GET.get("corder")
    return {"newest": True, "oldest": False}.get(order)


def thread_for(request, article: Article) -> threads.ThreadPage:
    """The thread page the request asks for, rendered; kept as a fragment (comments/render.py
    output with its counts) until a comment event or an article change expires it. Its name
    holds every discussion setting it depends on (order, page size, closed)."""
    conf = discussion_settings(request)
    page = _page(request.GET.get("cpage"))
    newest_first = _newest_first(request)
    newest_first = conf.newest_first if newest_first is None else newest_first
    closed = rules.closed_reason(article, conf)
    settled = reactions_settle_at(article.pk)
    # Closing by age writes nothing that would expire the page: fresh until then only; a
    # page built while reactions come in is fresh until their window ends.
    closing = None if closed else rules.closes_at(article, conf)
    if moments := [moment for moment in (closing, settled) if moment is not None]:
        pagecache.expire_at(request, lambda: min(moments))

    def build() -> threads.ThreadPage:
        thread = threads.thread_page(article, page=page, newest_first=newest_first, conf=conf)
        thread.closed = closed
        thread.html = thread_html(thread)
        thread.comments = []  # the cached copy carries the HTML, not the rows
        return thread

    if not 1 <= page <= THREAD_FRAGMENT_PAGES:
        return build()
    order = "newest" if newest_first else "oldest"
    name = f"thread:{article.pk}:{page}:{order}:{conf.per_page}:{int(bool(closed))}"
    return pagecache.fragment(name, [thread_scope(article.pk)], build, lambda: settled)
