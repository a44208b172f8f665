"""A short threaded discussion under the NATO demo article. Idempotent; run by load_demo."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify

from articles.models import Article
from comments.models import Comment

SLUG = "nato-russia-council-step-forward"
# (key, parent key, guest name or username, body)
THREAD = [
    (
        "a",
        None,
        "Marta K.",
        "Talking while tensions are high is exactly right. Better a frank table than an empty one.",
    ),
    (
        "b",
        "a",
        "reader",
        "Agreed, though the OSCE round in Vienna will show whether anything "
        "moved. The summary is at https://www.osce.org/permanent-council",
    ),
    (
        "c",
        "b",
        "Jonas",
        "Vienna is where the smaller states get a voice, so it matters more than it looks.",
    ),
    (
        "d",
        None,
        "Élise D.",
        "Clear write-up, thank you.\n\nWhich drafts were discussed: the "
        "ones published on 17 December?",
    ),
]


class Command(BaseCommand):
    help = "Add a demo discussion under the NATO article (skipped when it already has one)."

    @transaction.atomic
    def handle(self, *args, **options):
        article = Article.objects.filter(slug=SLUG).first()
        if article is None:
            self.stdout.write("No NATO demo article: run load_demo first.")
            return
        if article.comments.exists():
            self.stdout.write("The demo article already has comments.")
            return
        users = {u.username: u for u in get_user_model().objects.filter(username="reader")}
        made: dict[str, Comment] = {}
        start = article.published_at + timedelta(hours=2)
        for minutes, (key, parent_key, who, body) in enumerate(THREAD):
            made[key] = self.add(article, made.get(parent_key), users.get(who), who, body)
            Comment.objects.filter(pk=made[key].pk).update(
                created_at=start + timedelta(minutes=37 * minutes)
            )
        # Élise's question is an editors' pick, so the demo shows the picks block (issue 16).
        Comment.objects.filter(pk=made["d"].pk).update(featured_at=start + timedelta(days=1))
        self.stdout.write(f"Demo discussion: {len(made)} comments.")

    def add(self, article, parent, user, who, body) -> Comment:
        guest = user is None
        return Comment.objects.create_in_thread(
            article=article,
            parent=parent,
            user=user,
            body=body,
            name=who if guest else "",
            email=f"{slugify(who.split()[0])}@demo.example" if guest else user.email,
            status=Comment.Status.APPROVED,
        )
