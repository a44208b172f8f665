"""manage.py import_wordpress on a real export (tests/importers/wordpress/export.xml, made by
make_export.sh with Debian's WordPress): each field, status, thread, picture, and re-runs."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management.base import CommandError

from articles.models import Article, Image, Redirect, Section, Tag
from comments.models import Comment, DiscussionSettings, ModerationLog, Subscription
from core import outbox
from tests.importers.conftest import UPLOADS, WXR, import_wordpress

pytestmark = pytest.mark.django_db


def floods() -> Article:
    return Article.objects.get(slug="floods-in-the-valley")


def counts() -> dict:
    models = (Article, Comment, Image, Redirect, Section, Tag, get_user_model())
    return {model.__name__: model.objects.count() for model in models}


def test_authors_become_reporters_without_a_usable_password(imported):
    alice = get_user_model().objects.get(username="alice")
    assert alice.email == "alice@wp.example.test"
    assert alice.get_display_name() == "Alice Martin"
    assert (alice.first_name, alice.last_name) == ("Alice", "Martin")
    assert not alice.has_usable_password()
    assert alice.is_staff
    assert list(alice.groups.values_list("name", flat=True)) == ["Reporter"]


def test_an_author_is_matched_by_email_to_an_existing_account(db):
    mine = get_user_model().objects.create_user("amartin", "Alice@WP.example.test", "pw")
    import_wordpress()
    assert not get_user_model().objects.filter(username="alice").exists()
    assert list(floods().authors.all()) == [mine]
    # Her old author page leads to her page here.
    assert Redirect.objects.get(old_path="/author/alice/").author == mine


def test_post_fields(imported):
    article = floods()
    assert article.title == "Floods in the valley"
    assert article.get_absolute_url() == "/2024/03/05/floods-in-the-valley/"
    assert article.published_at.isoformat() == "2024-03-05T09:30:00+00:00"  # 10:30 Brussels
    assert article.standfirst == "The river rose overnight."
    assert article.status == Article.Status.PUBLISHED
    assert article.section.slug == "world-news"
    assert sorted(article.tags.values_list("slug", flat=True)) == ["climate", "rivers"]
    assert [a.username for a in article.authors.all()] == ["alice"]
    assert article.comments_open
    assert (article.import_id, article.import_source) == ("4", "wordpress:wp.example.test")
    assert not Article.objects.get(slug="election-night").comments_open


def test_body_markup_translated_and_sanitised(imported):
    body = floods().body
    assert "wp:" not in body and "<!--" not in body and "more" not in body
    assert "<script" not in body and "onclick" not in body
    bridge = Image.objects.get(import_id="6")
    assert f'<figure data-image="{bridge.pk}"><figcaption>The old bridge at noon' in body
    assert (
        '<figure data-embed="youtube" data-url="https://www.youtube.com/watch?v=dQw4w9WgXcQ">'
        "<figcaption>The mayor's statement</figcaption></figure>"
    ) in body.replace("&#39;", "'")
    assert '<figure data-embed="vimeo" data-url="https://vimeo.com/76979871">' in body
    assert '<a href="https://example.org/not-a-provider"' in body
    assert "missing-photo" not in body and "<img" not in body


def test_pictures_go_to_the_library_with_their_words(imported):
    article = floods()
    lead = article.lead_library_image
    assert lead.import_id == "5"
    assert (lead.alt, lead.caption, lead.credit) == (
        "A flooded street with parked cars",
        "Water in Main Street on Tuesday.",
        "Jo Lens",
    )
    assert article.lead_image_alt == "A flooded street with parked cars"
    assert article.lead_image_caption == "Water in Main Street on Tuesday."
    assert article.lead_image_credit == "Jo Lens"
    assert article.lead_image.name == lead.file.name
    assert Image.objects.get(import_id="6").alt == "The old stone bridge under water"
    assert sorted(article.images.values_list("import_id", flat=True)) == ["5", "6"]


def test_missing_pictures_are_warnings_not_hotlinks(db):
    out = import_wordpress(media=None)
    assert "warning: post 4 (Floods in the valley): picture not found, left out: " in out
    assert "featured image not found" in out
    assert "missing-photo.jpg" in out
    assert not Image.objects.exists()
    assert "wp.example.test/wp-content" not in floods().body


@pytest.mark.parametrize(
    ("slug", "status"),
    [
        ("festival-preview", Article.Status.SCHEDULED),
        ("budget-draft", Article.Status.DRAFT),
        ("council-review", Article.Status.REVIEW),
        ("election-night", Article.Status.PUBLISHED),
    ],
)
def test_statuses_are_mapped(imported, slug, status):
    assert Article.objects.get(slug=slug).status == status


def test_private_trashed_posts_and_pages_are_left_out(imported):
    slugs = set(Article.objects.values_list("slug", flat=True))
    assert not {"staff-memo", "retracted-story", "about-us", "sample-page"} & slugs
    assert "posts        created 6  updated 0  unchanged 0  skipped 2" in imported
    assert "pages        created 0  updated 0  unchanged 0  skipped 3" in imported


def test_include_private_imports_them_unpublished(db):
    import_wordpress(include_private=True)
    for slug in ("staff-memo", "retracted-story"):
        assert Article.objects.get(slug=slug).status == Article.Status.UNPUBLISHED


def test_comment_fields_and_statuses(imported):
    comments = {c.name: c for c in Comment.objects.filter(article=floods())}
    first = comments["Reader 1"]
    assert first.body == "Level 1 says hello."
    assert first.email == "reader1@example.org"
    assert first.url == "https://reader1.example.org/"
    assert first.ip_address == "192.0.2.10"
    assert first.created_at.isoformat() == "2024-03-05T10:00:00+00:00"
    assert first.status == Comment.Status.APPROVED
    assert comments["Held Henry"].status == Comment.Status.PENDING
    assert comments["Rude Rita"].status == Comment.Status.REMOVED
    assert comments["Alice Martin"].user.username == "alice"
    assert set(Comment.objects.awaiting_moderation().values_list("name", flat=True)) == {
        "Held Henry"
    }


def test_threads_are_kept_deeper_levels_reply_one_level_up(imported):
    limit = DiscussionSettings.load().thread_depth
    assert limit == 5
    by_name = {c.name: c for c in Comment.objects.filter(article=floods())}
    for level in range(2, 6):
        reply, parent = by_name[f"Reader {level}"], by_name[f"Reader {level - 1}"]
        assert (reply.parent, reply.depth, reply.root) == (parent, level, by_name["Reader 1"])
    deepest = by_name["Reader 6"]
    assert deepest.parent == by_name["Reader 4"] and deepest.depth == 5
    assert deepest.replied_to == by_name["Reader 5"]
    assert deepest.in_reply_to_name == "Reader 5"
    assert by_name["Alice Martin"].parent == by_name["Reader 1"]


def test_pingbacks_and_trackbacks_are_skipped_and_counted(imported):
    assert not Comment.objects.filter(name__in=["Another blog", "Old blog"]).exists()
    assert "pingbacks    created 0  updated 0  unchanged 0  skipped 1" in imported
    assert "trackbacks   created 0  updated 0  unchanged 0  skipped 1" in imported


def test_the_import_sends_nothing(db, monkeypatch):
    queued = []
    monkeypatch.setattr(outbox, "enqueue", lambda task, *args: queued.append(task))
    import_wordpress()
    assert Comment.objects.filter(status=Comment.Status.PENDING).exists()
    assert mail.outbox == []
    assert queued == []  # no notification task (held comment, approved reply)
    assert not Subscription.objects.exists() and not ModerationLog.objects.exists()


def test_a_second_run_changes_nothing(imported):
    before = counts()
    versions = dict(Article.objects.values_list("pk", "version"))
    comments = list(Comment.objects.values_list("pk", "status", "body", "created_at"))
    again = import_wordpress()
    assert counts() == before
    assert dict(Article.objects.values_list("pk", "version")) == versions
    assert list(Comment.objects.values_list("pk", "status", "body", "created_at")) == comments
    assert re.findall(r"(?:created|updated) ([0-9]+)", again) == ["0"] * 2 * again.count("created")


def newer_export(tmp_path):
    text = WXR.read_text(encoding="utf-8")
    text = text.replace(
        "<![CDATA[Floods in the valley]]>", "<![CDATA[Floods in the whole valley]]>"
    )
    text = text.replace("Waiting for a moderator.", "Waiting for a moderator, still.")
    text = text.replace(
        "<wp:comment_approved><![CDATA[0]]>", "<wp:comment_approved><![CDATA[spam]]>"
    )
    newer = tmp_path / "newer.xml"
    newer.write_text(text, encoding="utf-8")
    return newer


def test_a_newer_export_updates_what_changed(imported, tmp_path):
    before = counts()
    out = import_wordpress(newer_export(tmp_path))
    assert counts() == before
    assert floods().title == "Floods in the whole valley"
    held = Comment.objects.get(name="Held Henry")
    assert (held.status, held.body) == (Comment.Status.SPAM, "Waiting for a moderator, still.")
    assert "posts        created 0  updated 1  unchanged 5" in out
    assert "comments     created 0  updated 1  unchanged 10" in out


def test_dry_run_writes_nothing(db, tmp_path, settings):
    out = import_wordpress(dry_run=True)
    assert "Dry run: nothing was written" in out
    assert "posts        created 6" in out
    assert all(n == 0 for name, n in counts().items() if name not in {"Section"})
    assert not Section.objects.exists()
    media = settings.MEDIA_ROOT
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


def test_a_truncated_file_stops_with_its_line_and_writes_nothing(db, tmp_path):
    text = WXR.read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(text[: len(text) * 2 // 3])
    with pytest.raises(CommandError, match=r"line [0-9]+: .*Nothing was written"):
        import_wordpress(cut)
    assert all(n == 0 for n in counts().values())


def test_a_malformed_file_names_the_line(db, tmp_path):
    lines = WXR.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if "Election night" in line)
    lines[at] = lines[at].replace("</title>", "</titel>")
    bad = tmp_path / "bad.xml"
    bad.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CommandError, match=f"line {at + 1}: mismatched tag"):
        import_wordpress(bad)
    assert not Article.objects.exists()


def test_a_picture_path_cannot_leave_the_media_folder(db, tmp_path):
    text = WXR.read_text(encoding="utf-8").replace(
        "<![CDATA[2024/03/flood.png]]>", "<![CDATA[../../outside.png]]>"
    )
    (tmp_path / "media" / "a" / "b").mkdir(parents=True)
    (tmp_path / "media" / "outside.png").write_bytes((UPLOADS / "2024/03/flood.png").read_bytes())
    crafted = tmp_path / "crafted.xml"
    crafted.write_text(text, encoding="utf-8")
    import_wordpress(crafted, media=tmp_path / "media" / "a" / "b")
    assert not Image.objects.filter(import_id="5").exists()


def test_imported_articles_reach_cached_listings_and_the_schedule(client, settings):
    from articles.scheduling import next_go_live
    from core import pagecache

    settings.PAGECACHE_ENABLED = True
    settings.PAGECACHE_RACE_MARGIN = 0
    pagecache.forget_local()
    assert next_go_live() is None  # cached: nothing scheduled
    assert "Floods in the valley" not in client.get("/").content.decode()
    import_wordpress()
    assert "Floods in the valley" in client.get("/").content.decode()
    assert next_go_live() == Article.objects.get(slug="festival-preview").published_at


def test_a_registered_commenter_is_linked_by_email_a_guest_is_not(db, tmp_path):
    User = get_user_model()
    member = User.objects.create_user("r1", "Reader1@example.org", "pw")
    User.objects.create_user("r2", "reader2@example.org", "pw")
    text = WXR.read_text(encoding="utf-8")
    # Reader 1 was logged in on WordPress (a subscriber: not among the export's authors).
    first = text.index("<wp:comment_author_email><![CDATA[reader1@example.org]]>")
    cut = text.index("<wp:comment_user_id>0</wp:comment_user_id>", first)
    text = text[:cut] + "<wp:comment_user_id>77</wp:comment_user_id>" + text[cut + 42 :]
    path = tmp_path / "members.xml"
    path.write_text(text, encoding="utf-8")
    import_wordpress(path)
    assert Comment.objects.get(name="Reader 1").user == member
    assert Comment.objects.get(name="Reader 2").user is None  # a guest who typed an address


def test_a_picture_no_attachment_names_is_found_by_its_path(db, tmp_path):
    media = tmp_path / "uploads"
    (media / "2023/01").mkdir(parents=True)
    (media / "2023/01/map.png").write_bytes((UPLOADS / "2024/03/bridge.png").read_bytes())
    text = WXR.read_text(encoding="utf-8").replace(
        "http://wp.example.test/wp-content/uploads/2024/03/missing-photo.jpg",
        "http://wp.example.test/wp-content/uploads/2023/01/map-300x200.png",
    )
    path = tmp_path / "unattached.xml"
    path.write_text(text, encoding="utf-8")
    import_wordpress(path, media=media)
    image = Image.objects.get(import_id__startswith="file:")
    assert image.title == "map"
    assert f'<figure data-image="{image.pk}">' in floods().body
    import_wordpress(path, media=media)
    assert Image.objects.filter(import_id__startswith="file:").count() == 1


def test_a_rerun_keeps_an_editors_edit_and_a_moderators_decision(imported, tmp_path):
    """The newer export changes the floods post's title and Held Henry's comment (now spam,
    new text). An editor edited another post in Newsroom and a moderator approved Henry's
    comment: the re-run updates the floods post and keeps both changes made here."""
    from comments.moderation import comment_moderate
    from tests.comments.helpers import make_moderator

    edited = Article.objects.get(slug="election-night")
    edited.title = "Election night, as our editor rewrote it"
    edited.body = "<p>The editor's own text.</p>"
    edited.save()
    held = Comment.objects.get(name="Held Henry")
    comment_moderate(comment=held, moderator=make_moderator(), action="approve")
    out = import_wordpress(newer_export(tmp_path))
    assert floods().title == "Floods in the whole valley"  # changed only in WordPress
    edited.refresh_from_db()
    assert edited.title == "Election night, as our editor rewrote it"
    assert edited.body == "<p>The editor's own text.</p>"
    held.refresh_from_db()
    assert (held.status, held.body) == (Comment.Status.APPROVED, "Waiting for a moderator.")
    assert re.search(r"posts +created 0  updated 1  unchanged 4  skipped \d+  kept 1", out)
    assert re.search(r"comments +created 0  updated 0  unchanged 10  skipped \d+  kept 1", out)
    assert "changed in Newsroom since it was imported; kept as it is" in out
    again = import_wordpress(newer_export(tmp_path))  # and on every later run
    edited.refresh_from_db()
    assert edited.title == "Election night, as our editor rewrote it"
    assert "kept 1" in again


def test_a_rerun_after_an_erasure_does_not_bring_the_details_back(imported, tmp_path):
    henry = Comment.objects.get(name="Held Henry")
    Comment.objects.filter(pk=henry.pk).update(name="", email="", ip_address=None)
    import_wordpress()
    henry.refresh_from_db()
    assert (henry.name, henry.email, henry.ip_address) == ("", "", None)


def test_a_rerun_does_not_bring_back_what_was_deleted_here(imported, tmp_path):
    """A moderator deleted a comment, an editor a post and then its pictures from the
    library: re-runs, with the same export or a newer one, leave them deleted and say so;
    deleting the post's record in the admin's list lets the next re-run import it again
    (without the pictures, still deleted)."""
    from core.models import ImportDeletion

    election = Article.objects.get(slug="election-night")
    comment = Comment.objects.filter(article=election).exclude(import_id="").first()
    comment.delete()
    floods().delete()  # its comments go with it
    pictures = list(Image.objects.exclude(import_id="").values_list("import_id", flat=True))
    assert pictures
    Image.objects.filter(import_id__in=pictures).delete()
    before = counts()
    out = import_wordpress(newer_export(tmp_path))
    assert counts() == before
    assert not Article.objects.filter(slug__startswith="floods-in-the").exists()
    assert not Comment.objects.filter(import_id=comment.import_id).exists()
    assert re.search(r"posts +created 0 .* deleted 1", out), out
    assert re.search(r"comments +created 0 .* deleted 1", out), out
    assert "deleted in Newsroom since it was imported; not brought back" in out

    ImportDeletion.objects.filter(model="articles.article").delete()
    out = import_wordpress(newer_export(tmp_path))
    assert Article.objects.get(import_id="4").title == "Floods in the whole valley"
    assert Comment.objects.filter(article__import_id="4").exists()  # back with their post
    assert not Image.objects.filter(import_id__in=pictures).exists()
    assert re.search(rf"images +created 0 .* deleted {len(pictures)}", out), out
    assert "deleted from the library in Newsroom since it was imported" in out


def test_deleting_a_row_made_here_leaves_no_record(db):
    from core.models import ImportDeletion
    from tests.factories import make_article

    make_article().delete()
    assert not ImportDeletion.objects.exists()
