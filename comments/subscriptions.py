"""Reply subscriptions and email opt-outs: subscribe, confirm, unsubscribe."""

from django.core.exceptions import ValidationError
from django.db import transaction

from comments.models import Comment, EmailOptOut, Subscription


def subscribe(comment: Comment, *, user) -> Subscription:
    """Its writer asks for replies to comment by email; a guest's waits for confirmation."""
    return Subscription.objects.create(
        comment=comment, email=comment.email, user=user, is_confirmed=user is not None
    )


@transaction.atomic
def subscription_confirm(*, subscription_id: int) -> Subscription:
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        raise ValidationError("This subscription no longer exists.", code="gone")
    subscription.is_confirmed = True
    subscription.save(update_fields=["is_confirmed"])
    return subscription


@transaction.atomic
def email_unsubscribe(*, email: str, kind: str, subscription_id: int | None = None) -> None:
    """Stop one kind of email to email (or one subscription); no login needed."""
    if subscription_id is not None:
        Subscription.objects.filter(pk=subscription_id, email__iexact=email).delete()
        return
    if kind not in EmailOptOut.Kind.values:
        raise ValidationError("Unknown kind of email.", code="kind")
    EmailOptOut.objects.get_or_create(email=email.lower(), kind=kind)
