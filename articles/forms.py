from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse, reverse_lazy
from django_prose_editor.fields import ProseEditorFormField

from articles import redirects
from articles.images import image_clean_upload
from articles.models import Article, PreviewLink, Redirect
from articles.sanitize import clean_html

BODY_EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Underline": True,
    "Subscript": True,
    "Superscript": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    # Pictures are media-library references (static/js/prose-library-image.js), never a
    # URL: the editor uploads them, the page renders them (articles/body.py).
    "Image": False,
    "Figure": False,
    "Caption": False,
    # A known provider's address, pasted or given to the "Embed" button (issue 15): checked
    # by the server, stored as a reference the sanitiser allows (articles/embeds.py).
    "Embed": {
        "endpoint": reverse_lazy("admin:articles_article_embed"),
        "hosts": sorted({h for p in settings.EMBED_PROVIDERS.values() for h in p["hosts"]}),
    },
}


def library_image_config() -> dict:
    """Where the editor's picture extension uploads, searches and finds thumbnails."""
    return {
        "uploadUrl": reverse("admin:articles_image_upload"),
        "libraryUrl": reverse("admin:articles_image_library"),
        "thumbnailUrl": reverse("admin:articles_image_thumbnail", args=[0]),
    }


def body_field(**kwargs) -> ProseEditorFormField:
    """The WYSIWYG body; whatever it sends is cleaned by our one sanitiser."""
    extensions = {**BODY_EXTENSIONS, "LibraryImage": library_image_config()}
    return ProseEditorFormField(
        config={"extensions": extensions}, sanitize=clean_html, required=False, **kwargs
    )


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "standfirst",
            "dateline",
            "section",
            "tags",
            "body",
            "lead_image",
            "lead_library_image",
            "lead_image_alt",
            "lead_image_caption",
            "lead_image_credit",
            "published_at",
            "is_featured",
            "comments_open",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django shows a file field's label as the legend of a fieldset around the widget,
        # which names the group but not the file input itself.
        if "lead_image" in self.fields:  # not when the admin shows it read-only
            self.fields["lead_image"].widget.attrs["aria-label"] = "Lead image"

    def clean_lead_image(self):
        image = self.cleaned_data.get("lead_image")
        if isinstance(image, UploadedFile):
            return image_clean_upload(image)
        return image

    def clean(self):
        data = super().clean()
        # A new upload (or a cleared lead image) replaces a picture chosen from the library,
        # unless the library choice is what changed.
        uploaded = "lead_image" in self.changed_data and data.get("lead_image") is not None
        if uploaded and "lead_library_image" not in self.changed_data:
            data["lead_library_image"] = None
        return data


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label="Publish at", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class PreviewLinkForm(forms.ModelForm):
    class Meta:
        model = PreviewLink
        fields = ["expires_at"]


class RedirectAdminForm(forms.ModelForm):
    """An editor's redirect: a path on this site to an article or to another path on this
    site, never off-site and never in a loop."""

    class Meta:
        model = Redirect
        fields = ["old_path", "article", "target_url", "status_code"]

    def clean_old_path(self) -> str:
        return redirects.old_path_clean(self.cleaned_data["old_path"])

    def clean_target_url(self) -> str:
        value = self.cleaned_data["target_url"]
        return redirects.target_url_clean(value) if value.strip() else ""

    def clean(self):
        data = super().clean()
        article, url, old_path = data.get("article"), data.get("target_url"), data.get("old_path")
        if article and url:
            raise forms.ValidationError("Choose an article or a URL, not both.")
        recorded = self.instance.pk and self.instance.target() and not self.instance.article_id
        if not (article or url or recorded or self.has_error("target_url")):
            raise forms.ValidationError("Choose an article or a URL to send readers to.")
        if article or url:
            # The editor's choice replaces a section, tag or author a rename recorded.
            self.instance.section = self.instance.tag = self.instance.author = None
        target = article.get_absolute_url() if article else url
        if old_path and target:
            if redirects.would_loop(old_path=old_path, target=target, exclude_pk=self.instance.pk):
                raise forms.ValidationError(
                    f"This redirect would loop: {target} leads back to {old_path}. "
                    "Choose another target.",
                    code="loop",
                )
        return data
