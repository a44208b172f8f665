"""The media library in the admin: list with thumbnails, search, filters, focal point, uses,
and the JSON endpoints the body editor calls (upload, library, thumbnail)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_GET, require_POST

from articles import media
from articles.media_models import Image

LIBRARY_PAGE = 24


def thumbnail_url(image: Image) -> str:
    """The smallest rendition (or the file itself), for lists and the editor."""
    smallest = (image.renditions.get("jpeg") or [[0, image.file.name]])[0][1]
    return default_storage.url(smallest)


def image_json(image: Image) -> dict:
    return {
        "id": image.pk,
        "title": image.title,
        "alt": image.alt,
        "decorative": image.is_decorative,
        "caption": image.caption,
        "credit": image.credit,
        "thumbnail": thumbnail_url(image),
    }


class NeedsAltFilter(admin.SimpleListFilter):
    title = "alt text"
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("missing", "Missing"), ("given", "Given or decorative")]

    def queryset(self, request, queryset):
        missing = queryset.filter(alt="", is_decorative=False)
        if self.value() == "missing":
            return missing
        if self.value() == "given":
            return queryset.exclude(pk__in=missing.values("pk"))
        return queryset


class ImageAdminForm(forms.ModelForm):
    upload = forms.FileField(
        label="Picture", required=False, help_text="JPEG, PNG or WebP; EXIF (GPS!) removed."
    )

    class Meta:
        model = Image
        fields = ["title", "alt", "is_decorative", "caption", "credit", "copyright"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            if self.instance.pk is None:
                raise ValidationError("Choose a picture to upload.")
            return None
        return media.image_checked(upload)


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ("thumbnail", "title", "alt_state", "uploaded_by", "created_at", "use_count")
    list_display_links = ("thumbnail", "title")
    list_filter = (
        NeedsAltFilter,
        "is_decorative",
        ("uploaded_by", admin.RelatedOnlyFieldListFilter),
        "created_at",
    )
    list_select_related = ("uploaded_by",)
    search_fields = ("title", "alt", "caption", "credit", "copyright")
    date_hierarchy = "created_at"
    readonly_fields = ("focal_point", "uploaded_by", "created_at", "where_used")

    class Media:
        css = {"all": ["css/admin-media.css"]}
        js = ["js/admin-media.js"]

    def get_fields(self, request, obj=None):
        words = ["title", "alt", "is_decorative", "caption", "credit", "copyright"]
        if obj is None:
            return ["upload", *words]
        return ["focal_point", "focal_x", "focal_y", *words, "uploaded_by", "created_at"] + [
            "where_used"
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            kwargs["fields"] = [
                "title", "alt", "is_decorative", "caption", "credit", "copyright",
                "focal_x", "focal_y",
            ]  # fmt: skip
        return super().get_form(request, obj, change, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("uses")

    @admin.display(description="Picture")
    def thumbnail(self, obj) -> str:
        alt = obj.alt or obj.title
        return format_html(
            '<img class="library-thumb" src="{}" alt="{}" width="96">', thumbnail_url(obj), alt
        )

    @admin.display(description="Alt text")
    def alt_state(self, obj) -> str:
        return "Decorative" if obj.is_decorative else (obj.alt or "Missing")

    @admin.display(description="Uses")
    def use_count(self, obj) -> int:
        return len({use.article_id for use in obj.uses.all()})

    @admin.display(description="Focal point")
    def focal_point(self, obj) -> str:
        return format_html(
            '<div class="focal-picker"><img src="{}" alt="{}" width="{}" height="{}" '
            'data-focal-x="{}" data-focal-y="{}"><span class="focal-mark" hidden></span></div>'
            '<p class="help">Click the part of the picture that must stay in a crop.</p>',
            thumbnail_url(obj),
            obj.alt or obj.title,
            obj.width,
            obj.height,
            obj.focal_x,
            obj.focal_y,
        )

    @admin.display(description="Where it is used")
    def where_used(self, obj) -> str:
        uses = obj.uses.select_related("article").order_by("article__title")
        if not uses:
            return "Not used in any article."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                (
                    (
                        reverse("admin:articles_article_change", args=[u.article_id]),
                        u.article.title,
                        u.get_role_display().lower(),
                    )
                    for u in uses
                ),
            ),
        )

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is None:
            return super().has_change_permission(request)
        return media.image_can_edit(image=obj, user=request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is None:
            return super().has_delete_permission(request)
        return media.image_can_edit(image=obj, user=request.user)

    def save_model(self, request, obj, form, change):
        cleaned = form.cleaned_data.get("upload")
        if cleaned is not None:
            media.image_store(image=obj, cleaned=cleaned, by=request.user)
        else:
            obj.save()
            if {"focal_x", "focal_y"} & set(form.changed_data):
                media.image_recrop(image=obj)
        if change:
            media.image_changed(image=obj)

    def delete_model(self, request, obj):
        try:
            media.image_delete(image=obj, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="articles_image_upload"),
            path("library.json", view(self.library_view), name="articles_image_library"),
            path("<int:pk>/thumbnail/", view(self.thumbnail_view), name="articles_image_thumbnail"),
        ] + super().get_urls()

    def upload_view(self, request):
        return upload_view(request)

    def library_view(self, request):
        return library_view(request)

    def thumbnail_view(self, request, pk: int):
        """The editor shows a stored reference by id: redirect to its thumbnail."""
        if not request.user.has_perm("articles.view_image"):
            raise PermissionDenied
        return HttpResponseRedirect(thumbnail_url(get_object_or_404(Image, pk=pk)))


@require_POST
def upload_view(request) -> JsonResponse:
    """The editor's upload: the image id and thumbnail, or 400 with a message to show."""
    file = request.FILES.get("file")
    if file is None:
        return JsonResponse({"error": "Choose a picture to upload."}, status=400)
    post = request.POST
    try:
        image = media.image_upload(
            file=file,
            by=request.user,
            alt=post.get("alt", ""),
            is_decorative=post.get("decorative") in {"1", "true", "on"},
            title=post.get("title", ""),
            caption=post.get("caption", ""),
            credit=post.get("credit", ""),
        )
    except PermissionDenied as error:
        return JsonResponse({"error": str(error)}, status=403)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse(image_json(image), status=201)


@require_GET
def library_view(request) -> JsonResponse:
    """Library images for the editor's chooser, newest first, searched by ``q``."""
    if not request.user.has_perm("articles.view_image"):
        return JsonResponse({"error": "You may not see the library."}, status=403)
    images = Image.objects.search(request.GET.get("q", ""))[:LIBRARY_PAGE]
    return JsonResponse({"images": [image_json(image) for image in images]})
