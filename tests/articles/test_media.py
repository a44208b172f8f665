"""The media library: uploads for the body editor, references in the body, rendering,
the publish checklist, edit rights and deleting an image in use."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage

from articles import media, services
from articles.models import Article, Image, ImageUse
from articles.sanitize import clean_html
from tests.articles.test_images import GPS_IFD, exif_with_gps
from tests.articles.test_views import COMMENT_SECTION_QUERIES
from tests.factories import (
    make_article,
    make_image_bytes,
    make_member,
    make_ready_draft,
    make_user,
)

pytestmark = pytest.mark.django_db
UPLOAD_URL = reverse("admin:articles_image_upload")
LIBRARY_URL = reverse("admin:articles_image_library")


def jpeg(name="photo.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_image_bytes(**kwargs), content_type="image/jpeg")


def upload(by, **kwargs) -> Image:
    kwargs.setdefault("file", jpeg(size=(1000, 600)))
    kwargs.setdefault("alt", "A red square")
    return media.image_upload(by=by, **kwargs)


def stored_files(image: Image) -> list[bytes]:
    names = [image.file.name] + [n for kind in ("webp", "jpeg") for _, n in image.renditions[kind]]
    return [default_storage.open(name).read() for name in names]


# Upload endpoint


def test_reporter_uploads_a_jpeg_and_gets_its_id_and_thumbnail(client):
    reporter = make_member("Reporter")
    client.force_login(reporter)
    raw = make_image_bytes(size=(1000, 600), exif=exif_with_gps())
    file = SimpleUploadedFile("beach.jpg", raw, content_type="image/jpeg")
    response = client.post(UPLOAD_URL, {"file": file, "alt": "Waves on a beach"})
    assert response.status_code == 201, response.content
    data = response.json()
    image = Image.objects.get(pk=data["id"])
    assert data["thumbnail"].startswith("/media/") and image.uploaded_by == reporter
    assert image.alt == "Waves on a beach" and image.title == "beach"
    for stored in stored_files(image):
        assert not PILImage.open(io.BytesIO(stored)).getexif().get_ifd(GPS_IFD)
        assert b"PhoneMaker" not in stored


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("notes.jpg", b"just some text", "not an image"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>', ""),
        ("both.jpg", make_image_bytes() + b"<html><script>alert(1)</script></html>", "HTML"),
        ("anim.gif", make_image_bytes(fmt="GIF"), "GIF images are not accepted"),
    ],
    ids=["text", "svg", "polyglot", "gif"],
)
def test_bad_uploads_answer_400_with_a_message(client, name, data, message):
    client.force_login(make_member("Reporter"))
    response = client.post(UPLOAD_URL, {"file": SimpleUploadedFile(name, data), "alt": "x"})
    assert response.status_code == 400
    assert message in response.json()["error"] and response.json()["error"]
    assert not Image.objects.exists()


def test_too_big_an_upload_answers_400(client, settings):
    settings.ARTICLES_IMAGE_MAX_BYTES = 1000
    client.force_login(make_member("Reporter"))
    response = client.post(UPLOAD_URL, {"file": jpeg(size=(800, 800))})
    assert response.status_code == 400 and "limit" in response.json()["error"]


def test_upload_needs_staff_and_a_csrf_token():
    member = make_member("Reporter")
    reader = make_user()
    client = Client()
    client.force_login(reader)
    assert client.post(UPLOAD_URL, {"file": jpeg()}).status_code == 302  # to the login
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    assert strict.post(UPLOAD_URL, {"file": jpeg()}).status_code == 403
    assert not Image.objects.exists()


def test_upload_service_refuses_a_user_without_the_permission():
    moderator = make_member("Moderator")
    with pytest.raises(Exception, match="may not upload"):
        upload(moderator)


def test_library_lists_and_searches_images(client):
    reporter = make_member("Reporter")
    upload(reporter, title="Harbour at dawn")
    upload(reporter, title="Parliament")
    client.force_login(reporter)
    titles = [i["title"] for i in client.get(LIBRARY_URL, {"q": "harbour"}).json()["images"]]
    assert titles == ["Harbour at dawn"]


# The body's reference


def test_sanitiser_keeps_an_integer_image_reference_only():
    kept = '<figure data-image="42"><figcaption>Caption</figcaption></figure>'
    assert clean_html(kept) == kept
    assert clean_html('<figure data-image="4 2" onclick="x()">a</figure>') == "<figure>a</figure>"
    assert clean_html('<figure data-image="-1">a</figure>') == "<figure>a</figure>"
    assert clean_html('<figure data-image="1e3">a</figure>') == "<figure>a</figure>"


def test_sanitiser_drops_raw_images_from_other_hosts():
    assert "<img" not in clean_html('<p><img src="https://evil.example/x.png" alt="x"></p>')


def body_with(*images) -> str:
    return "".join(
        f'<p>Text {i}</p><figure data-image="{image.pk}"><figcaption>Caption {i}</figcaption>'
        "</figure>"
        for i, image in enumerate(images)
    )


def test_saving_an_article_records_where_its_images_are_used():
    reporter = make_member("Reporter")
    first, second = upload(reporter), upload(reporter)
    article = make_article(body=body_with(first, second))
    assert set(article.images.all()) == {first, second}
    article.body = body_with(second)
    article.save()
    assert list(ImageUse.objects.filter(article=article).values_list("image", flat=True)) == [
        second.pk
    ]


def test_article_page_renders_body_images_with_srcset(client):
    reporter = make_member("Reporter")
    first = upload(reporter, credit="Ann Lee")
    second = upload(reporter, alt="", is_decorative=True)
    article = make_article(body=body_with(first, second))
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count('class="body-image') == 2
    assert 'type="image/webp"' in html and "480w" in html
    assert 'alt="A red square"' in html and 'alt=""' in html
    assert 'width="1000" height="600" alt="A red square" loading="lazy"' in html
    assert 'Caption 0 <span class="credit">Photo: Ann Lee</span>' in html
    assert "data-image" not in html


@pytest.mark.parametrize("count", [1, 2, 6])
def test_article_page_reads_all_body_images_in_one_query(client, django_assert_num_queries, count):
    reporter = make_member("Reporter")
    article = make_article(body=body_with(*[upload(reporter) for _ in range(count)]))
    url = article.get_absolute_url()
    # The same budget as any article page (tests/articles/test_views.py): one query for the
    # library images, however many the body shows (no section or tag: no related query; no
    # tag or correction: no read for them). Article + section, authors, the body images.
    with django_assert_num_queries(3 + COMMENT_SECTION_QUERIES) as queries:
        assert client.get(url).content.decode().count('class="body-image') == count
    assert sum('FROM "articles_image"' in q["sql"] for q in queries.captured_queries) == 1


@pytest.mark.usefixtures("fragments_only")
def test_the_kept_article_keeps_its_images(client, django_assert_num_queries):
    """Past the page cache (a logged-in reader), the kept article brings its pictures."""
    reporter = make_member("Reporter")
    article = make_article(body=body_with(upload(reporter), upload(reporter)))
    url = article.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url).content.decode().count('class="body-image') == 2


def test_changing_an_image_changes_every_article_that_uses_it(client, settings):
    settings.PAGECACHE_FRAGMENTS = True
    editor = make_member("Editor")
    image = upload(editor)
    article = make_article(body=body_with(image))
    assert 'alt="A red square"' in client.get(article.get_absolute_url()).content.decode()
    image.alt = "A blue square"
    image.save()
    media.image_changed(image=image)
    assert 'alt="A blue square"' in client.get(article.get_absolute_url()).content.decode()


# The publish checklist


def test_checklist_lists_a_body_image_without_alt_text():
    reporter = make_member("Reporter")
    bare = upload(reporter, alt="", title="Crowd")
    decorative = upload(reporter, alt="", is_decorative=True, title="Pattern")
    article = make_ready_draft(body=body_with(bare, decorative))
    missing = services.publish_checklist(article)
    assert any("Crowd" in item for item in missing)
    assert not any("Pattern" in item for item in missing)
    with pytest.raises(ValidationError, match="Crowd"):
        services.article_publish(article=article, by=make_member("Editor"))


# Rights and deletion


def test_reporters_edit_their_own_uploads_editors_edit_all(client):
    owner, other = make_member("Reporter"), make_member("Reporter")
    image = upload(owner)
    change = reverse("admin:articles_image_change", args=[image.pk])
    client.force_login(other)
    response = client.post(
        change, {"title": "Mine now", "alt": "x", "focal_x": 0.5, "focal_y": 0.5}
    )
    assert response.status_code in {302, 403} and Image.objects.get().title != "Mine now"
    client.force_login(make_member("Editor"))
    data = {"title": "Retitled", "alt": "x", "focal_x": 0.2, "focal_y": 0.8}
    assert client.post(change, data).status_code == 302
    image.refresh_from_db()
    assert (image.title, image.focal_x, image.focal_y) == ("Retitled", 0.2, 0.8)


def test_an_image_in_use_cannot_be_deleted_without_seeing_where(client):
    editor = make_member("Editor")
    image = upload(editor)
    make_article(title="Harbour strike", body=body_with(image))
    client.force_login(editor)
    delete = reverse("admin:articles_image_delete", args=[image.pk])
    page = client.get(delete).content.decode()
    assert "Harbour strike" in page
    client.post(delete, {"post": "yes"})
    assert Image.objects.filter(pk=image.pk).exists()
    with pytest.raises(ValidationError, match="Harbour strike"):
        media.image_delete(image=image, by=editor)


def test_an_unused_image_is_deleted_with_its_file():
    reporter = make_member("Reporter")
    image = upload(reporter)
    name = image.file.name
    media.image_delete(image=image, by=reporter)
    assert not Image.objects.exists() and not default_storage.exists(name)


def test_a_reporter_cannot_delete_another_reporters_image():
    image = upload(make_member("Reporter"))
    with pytest.raises(Exception, match="own uploads"):
        media.image_delete(image=image, by=make_member("Reporter"))


# Focal point and the lead image from the library


def test_focal_crop_box_keeps_the_focal_point_inside_the_picture():
    from articles.images import focal_crop_box

    assert focal_crop_box(2000, 1000, 1.0, 0.9, 0.5) == (1000, 0, 2000, 1000)  # right edge
    assert focal_crop_box(2000, 1000, 1.0, 0.5, 0.5) == (500, 0, 1500, 1000)
    assert focal_crop_box(1000, 1000, 2.0, 0.5, 0.0) == (0, 0, 1000, 500)  # top edge


def test_setting_the_focal_point_in_the_admin_recrops_the_social_card(client):
    editor = make_member("Editor")
    image = upload(editor, file=jpeg(size=(2000, 1000)))
    first = image.renditions["card"]
    client.force_login(editor)
    change = reverse("admin:articles_image_change", args=[image.pk])
    data = {"title": image.title, "alt": "x", "focal_x": 0.9, "focal_y": 0.5}
    assert client.post(change, data).status_code == 302
    image.refresh_from_db()
    assert image.renditions["card"] != first
    card = PILImage.open(default_storage.open(image.renditions["card"]))
    assert card.size == (1200, 630) or card.width / card.height == pytest.approx(1.905, 0.01)


def test_a_lead_image_from_the_library_brings_its_file_words_and_card(client):
    editor = make_member("Editor")
    image = upload(editor, alt="The harbour", caption="At dawn", credit="Ann Lee")
    article = make_article(lead_library_image=image)
    assert article.lead_image.name == image.file.name
    assert (article.lead_image_alt, article.lead_image_credit) == ("The harbour", "Ann Lee")
    assert ImageUse.objects.get(article=article).role == ImageUse.Role.LEAD
    html = client.get(article.get_absolute_url()).content.decode()
    assert image.renditions["card"] in html  # og:image: the crop around the focal point
    delete = reverse("admin:articles_image_delete", args=[image.pk])
    client.force_login(editor)
    assert article.title in client.get(delete).content.decode()


def test_the_library_add_form_checks_the_file_like_the_editor_upload(client):
    reporter = make_member("Reporter")
    client.force_login(reporter)
    add = reverse("admin:articles_image_add")
    raw = make_image_bytes(size=(900, 600), exif=exif_with_gps())
    data = {"title": "Pier", "alt": "A pier", "focal_x": 0.5, "focal_y": 0.5}
    svg = SimpleUploadedFile("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    page = client.post(add, {**data, "upload": svg}).content.decode()
    assert "not an image" in page and not Image.objects.exists()
    response = client.post(add, {**data, "upload": SimpleUploadedFile("pier.jpg", raw)})
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.uploaded_by == reporter and image.renditions["card"]
    for stored in stored_files(image):
        assert not PILImage.open(io.BytesIO(stored)).getexif().get_ifd(GPS_IFD)


def test_the_library_list_shows_thumbnails_and_searches(client):
    editor = make_member("Editor")
    upload(editor, title="Harbour at dawn")
    upload(editor, title="Parliament", alt="")
    client.force_login(editor)
    url = reverse("admin:articles_image_changelist")
    html = client.get(url, {"q": "harbour"}).content.decode()
    assert "Harbour at dawn" in html and "Parliament" not in html
    assert 'class="library-thumb"' in html
    missing = client.get(url, {"alt": "missing"}).content.decode()
    assert "Parliament" in missing and "Harbour at dawn" not in missing


def test_an_uploaded_lead_image_joins_the_library_and_a_new_upload_replaces_it(client):
    from tests.articles.test_admin import ADD_URL, change_url, form_data

    reporter = make_member("Reporter")
    client.force_login(reporter)
    data = form_data(lead_image=jpeg(size=(900, 600)), lead_image_caption="The council")
    assert client.post(ADD_URL, data).status_code == 302
    article = Article.objects.get(slug="council-meets")
    image = Image.objects.get()
    assert article.lead_library_image == image and image.file.name == article.lead_image.name
    assert (image.uploaded_by, image.alt, image.width) == (reporter, "The council table", 900)
    assert ImageUse.objects.get().role == ImageUse.Role.LEAD
    # A new file replaces the library pick: the article's lead is the new upload.
    data = form_data(
        lead_image=jpeg(size=(800, 500)),
        lead_library_image=image.pk,
        edited_version=article.version,
    )
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.lead_image_width == 800 and article.lead_library_image != image
    assert Image.objects.count() == 2


def test_a_read_only_article_shows_its_body_pictures_in_the_admin(client):
    reporter = make_member("Reporter")
    image = upload(reporter)
    article = make_ready_draft(authors=[reporter], created_by=reporter, body=body_with(image))
    services.article_submit(article=article, by=reporter)
    client.force_login(reporter)
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'class="body-image' in html and 'alt="A red square"' in html
