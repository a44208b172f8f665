import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.images import image_clean_upload
from articles.models import Article
from tests.articles.test_admin import form_data
from tests.factories import make_image_bytes, make_image_file, make_member, make_ready_draft

pytestmark = pytest.mark.django_db
GPS_IFD = 0x8825


def exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (50.0, 50.0, 0.0), 3: "E", 4: (4.0, 21.0, 0.0)})
    return exif


def test_gps_exif_is_stripped_on_upload():
    raw = make_image_bytes(exif=exif_with_gps())
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(GPS_IFD)  # the fixture really has GPS
    data = image_clean_upload(SimpleUploadedFile("p.jpg", raw)).read()
    image = Image.open(io.BytesIO(data))
    assert not image.getexif() and "exif" not in image.info
    assert b"PhoneMaker" not in data


def test_image_checked_by_content_not_by_extension():
    with pytest.raises(ValidationError, match="not an image"):
        image_clean_upload(SimpleUploadedFile("evil.jpg", b"<script>alert(1)</script>"))


def test_png_named_jpg_is_stored_as_png():
    cleaned = image_clean_upload(SimpleUploadedFile("shot.jpg", make_image_bytes(fmt="PNG")))
    assert cleaned.name == "shot.png"


def test_gif_is_refused_with_the_accepted_formats():
    with pytest.raises(ValidationError, match="GIF images are not accepted"):
        image_clean_upload(SimpleUploadedFile("a.gif", make_image_bytes(fmt="GIF")))


def test_too_many_bytes_is_refused(settings):
    settings.ARTICLES_IMAGE_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="the limit is"):
        image_clean_upload(make_image_file())


def test_too_many_pixels_is_refused(settings):
    settings.ARTICLES_IMAGE_MAX_PIXELS = 1000
    with pytest.raises(ValidationError, match="64×48 pixels"):
        image_clean_upload(make_image_file())


def test_renditions_are_webp_and_jpeg_at_each_smaller_width(settings):
    settings.ARTICLES_IMAGE_WIDTHS = [40, 800]
    article = make_ready_draft(lead_image=make_image_file(size=(120, 90)))
    renditions = article.lead_image_renditions
    assert [w for w, _ in renditions["webp"]] == [40, 120]
    assert [w for w, _ in renditions["jpeg"]] == [40, 120]
    with default_storage.open(renditions["webp"][0][1]) as stored:
        image = Image.open(stored)
        assert (image.format, image.size) == ("WEBP", (40, 30))


def test_renditions_are_made_once_not_on_every_save_or_request(client, settings):
    article = make_ready_draft()
    first = dict(article.lead_image_renditions)
    name = first["webp"][0][1]
    mtime = default_storage.get_modified_time(name)
    article.title = "Changed"
    article.save()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    client.get(article.get_absolute_url())
    article.refresh_from_db()
    assert article.lead_image_renditions == first
    assert default_storage.get_modified_time(name) == mtime


def test_admin_upload_with_gps_reaches_readers_without_it(client):
    client.force_login(make_member("Reporter"))
    upload = SimpleUploadedFile("gps.jpg", make_image_bytes(exif=exif_with_gps()))
    client.post(reverse("admin:articles_article_add"), form_data(lead_image=upload))
    article = Article.objects.get(slug="council-meets")
    with article.lead_image.open("rb") as stored:
        assert not Image.open(stored).getexif()
    for _, name in article.lead_image_renditions["jpeg"]:
        with default_storage.open(name) as stored:
            assert not Image.open(stored).getexif()


def test_admin_refuses_a_fake_image_with_a_message_and_keeps_the_text(client):
    client.force_login(make_member("Reporter"))
    upload = SimpleUploadedFile("fake.jpg", b"not an image at all")
    response = client.post(
        reverse("admin:articles_article_add"), form_data(lead_image=upload, title="Kept title")
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Article.objects.exists()
    assert "Upload a valid image" in html or "not an image" in html
    assert 'value="Kept title"' in html
