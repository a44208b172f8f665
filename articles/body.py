"""The article body as readers see it: sanitised, each figure reference made a picture."""

import re

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from articles.embeds import embed_facades
from articles.sanitize import clean_html

# A reference as the sanitiser writes it back (integer id, nothing else on the tag), with
# its caption: <figure data-image="42"><figcaption>…</figcaption></figure>.
FIGURE = re.compile(
    r'<figure data-image="([0-9]+)">(?:<figcaption>(.*?)</figcaption>)?</figure>', re.S
)


def cleaned_body(article) -> str:
    """The sanitiser's output for the article's body, worked out once per article object (a
    page asks twice: for the body and for whether it has embeds). Kept with the body it was
    made from, so an edited body is cleaned again."""
    body = article.body or ""
    kept = article.__dict__.get("_cleaned_body")
    if kept is None or kept[0] is not body:
        kept = article.__dict__["_cleaned_body"] = (body, clean_html(body))
    return kept[1]


def body_html(article) -> SafeString:
    """The body: the sanitiser's output, with each embed reference replaced by its facade
    (articles.embeds) and each reference to a library image replaced by its <picture>
    (renditions, srcset, alt text, lazy) rendered from the template. Images
    come from ``article.images`` (one prefetched query for all of them); a reference to an
    image that is gone shows only its caption."""
    cleaned = embed_facades(cleaned_body(article))
    if 'data-image="' not in cleaned:
        return mark_safe(cleaned)  # noqa: S308 - the sanitiser's output, with facades
    images = {image.pk: image for image in article.images.all()}

    def picture(match: re.Match) -> str:
        caption = mark_safe(match[2] or "")  # noqa: S308 - a part of the sanitiser's output
        context = {"image": images.get(int(match[1])), "caption": caption}
        return render_to_string("articles/_body_image.html", context).strip()

    # Each part is the sanitiser's output or a template's autoescaped output.
    return mark_safe(FIGURE.sub(picture, cleaned))  # noqa: S308
