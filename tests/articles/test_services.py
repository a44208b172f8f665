from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles import services
from articles.models import Article, Transition
from tests.factories import make_member, make_ready_draft, make_user

pytestmark = pytest.mark.django_db
Status = Article.Status
ROLES = ["author", "other_reporter", "editor", "superuser", "moderator", "reader"]


def actor(role: str, author):
    if role == "author":
        return author
    if role == "other_reporter":
        return make_member("Reporter")
    if role == "editor":
        return make_member("Editor")
    if role == "superuser":
        return make_user(is_staff=True, is_superuser=True)
    if role == "moderator":
        return make_member("Moderator")
    return make_user()


def article_in(status: str, author):
    article = make_ready_draft(authors=[author])
    if status in {Status.PUBLISHED, Status.SCHEDULED}:
        article.published_at = timezone.now() - timedelta(hours=1)
        article.first_published_at = article.published_at
    article.status = status
    article.save()
    return article


def in_an_hour():
    return timezone.now() + timedelta(hours=1)


TRANSITIONS = {
    "submit": (Status.DRAFT, {"author", "editor", "superuser"}, Status.REVIEW),
    "publish": (Status.REVIEW, {"editor", "superuser"}, Status.PUBLISHED),
    "schedule": (Status.REVIEW, {"editor", "superuser"}, Status.SCHEDULED),
    "unpublish": (Status.PUBLISHED, {"editor", "superuser"}, Status.UNPUBLISHED),
    "return_to_draft": (Status.REVIEW, {"editor", "superuser"}, Status.DRAFT),
}


def run(name: str, article, by):
    if name == "schedule":
        return services.article_schedule(article=article, by=by, publish_at=in_an_hour())
    if name == "return_to_draft":
        return services.article_return_to_draft(article=article, by=by, note="Why")
    return getattr(services, f"article_{name}")(article=article, by=by)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_every_transition_for_every_role(name, role):
    start, allowed, end = TRANSITIONS[name]
    author = make_member("Reporter")
    article = article_in(start, author)
    by = actor(role, author)
    if role in allowed:
        run(name, article, by)
        article.refresh_from_db()
        assert article.status == end
        transition = Transition.objects.get(article=article)
        assert (transition.from_status, transition.to_status, transition.by) == (start, end, by)
    else:
        with pytest.raises(ValidationError) as refused:
            run(name, article, by)
        assert refused.value.code == "permission"
        article.refresh_from_db()
        assert article.status == start
        assert not Transition.objects.exists()


@pytest.mark.parametrize(
    "name,status",
    [
        ("submit", Status.REVIEW),
        ("submit", Status.PUBLISHED),
        ("submit", Status.SCHEDULED),
        ("publish", Status.PUBLISHED),
        ("unpublish", Status.DRAFT),
        ("unpublish", Status.REVIEW),
        ("unpublish", Status.UNPUBLISHED),
        ("return_to_draft", Status.DRAFT),
        ("return_to_draft", Status.PUBLISHED),
    ],
)
def test_transition_from_a_wrong_state_is_refused_and_changes_nothing(name, status):
    article = article_in(status, make_member("Reporter"))
    with pytest.raises(ValidationError, match="Cannot .* an article that is") as refused:
        run(name, article, make_member("Editor"))
    assert refused.value.code == "status"
    article.refresh_from_db()
    assert article.status == status and not Transition.objects.exists()


@pytest.mark.parametrize("name", ["publish", "schedule"])
def test_publish_checklist_lists_everything_missing(name):
    article = make_ready_draft(standfirst="", section=None, lead_image_alt="")
    with pytest.raises(ValidationError) as refused:
        run(name, article, make_member("Editor"))
    message = refused.value.messages[0]
    assert message == (
        "Cannot publish yet. Missing: a standfirst, a section, alt text for the lead image."
    )
    article.refresh_from_db()
    assert article.status == Status.DRAFT and article.published_at is None


def test_checklist_asks_for_a_lead_image_and_a_headline():
    article = make_ready_draft(title=" ", lead_image="")
    assert services.publish_checklist(article) == ["a headline", "a lead image"]


def test_publish_sets_publish_and_first_published_times_and_goes_live():
    article = make_ready_draft()
    services.article_publish(article=article, by=make_member("Editor"))
    article.refresh_from_db()
    assert article.is_published()
    assert article.first_published_at == article.published_at
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_republishing_keeps_the_original_publish_time_and_url():
    editor = make_member("Editor")
    article = make_ready_draft()
    services.article_publish(article=article, by=editor)
    url, first = article.get_absolute_url(), article.published_at
    services.article_unpublish(article=article, by=editor)
    services.article_publish(article=article, by=editor)
    article.refresh_from_db()
    assert article.published_at == first and article.get_absolute_url() == url


def test_schedule_refuses_a_time_in_the_past():
    article = make_ready_draft()
    with pytest.raises(ValidationError, match="in the future"):
        services.article_schedule(
            article=article, by=make_member("Editor"), publish_at=timezone.now()
        )
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_scheduled_article_goes_live_exactly_at_its_time():
    article = make_ready_draft()
    when = in_an_hour()
    services.article_schedule(article=article, by=make_member("Editor"), publish_at=when)
    published = Article.objects.published
    assert not published(now=when - timedelta(microseconds=1)).filter(pk=article.pk).exists()
    assert published(now=when).filter(pk=article.pk).exists()


def test_submit_records_the_submission_time():
    author = make_member("Reporter")
    article = make_ready_draft(authors=[author])
    services.article_submit(article=article, by=author)
    article.refresh_from_db()
    assert article.submitted_at is not None
    assert list(Article.objects.awaiting_review()) == [article]


def test_reporter_edits_own_drafts_only():
    author, other = make_member("Reporter"), make_member("Reporter")
    article = make_ready_draft(authors=[author])
    assert services.article_can_edit(article=article, user=author)
    assert not services.article_can_edit(article=article, user=other)
    services.article_submit(article=article, by=author)
    assert not services.article_can_edit(article=article, user=author)
    assert services.article_can_edit(article=article, user=make_member("Editor"))


def test_moderator_and_inactive_editor_cannot_edit():
    article = make_ready_draft()
    assert not services.article_can_edit(article=article, user=make_member("Moderator"))
    assert not services.article_can_edit(
        article=article, user=make_member("Editor", is_active=False)
    )


def test_correction_marks_the_article_updated():
    article = article_in(Status.PUBLISHED, make_member("Reporter"))
    correction = services.correction_add(
        article=article, by=make_member("Editor"), text="  The meeting was on Wednesday.  "
    )
    article.refresh_from_db()
    assert correction.text == "The meeting was on Wednesday."
    assert article.was_updated()


@pytest.mark.parametrize("role", ["author", "moderator", "reader"])
def test_only_editors_add_corrections(role):
    author = make_member("Reporter")
    article = article_in(Status.PUBLISHED, author)
    with pytest.raises(ValidationError, match="Only editors"):
        services.correction_add(article=article, by=actor(role, author), text="Fix")
    assert not article.corrections.exists()


def test_correction_refused_on_a_draft_and_when_empty():
    editor = make_member("Editor")
    with pytest.raises(ValidationError, match="published articles"):
        services.correction_add(article=make_ready_draft(), by=editor, text="Fix")
    published = article_in(Status.PUBLISHED, make_member("Reporter"))
    with pytest.raises(ValidationError, match="Write what"):
        services.correction_add(article=published, by=editor, text="  ")


def test_sent_back_draft_is_editable_by_its_reporter_again():
    author = make_member("Reporter")
    article = article_in(Status.REVIEW, author)
    services.article_return_to_draft(article=article, by=make_member("Editor"), note="Redo")
    article.refresh_from_db()
    assert article.submitted_at is None
    assert services.article_can_edit(article=article, user=author)
