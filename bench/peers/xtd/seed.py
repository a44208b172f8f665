"""Load the benchmark's story into the xtd peer: bench/peers/xtd/.venv/bin/python seed.py FILE.

FILE is JSON written by bench/peers/xtdpeer.py from Newsroom's benchmark database: the same
article (title, standfirst, 1,000-word body) and its thread, parents before replies. Comments
Newsroom shows are public here too; the rest are stored unpublished, as xtd keeps them.
Replaces the previous story of that slug.
"""

import json
import os
import sys
from datetime import datetime

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xtdpeer.settings")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import transaction  # noqa: E402
from django_comments_xtd.models import XtdComment  # noqa: E402
from xtdpeer.models import Story  # noqa: E402


@transaction.atomic
def main(path: str) -> None:
    data = json.loads(open(path, encoding="utf-8").read())
    found = data["story"]
    kind = ContentType.objects.get_for_model(Story)
    for old in Story.objects.filter(slug=found["slug"]):
        XtdComment.objects.filter(content_type=kind, object_pk=str(old.pk)).delete()
        old.delete()
    story = Story.objects.create(
        title=found["title"],
        slug=found["slug"],
        standfirst=found["standfirst"],
        body=found["body"],
        published_at=datetime.fromisoformat(found["published_at"]),
    )
    ids = {}  # Newsroom id -> xtd id
    for row in data["comments"]:
        comment = XtdComment(
            content_type=kind,
            object_pk=str(story.pk),
            site_id=1,
            user_name=row["name"],
            user_email=row["email"],
            comment=row["body"],
            submit_date=datetime.fromisoformat(row["submitted"]),
            ip_address="192.0.2.1",
            is_public=row["public"],
            parent_id=ids.get(row["parent"], 0),
        )
        comment.save()  # xtd's save() computes thread_id, level and order
        ids[row["id"]] = comment.pk
    print(f"xtd peer: {story.get_absolute_url()} with {len(ids)} comments")


if __name__ == "__main__":
    main(sys.argv[1])
