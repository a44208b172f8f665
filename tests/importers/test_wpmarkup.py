"""WordPress markup as Newsroom's body: blocks, shortcodes, embeds, pictures, paragraphs."""

from articles.sanitize import clean_html
from articles.wpmarkup import translate


def images(found=None):
    calls = []

    def image_for(src, attachment_id):
        calls.append((src, attachment_id))
        return (found or {}).get(attachment_id)

    return image_for, calls


def test_block_comments_and_more_are_removed():
    body = "<!-- wp:paragraph -->\n<p>One</p>\n<!-- /wp:paragraph -->\n<!--more-->\n<p>Two</p>"
    assert translate(body, images()[0], []) == "\n<p>One</p>\n\n<p>Two</p>"


def test_caption_shortcode_becomes_a_figure_with_its_caption():
    image_for, calls = images({"12": 44})
    body = (
        '[caption id="attachment_12" width="80"]<a href="/x"><img class="wp-image-12" '
        'src="http://s/wp-content/uploads/a.png"></a> A <em>bridge</em>[/caption]'
    )
    out = translate(body, image_for, [])
    assert out == '<figure data-image="44"><figcaption>A <em>bridge</em></figcaption></figure>'
    assert calls == [("http://s/wp-content/uploads/a.png", "12")]


def test_a_picture_not_found_is_left_out_with_a_warning():
    warnings = []
    out = translate(
        '<!-- wp:image --><figure class="wp-block-image"><img src="http://s/x.jpg"/></figure>',
        images()[0],
        warnings,
    )
    assert "<img" not in out and "x.jpg" not in out
    assert warnings == ["picture not found, left out: http://s/x.jpg"]


def test_known_providers_become_embeds_others_links():
    warnings = []
    body = "[embed]https://vimeo.com/76979871[/embed]\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\nhttps://example.org/x"
    out = clean_html(translate(body, images()[0], warnings))
    assert '<figure data-embed="vimeo" data-url="https://vimeo.com/76979871"></figure>' in out
    assert 'data-embed="youtube"' in out
    assert '<a href="https://example.org/x" rel="noopener noreferrer">' in out
    assert warnings == ["embed of an unknown provider kept as a link: https://example.org/x"]


def test_classic_editor_text_gets_paragraphs():
    assert translate("One\nline\n\nTwo", images()[0], []) == "<p>One<br>\nline</p>\n<p>Two</p>"
