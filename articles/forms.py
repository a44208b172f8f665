from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse, reverse_lazy
from django.utils import formats, timezone
from django_prose_editor.fields import ProseEditorFormField

from articles import editing, redirects
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
    # The version this form was edited from; a save from an older one is refused.
    edited_version = forms.CharField(widget=forms.HiddenInput, required=False)
    edited_from = forms.CharField(widget=forms.HiddenInput, required=False)  # fingerprints

    # Set by the admin for each request (ArticleAdmin.get_form):
    editor = None  # the person saving
    stored = None  # the article as stored before this request changed anything (restore)
    restore = None  # autosaved text to start from (Autosave), when asked for

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
        self.conflict = None
        if self.instance.pk is not None:
            self.initial["edited_version"] = self.stored_article().version
            self.initial["edited_from"] = editing.fingerprints(self.stored_article())
            if self.restore is not None and not self.is_bound:
                self.initial.update(self.restore.data)
                self.initial["edited_version"] = self.restore.version

    def clean_edited_version(self) -> int | None:
        """A number, or None (a form that does not say is treated as stale: refused)."""
        value = self.cleaned_data["edited_version"].strip()
        return int(value) if value.isdigit() else None

    def stored_article(self) -> Article:
        return self.stored or self.instance

    def clean(self):
        data = super().clean()
        self._clean_library_choice(data)
        if self.instance.pk is None:
            return data
        stored = self.stored_article()
        if data.get("edited_version") != stored.version:
            self._refuse_stale(stored, data)
        if self.editor is not None:
            lock = editing.lock_taken_from(article=stored, user=self.editor)
            if lock is not None:
                raise forms.ValidationError(
                    f"{lock.user.get_display_name()} took over editing this article at "
                    f"{timezone.localtime(lock.acquired_at):%H:%M}. Nothing was saved; your "
                    "text is kept below for you to copy.",
                    code="taken_over",
                )
        return data

    def _refuse_stale(self, stored: Article, data: dict) -> None:
        """Keep the typed text, show theirs beside it, and state the current version, so
        that saving again (after merging by hand) is a decision made seeing both."""
        by, at = editing.last_saved_by(stored)
        theirs = editing.stored_values(stored)
        self.data = self.data.copy()
        kept = []
        for name, label in editing.TEXT_FIELDS + editing.OTHER_FIELDS:
            if name in data and editing.untouched(data.get("edited_from"), name, data[name]):
                if editing.fingerprint(name, theirs[name]) != editing.fingerprint(name, data[name]):
                    self._put_theirs(name, theirs[name])
                    kept.append(label)
        self.conflict = {
            "by": by.get_display_name() if by else "someone",
            "at": at,
            "version": stored.version,
            "stated": data.get("edited_version"),
            "kept": kept,
            "rows": [row for row in editing.differences(theirs, data) if row["label"] not in kept],
        }
        self.data["edited_version"] = str(stored.version)
        self.data["edited_from"] = editing.fingerprints(stored)
        raise forms.ValidationError(
            f"{self.conflict['by']} saved this article after you opened it. Nothing was "
            "saved: compare their version with yours below, merge by hand, then save again.",
            code="stale",
        )

    def _put_theirs(self, name: str, value) -> None:
        """Show their saved value in a field the person had left as it was."""
        if name == "section":
            self.data[name] = str(value.pk) if value else ""
        elif name == "published_at":
            local = timezone.localtime(value) if value else None
            self.data["published_at_0"] = formats.localize_input(local.date()) if local else ""
            self.data["published_at_1"] = formats.localize_input(local.time()) if local else ""
        else:
            self.data[name] = value or ""

    def clean_lead_image(self):
        image = self.cleaned_data.get("lead_image")
        if isinstance(image, UploadedFile):
            return image_clean_upload(image)
        return image

    def _clean_library_choice(self, data: dict) -> None:
        # A new upload (or a cleared lead image) replaces a picture chosen from the library,
        # unless the library choice is what changed.
        uploaded = "lead_image" in self.changed_data and data.get("lead_image") is not None
        if uploaded and "lead_library_image" not in self.changed_data:
            data["lead_library_image"] = None


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
