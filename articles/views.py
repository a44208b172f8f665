import datetime

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from articles.models import Article, Section
from newsroom import pagecache

PAGE_SIZE = 20


def bylined(queryset):
    """Prefetch authors in byline order."""
    authors = get_user_model().objects.order_by("byline__position", "byline__id")
    return queryset.prefetch_related(Prefetch("authors", queryset=authors))


def listing():
    """Published article cards, newest first, with their bylines."""
    return bylined(Article.objects.published().for_listing())


class FrontPageView(ListView):
    template_name = "articles/article_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "articles"

    def get_queryset(self):
        pagecache.tag(self.request, "front")
        return listing()


class SectionView(FrontPageView):
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        pagecache.tag(self.request, f"section:{self.section.slug}")
        return listing().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class AuthorView(FrontPageView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(get_user_model(), username=self.kwargs["username"])
        pagecache.tag(self.request, f"author:{self.author.username}")
        return listing().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        try:
            day = datetime.date(
                int(self.kwargs["year"]), int(self.kwargs["month"]), int(self.kwargs["day"])
            )
        except ValueError as error:
            raise Http404("No such date") from error
        queryset = bylined(Article.objects.published().select_related("section"))
        article = get_object_or_404(queryset, slug=self.kwargs["slug"], published_at__date=day)
        pagecache.tag(self.request, f"article:{article.pk}")
        return article
