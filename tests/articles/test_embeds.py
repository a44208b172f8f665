"""Embeds (issue 15): strict address parsing, the editor's check, posters fetched on save,
the sanitiser's rules for the reference, the facade made at render time, the CSP."""

import copy
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from articles.embeds import embed_parse, embed_resolve, embeds_render
from articles.sanitize import clean_html
from tests.factories import make_article, make_member, make_user
from tests.oembed import oembed_serve


@pytest.fixture
def oembed_server(settings):
    yield from oembed_serve(settings)


pytestmark = pytest.mark.django_db

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
YT = '<figure data-embed="youtube"'
REFERENCE = f'<figure data-embed="youtube" data-url="{VIDEO}" data-title="A song"></figure>'


@pytest.mark.parametrize(
    ("url", "provider", "frame"),
    [
        (VIDEO, "youtube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ", "youtube", "https://www.youtube-nocookie.com/embed/"),
        ("https://vimeo.com/76979871", "vimeo", "https://player.vimeo.com/video/76979871"),
        ("https://x.com/jack/status/20", "x", "https://platform.twitter.com/embed/"),
        ("https://bsky.app/profile/a.bsky.social/post/3l6ov", "bluesky", "https://embed.bsky"),
        ("https://mastodon.social/@Gargron/109", "mastodon", "https://mastodon.social/@Gargron/"),
        ("https://www.instagram.com/p/CxYz123/", "instagram", "https://www.instagram.com/p/"),
        ("https://datawrapper.dwcdn.net/AbC12/3/", "datawrapper", "https://datawrapper.dwcdn"),
        ("https://public.flourish.studio/visualisation/12/", "flourish", "https://flo.uri.sh/"),
        ("https://umap.openstreetmap.fr/fr/map/carte_12", "umap", "https://umap.openstreetmap"),
        ("https://soundcloud.com/someone/a-track", "soundcloud", "https://w.soundcloud.com/"),
        ("https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC", "spotify", "https://open.sp"),
        ("/media/documents/report.pdf", "pdf", "/media/documents/report.pdf"),
    ],
)
def test_known_providers_are_recognised(url, provider, frame):
    embed = embed_parse(url)
    assert embed.provider == provider
    assert embed.frame_url.startswith(frame)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://example.com/watch?v=dQw4w9WgXcQ", "known providers only"),
        ("javascript:alert(1)", "Only https://"),
        ("data:text/html,<script>alert(1)</script>", "not HTML code"),
        ("data:text/html;base64,PHNjcmlwdD4=", "Only https://"),
        ("http://www.youtube.com/watch?v=dQw4w9WgXcQ", "Only https://"),
        ('<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>', "not HTML code"),
        ("https://www.youtube.com/watch?v=" + "a" * 600, "the limit is 500"),
        ("https://user:pw@www.youtube.com/watch?v=dQw4w9WgXcQ", "user name, password or port"),
        ("https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ", "user name, password or port"),
        ("https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ", "known providers only"),
        ("https://evil.example/?www.youtube.com/watch?v=dQw4w9WgXcQ", "known providers only"),
        ("https://www.youtube.com./watch?v=dQw4w9WgXcQ", "known providers only"),
        ("https://www.youtube.com/feed/trending", "does not point to something"),
        ('https://www.youtube.com/watch?v=dQw4w9WgXcQ"onload=x', "characters"),
        ("//www.youtube.com/watch?v=dQw4w9WgXcQ", "Only https://"),
        ("/media/../secret.pdf", "known providers only"),
        ("", "Paste the address"),
    ],
)
def test_bad_addresses_are_refused_with_a_reason(url, words):
    with pytest.raises(ValidationError) as refused:
        embed_parse(url)
    assert words in " ".join(refused.value.messages)


# --- The editor's check: staff only, CSRF, a message for each refusal --------------------


def test_editor_check_answers_the_embed_data(client, oembed_server):
    client.force_login(make_member("Reporter"))
    response = client.post(reverse("admin:articles_article_embed"), {"url": VIDEO})
    assert response.status_code == 200
    embed = response.json()["embed"]
    assert embed["provider"] == "youtube" and embed["url"] == VIDEO
    assert embed["title"] == "Video at dQw4w9WgXcQ"
    assert re.fullmatch(r"embeds/youtube-[0-9a-f]{20}\.jpg", embed["poster"])
    assert default_storage.exists(embed["poster"])


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/video",
        "javascript:alert(1)",
        "data:text/html,hello",
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>',
        "https://www.youtube.com/watch?v=" + "a" * 600,
    ],
)
def test_editor_check_refuses_bad_input_with_a_message(client, url):
    client.force_login(make_member("Reporter"))
    response = client.post(reverse("admin:articles_article_embed"), {"url": url})
    assert response.status_code == 400
    assert response.json()["error"]


def test_editor_check_is_for_staff_only(client):
    url = reverse("admin:articles_article_embed")
    assert client.post(url, {"url": VIDEO}).status_code == 302  # to the login
    client.force_login(make_user())
    assert client.post(url, {"url": VIDEO}).status_code == 302
    client.force_login(make_member("Moderator"))
    assert client.post(url, {"url": VIDEO}).status_code == 403


def test_editor_check_needs_the_csrf_token():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_member("Reporter"))
    assert client.post(reverse("admin:articles_article_embed"), {"url": VIDEO}).status_code == 403


# --- The poster: fetched on save when reachable, checked as an upload --------------------


def test_poster_is_checked_like_an_upload_and_stored(oembed_server):
    embed = embed_resolve(VIDEO)
    with default_storage.open(embed["poster"]) as stored:
        image = Image.open(stored)
        assert (image.format, image.size) == ("JPEG", (320, 180))
    assert [p.split("?")[0] for p in oembed_server.requests] == ["/oembed", "/thumb.jpg"]


@pytest.mark.parametrize("answer", ["not-image", "not-json", "slow"])
def test_bad_or_slow_provider_gives_a_plain_card_saved_anyway(oembed_server, answer):
    oembed_server.answer = answer
    embed = embed_resolve(VIDEO)
    assert embed["provider"] == "youtube" and embed["poster"] == ""
    assert not default_storage.exists("embeds")


def test_unreachable_provider_gives_a_plain_card(settings, closed_port):
    providers = copy.deepcopy(settings.EMBED_PROVIDERS)
    providers["youtube"]["oembed"] = f"http://127.0.0.1:{closed_port}/oembed"
    settings.EMBED_PROVIDERS = providers
    embed = embed_resolve(VIDEO)
    assert (embed["title"], embed["poster"]) == ("", "")
    html = embeds_render(f'<figure data-embed="youtube" data-url="{VIDEO}"></figure>')
    assert "Content from YouTube" in html and "<img" not in html


# --- The sanitiser: the reference with valid values only; raw frames and scripts never ---


def test_sanitiser_keeps_a_valid_reference():
    body = REFERENCE.replace("></figure>", "><figcaption>Live, <em>1987</em></figcaption></figure>")
    assert clean_html(body) == body


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ('<figure data-embed="evil" data-url="https://x.example/"></figure>', "<figure></figure>"),
        (f'{YT} data-url="javascript:alert(1)"></figure>', f"{YT}></figure>"),
        (f'{YT} data-poster="../../settings.py"></figure>', f"{YT}></figure>"),
        (f'{YT} data-frame="https://evil.example"></figure>', f"{YT}></figure>"),
        ('<div data-embed="youtube" data-url="' + VIDEO + '"></div>', ""),
        ('<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>', ""),
        ("<script>alert(1)</script>", ""),
    ],
)
def test_sanitiser_drops_invalid_reference_values_frames_and_scripts(body, kept):
    assert clean_html(body) == kept


# --- The facade, made when the page is rendered -------------------------------------------


def test_facade_has_no_third_party_source_and_links_to_the_original():
    html = embeds_render(REFERENCE)
    assert "<iframe" not in html and "<script" not in html
    assert 'data-embed-frame="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert f'href="{VIDEO}"' in html
    assert "Load content from YouTube" in html and "A song" in html
    # No src, srcset or poster pointing anywhere but this site.
    assert not re.search(r'(?:src|srcset|poster)="(?:https?:)?//', html)


def test_changing_the_setting_changes_every_article(settings):
    providers = copy.deepcopy(settings.EMBED_PROVIDERS)
    providers["youtube"]["name"] = "YouTube (no cookies)"
    settings.EMBED_PROVIDERS = providers
    assert "Load content from YouTube (no cookies)" in embeds_render(REFERENCE)
    del providers["youtube"]
    assert "Load content" not in embeds_render(REFERENCE)


def test_article_page_shows_the_facade_and_its_script(client):
    article = make_article(body="<p>Watch:</p>" + REFERENCE)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'class="embed embed-youtube"' in html and "js/embeds.js" in html
    plain = make_article(body="<p>No embed.</p>")
    assert "js/embeds.js" not in client.get(plain.get_absolute_url()).content.decode()


# --- The CSP: frames from exactly the providers' frame origins ----------------------------


def test_csp_frame_src_is_exactly_the_providers_frame_origins(client, settings):
    header = client.get(reverse("articles:front")).headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in header.split(";") if " " in d.strip())
    origins = set(directives["frame-src"].split())
    expected = {o for p in settings.EMBED_PROVIDERS.values() for o in p["frame_origins"]}
    assert origins == expected
    assert origins == {
        "'self'",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
        "https://platform.twitter.com",
        "https://embed.bsky.app",
        "https://mastodon.social",
        "https://mastodon.online",
        "https://www.instagram.com",
        "https://datawrapper.dwcdn.net",
        "https://flo.uri.sh",
        "https://www.openstreetmap.org",
        "https://umap.openstreetmap.fr",
        "https://w.soundcloud.com",
        "https://open.spotify.com",
    }
    for provider in settings.EMBED_PROVIDERS.values():  # each frame is allowed by frame-src
        frame = provider["frame"].format_map(_AnyValue())
        origin = "'self'" if frame.startswith("/") else "/".join(frame.split("/")[:3])
        assert origin in origins or any(origin == o.replace("{host}", "") for o in origins)


class _AnyValue(dict):
    def __missing__(self, key):
        return "mastodon.social" if key == "host" else "x"


@pytest.mark.parametrize(
    "body",
    [
        f'{YT} data-url="{VIDEO}" data-title="&quot;&gt;<script>alert(1)</script>"></figure>',
        f'{YT} data-url="{VIDEO}"><figcaption><img src=x onerror=alert(1)>'
        "<script>alert(1)</script></figcaption></figure>",
        f'{YT} data-url="{VIDEO}" onload="alert(1)"><iframe src="javascript:x"></iframe></figure>',
        f'{YT} data-url="{VIDEO}&quot; onload=&quot;alert(1)"></figure>',
        '<figure data-embed="pdf" data-url="/media/x.pdf"><figure data-embed="youtube" data-url="'
        + VIDEO
        + '"></figure></figure>',
    ],
)
def test_hostile_references_render_no_script_frame_or_handler(body):
    html = embeds_render(body)
    assert "<script" not in html and "<iframe" not in html
    assert not re.search(r"\son[a-z]+=", html)


def test_feeds_show_an_embed_as_a_link_to_the_original(client):
    make_article(
        title="Song",
        body="<p>Watch:</p>"
        + REFERENCE.replace("></figure>", "><figcaption>Live</figcaption></figure>"),
    )
    xml = client.get(reverse("articles:feed-rss")).content.decode()
    assert f"&lt;a href=&quot;{VIDEO.replace('&', '&amp;')}" in xml or f'&lt;a href="{VIDEO}' in xml
    assert "A song (YouTube)" in xml and "Live" in xml
    assert "Load content" not in xml and "iframe" not in xml


@pytest.mark.django_db
def test_the_page_sanitises_the_body_once_and_an_edited_body_again(client, settings, monkeypatch):
    """The body and the embeds script both come from one sanitiser pass per article object
    (articles.body.cleaned_body); a changed body is cleaned again."""
    from articles import body as body_module

    settings.PAGECACHE_ENABLED = settings.PAGECACHE_FRAGMENTS = False
    video = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    article = make_article(
        body=f'<p>Before.</p><figure data-embed="youtube" data-url="{video}"></figure>'
    )
    passes = []
    real = body_module.clean_html
    monkeypatch.setattr(body_module, "clean_html", lambda html: passes.append(1) or real(html))
    html = client.get(article.get_absolute_url()).content.decode()
    assert len(passes) == 1
    assert "js/embeds" in html and "<p>Before.</p>" in html
    article.body = "<p>After.</p><script>alert(1)</script>"
    assert str(body_module.body_html(article)) == "<p>After.</p>"
    assert len(passes) == 2
