"""Background tasks: notifications leave the request; they run in the task worker."""

from django.tasks import task

from comments import notifications
from comments.models import Comment


@task
def notify_held(comment_id: int) -> int:
    """Tell moderators a comment, or a published comment's edit, waits for them (if it
    still does)."""
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None:
        return 0
    if comment.status != Comment.Status.PENDING and not comment.pending_body:
        return 0
    return notifications.send_held(comment)


@task
def notify_approved(comment_id: int, moderated: bool = False) -> int:
    """Tell authors, the commenter and reply subscribers about an approved comment."""
    comment = Comment.objects.select_related("article", "user").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.APPROVED:
        return 0
    return notifications.send_approved(comment, moderated=moderated)
