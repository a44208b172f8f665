"""core.prepared: a read compiled once gives what the plain queryset gives, whatever the
values, on both databases; a value that is not a parameter of the SQL is refused."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.urls import reverse, set_script_prefix
from django.utils import timezone

from articles import views
from articles.models import Article, Correction
from comments import threads
from core.prepared import NotAParameter, Prepared
from core.reversing import cached_reverse
from tests.comments.helpers import make_comment
from tests.factories import make_article, make_section, make_tag, make_user

pytestmark = pytest.mark.django_db


def _published(*, now, section_id, title):
    return Article.objects.published(now).filter(section_id=section_id, title=title)


def test_a_read_matches_the_queryset_for_each_value_and_compiles_once(monkeypatch):
    section, other = make_section(), make_section()
    past, future = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=1)
    a = make_article(section=section, title="Same", published_at=past)
    make_article(section=section, title="Same", published_at=future, status="scheduled")
    b = make_article(section=other, title="Same", published_at=past)
    compiled = []
    real_as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler,
        "as_sql",
        lambda self, *a, **k: compiled.append(1) or real_as_sql(self, *a, **k),
    )
    read = Prepared(_published)
    now = timezone.now()
    assert read.read(now=now, section_id=section.pk, title="Same") == [a]
    first = len(compiled)
    assert read.read(now=now, section_id=other.pk, title="Same") == [b]
    assert read.read(now=now, section_id=other.pk, title="Other") == []
    later = now + timedelta(days=2)  # the scheduled one is live by then
    found = {x.pk for x in read.read(now=later, section_id=section.pk, title="Same")}
    assert len(compiled) == first  # no compiling after the first read
    assert found == {x.pk for x in _published(now=later, section_id=section.pk, title="Same")}
    assert len(found) == 2


def test_a_list_of_ids_is_part_of_the_shape():
    tags = [make_tag() for _ in range(3)]
    article = make_article()
    article.tags.set(tags[:2])
    read = Prepared(lambda *, tag_ids: Article.objects.filter(tags__in=tag_ids).distinct())
    assert read.read(tag_ids=[tags[0].pk]) == [article]
    assert read.read(tag_ids=[tags[2].pk]) == []
    assert read.read(tag_ids=[tags[2].pk, tags[1].pk]) == [article]


def test_a_value_the_sql_does_not_hold_as_a_parameter_is_refused():
    make_article()
    limited = Prepared(lambda *, count: Article.objects.all()[:count])
    with pytest.raises(NotAParameter):
        limited.read(count=1)
    with pytest.raises(NotAParameter):
        Prepared(lambda *, flag: Article.objects.filter(is_featured=flag)).read(flag=True)
    # The same read with the limit as its shape.
    shaped = Prepared(lambda count: Article.objects.all()[:count])
    assert len(shaped.read((1,))) == 1


def test_the_live_article_is_the_one_the_orm_gives_with_its_prefetches(
    django_assert_num_queries,
):
    author, tag = make_user(display_name="Ann Author"), make_tag(name="NATO")
    article = make_article(authors=[author], section=make_section())
    article.tags.add(tag)
    Correction.objects.create(article=article, text="A name was misspelt.")
    day = timezone.localdate(article.published_at)
    with django_assert_num_queries(4):  # article+section, bylines, tags, corrections
        found = views.fetch_live_article(slug=article.slug, published_at__date=day)
    expected = views.article_detail_queryset(Article.objects.published()).get(pk=article.pk)
    with django_assert_num_queries(0):
        assert found == expected and found.section == expected.section
        assert list(found.authors.all()) == list(expected.authors.all()) == [author]
        assert list(found.tags.all()) == [tag]
        assert [c.text for c in found.corrections.all()] == ["A name was misspelt."]
    # A queryset made from the kept one asks the database its own question.
    assert list(found.tags.filter(name="Other")) == []
    other_day = day - timedelta(days=3)
    with pytest.raises(Exception) as refused:
        views.fetch_live_article(slug=article.slug, published_at__date=other_day)
    assert refused.type.__name__ == "Http404"


def test_related_articles_match_the_ranking_without_the_prepared_read():
    section, tag, tag2 = make_section(), make_tag(), make_tag()
    article = make_article(section=section)
    article.tags.set([tag, tag2])
    both = make_article()
    both.tags.set([tag, tag2])
    one = make_article()
    one.tags.set([tag])
    neighbour = make_article(section=section)
    make_article(section=section, status="draft")
    related = views.related_articles(article)
    assert [a.pk for a in related][:2] == [both.pk, one.pk]
    assert neighbour.pk in [a.pk for a in related]
    assert article.pk not in [a.pk for a in related]
    plain = views._related(
        now=timezone.now(), article_id=article.pk, tag_ids=[tag.pk, tag2.pk], section_id=section.pk
    )
    assert [a.pk for a in related] == [a.pk for a in plain]


def test_thread_counts_and_rows_follow_the_article_asked():
    first, second = make_article(), make_article()
    root = make_comment(first)
    reply = make_comment(first, parent=root)
    make_comment(first, status="pending")
    expected = {"approved": 2, "roots": 1, "featured": 0, "latest": reply.pk}
    assert threads.counts_of(first.pk) == expected
    assert threads.counts_of(second.pk) == {
        "approved": 0,
        "roots": 0,
        "featured": 0,
        "latest": None,
    }
    assert [c.pk for c in threads.thread_page(first).comments] == [root.pk, reply.pk]
    assert threads.thread_page(second).comments == []


def test_cached_reverse_is_reverse_under_each_script_prefix():
    kwargs = {"slug": "brussels"}
    assert cached_reverse("articles:section", kwargs=kwargs) == reverse(
        "articles:section", kwargs=kwargs
    )
    try:
        set_script_prefix("/news/")
        assert cached_reverse("articles:section", kwargs=kwargs).startswith("/news/")
    finally:
        set_script_prefix("/")
    assert cached_reverse("articles:section", kwargs=kwargs).startswith("/section")


def test_every_templates_url_tag_is_the_remembered_one():
    from django.template import Context, Engine, Template
    from django.urls import NoReverseMatch

    from core.templatetags.remembered_url import RememberedURLNode

    source = "{% url 'articles:section' slug=s %}|{% url 'articles:tag' 'x' as t %}{{ t }}"
    parsed = Template(source)  # the project's engine, with its builtins
    assert isinstance(parsed.nodelist[0], RememberedURLNode)
    assert parsed.render(Context({"s": "world"})) == "/section/world/|/tag/x/"
    with pytest.raises(NoReverseMatch):
        Template("{% url 'articles:section' %}").render(Context())
    assert isinstance(Engine().from_string("{% url 'x' %}").nodelist[0], RememberedURLNode) is False


def test_the_threads_rows_read_comments_alone():
    """Joined to the users table, the thread's read had a plan PostgreSQL could not make
    once for every thread (a 2,000-comment thread read the users table whole for each of
    its rows); the commenters' accounts are read apart (threads.with_speakers)."""
    for order in threads.ORDERS:
        sql = str(threads._rows(order, 0, 50, article_id=1).query)
        assert "accounts_user" not in sql, (order, sql)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="prepared statements are PostgreSQL's; run with DATABASE_URL=postgres://...",
)
def test_the_threads_rows_are_prepared_on_the_server_after_five_reads():
    """Like every read through Prepared (newsroom/settings.py: prepare_threshold 5), the
    thread's rows are parsed and planned once per connection, not once per page."""
    article = make_article(title="Prepared thread")
    reader = make_user(display_name="Logged Lou")
    first = make_comment(article, name="Guest Gil")
    make_comment(article, parent=first, user=reader, name="")
    for _ in range(7):
        page = threads.thread_page(article)
        assert [c.author_name for c in page.comments] == ["Guest Gil", "Logged Lou"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"comments_comment"."root_id" IN' in sql for sql in prepared), prepared
    assert connection.connection.prepare_threshold == 5
