"""Avatar uploads: checked by content, capped, EXIF stripped, made once in a few sizes."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from PIL import Image

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def image_bytes(fmt="JPEG", size=(300, 200), exif=None, colour="red") -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, colour)
    if exif is not None:
        image.save(buffer, fmt, exif=exif)
    else:
        image.save(buffer, fmt)
    return buffer.getvalue()


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show upright
    return exif


def post_profile(client, upload=None, **data):
    payload = {"display_name": "Ann Reader", "bio": "Hello", "website": ""} | data
    if upload is not None:
        payload["avatar_upload"] = upload
    return client.post(reverse("accounts:profile"), payload)


def test_profile_edit_saves_fields(client):
    user = make_user()
    client.force_login(user)
    response = post_profile(client, website="https://ann.example/")
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.website) == (
        "Ann Reader",
        "Hello",
        "https://ann.example/",
    )


def test_upload_makes_each_size_once_without_exif(client, settings):
    user = make_user()
    client.force_login(user)
    upload = SimpleUploadedFile("me.jpg", image_bytes(exif=gps_exif()), "image/jpeg")
    assert post_profile(client, upload).status_code == 302
    user.refresh_from_db()
    assert user.avatar.name.endswith("-256.jpg")
    for size in settings.ACCOUNTS_AVATAR_SIZES:
        name = user.avatar.name.replace("-256.jpg", f"-{size}.jpg")
        with default_storage.open(name) as stored, Image.open(stored) as image:
            assert image.size == (size, size)
            assert image.format == "JPEG"
            assert not image.getexif()  # metadata gone
            assert "exif" not in image.info


def test_upload_is_turned_upright_by_exif_orientation(client):
    user = make_user()
    client.force_login(user)
    # A tall red/blue image stored sideways: orientation 6 says "rotate to show".
    buffer = io.BytesIO()
    image = Image.new("RGB", (200, 100), "red")
    image.paste(Image.new("RGB", (100, 100), "blue"), (100, 0))
    image.save(buffer, "JPEG", exif=gps_exif())
    post_profile(client, SimpleUploadedFile("s.jpg", buffer.getvalue(), "image/jpeg"))
    user.refresh_from_db()
    with default_storage.open(user.avatar.name) as stored, Image.open(stored) as result:
        top = result.convert("RGB").getpixel((128, 5))
        assert top[2] < 100 and top[0] > 150  # after rotating, red is on top


def test_text_file_named_jpg_is_refused_with_a_message(client):
    user = make_user()
    client.force_login(user)
    upload = SimpleUploadedFile("evil.jpg", b"<script>alert(1)</script>", "image/jpeg")
    response = post_profile(client, upload, bio="kept text")
    html = response.content.decode()
    assert response.status_code == 200
    assert "This file is not an image we can read." in html
    assert "kept text" in html  # nothing typed is lost
    user.refresh_from_db()
    assert not user.avatar


def test_svg_is_refused(client):
    client.force_login(make_user())
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = post_profile(client, SimpleUploadedFile("a.svg", svg, "image/svg+xml"))
    assert "This file is not an image we can read." in response.content.decode()


def test_too_many_bytes_is_refused(client, settings):
    settings.ACCOUNTS_AVATAR_MAX_BYTES = 1000
    client.force_login(make_user())
    upload = SimpleUploadedFile("big.png", image_bytes("PNG", (400, 400)) + b"\0" * 2000)
    response = post_profile(client, upload)
    assert "The image is too large: at most 0 KB." in response.content.decode()


def test_too_many_pixels_is_refused_before_decoding(client, settings):
    settings.ACCOUNTS_AVATAR_MAX_PIXELS = 100 * 100
    client.force_login(make_user())
    upload = SimpleUploadedFile("wide.png", image_bytes("PNG", (101, 100)))
    response = post_profile(client, upload)
    assert "The image has too many pixels." in response.content.decode()


def test_bmp_is_refused_as_format(client):
    client.force_login(make_user())
    response = post_profile(client, SimpleUploadedFile("a.bmp", image_bytes("BMP", (10, 10))))
    assert "Upload a JPEG, PNG, GIF or WebP image." in response.content.decode()


def test_new_avatar_replaces_old_files(client, django_capture_on_commit_callbacks):
    user = make_user()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        post_profile(client, SimpleUploadedFile("a.png", image_bytes("PNG")))
    user.refresh_from_db()
    first = user.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        post_profile(client, SimpleUploadedFile("b.png", image_bytes("PNG", colour="blue")))
    user.refresh_from_db()
    assert user.avatar.name != first
    assert not default_storage.exists(first)
    assert default_storage.exists(user.avatar.name)


def render_avatar(user, size):
    return Template("{% load accounts_tags %}{% avatar user size %}").render(
        Context({"user": user, "size": size})
    )


def test_avatar_tag_picks_the_nearest_stored_size(client):
    user = make_user()
    client.force_login(user)
    post_profile(client, SimpleUploadedFile("a.png", image_bytes("PNG")))
    user.refresh_from_db()
    html = render_avatar(user, 40)
    assert "-48.jpg" in html
    assert 'width="40"' in html
    assert "-256.jpg" in render_avatar(user, 120)


def test_avatar_tag_falls_back_to_initials_svg(client):
    user = make_user(display_name="Zoë van Densky")
    html = render_avatar(user, 48)
    url = reverse("accounts:initials", kwargs={"initials": "ZV"})
    assert f'src="{url}"' in html
    svg = client.get(url)
    assert svg["Content-Type"] == "image/svg+xml"
    assert ">ZV</text>" in svg.content.decode()


def test_initials_svg_escapes_markup(client):
    svg = client.get(reverse("accounts:initials", kwargs={"initials": "<s"})).content.decode()
    assert "<s" not in svg.replace("<svg", "")
    assert "&lt;S" in svg


def test_avatar_tag_can_use_gravatar(settings):
    settings.ACCOUNTS_AVATAR_FALLBACK = "gravatar"
    html = render_avatar(make_user(email=" Ann@Example.com "), 48)
    assert "https://www.gravatar.com/avatar/" in html
    assert "s=48" in html


@pytest.mark.parametrize("count", [3, 30])
def test_avatar_tag_needs_no_queries_however_many_users(django_assert_num_queries, count):
    users = [make_user(display_name=f"Reader {n}") for n in range(count)]
    template = Template("{% load accounts_tags %}{% for u in users %}{% avatar u 48 %}{% endfor %}")
    with django_assert_num_queries(0):
        html = template.render(Context({"users": users}))
    assert html.count("<img") == count
