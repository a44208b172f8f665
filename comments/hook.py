"""The moderation hook: a newsroom's own checker (a toxicity model, a spam service) asked
about each new comment, and each writer's edit of one, over HTTP, as Coral's external
moderation phases are.

Off unless COMMENTS_MODERATION_HOOK_URL and _SECRET are set. The comment is sent as JSON,
signed (X-Newsroom-Signature: sha256=<HMAC-SHA256 of the body with the shared secret>),
inline in the reader's POST before the comment is stored (no transaction is open then:
posting.post and editing.comment_edit write only after the answer), and the checker has
COMMENTS_MODERATION_HOOK_TIMEOUT seconds to answer {"action": "approve"|"hold"|"spam",
"reason": "..."}, signed the same way. The checker can only make the site's verdict
stricter: "approve" keeps it, "hold" holds, "spam" files as spam. A late, failed, unsigned
or garbled answer is skipped (the site's verdict stands) and logged. See docs/decisions.md.
"""

import hashlib
import hmac
import json
import logging
import time

import requests
from django.conf import settings
from django.utils import timezone

from comments.models import Comment

logger = logging.getLogger("comments.hook")
SIGNATURE_HEADER = "X-Newsroom-Signature"
MAX_ANSWER_BYTES = 16 * 1024
ACTIONS = {"approve", "hold", "spam"}


class Skipped(Exception):
    """The checker gave no usable answer; the message says why (logged)."""


def sign(body: bytes, secret: str) -> str:
    """The signature header's value for body: what we send, and what we expect back."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def is_on() -> bool:
    return bool(settings.COMMENTS_MODERATION_HOOK_URL and settings.COMMENTS_MODERATION_HOOK_SECRET)


def payload(comment: Comment, event: str = "post") -> dict:
    """What the checker needs, and no more: never the commenter's email or cookies.
    ``event``: "post" (a new comment) or "edit" (a writer's new text for their comment)."""
    article = comment.article
    return {
        "event": event,
        "sent_at": timezone.now().isoformat(),
        "article": {"id": article.pk, "title": article.title, "url": article.get_absolute_url()},
        "comment": {
            "body": comment.body,
            "parent_id": comment.replied_to_id,
            "author_name": comment.author_name,
            "is_account": comment.user_id is not None,
            "account_id": comment.user_id,
            "website": comment.url,
            "ip_address": comment.ip_address,
            "user_agent": comment.user_agent,
        },
        "site_verdict": {"status": comment.status, "reason": comment.hold_reason},
    }


def _read(response: requests.Response, deadline: float) -> bytes:
    """The answer's body, at most MAX_ANSWER_BYTES, read before the deadline."""
    body = b""
    for chunk in response.iter_content(4096):
        body += chunk
        if len(body) > MAX_ANSWER_BYTES:
            raise Skipped("answer too long")
        if time.monotonic() > deadline:
            raise Skipped("timed out")
    return body


def ask(data: dict) -> dict:
    """Send data to the checker; its verified answer, or Skipped."""
    secret = settings.COMMENTS_MODERATION_HOOK_SECRET
    timeout = settings.COMMENTS_MODERATION_HOOK_TIMEOUT
    body = json.dumps(data, separators=(",", ":")).encode()
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, secret)}
    deadline = time.monotonic() + timeout
    try:
        with requests.post(
            settings.COMMENTS_MODERATION_HOOK_URL,
            data=body,
            headers=headers,
            timeout=timeout,
            allow_redirects=False,
            stream=True,
        ) as response:
            answer = _read(response, deadline)
    except requests.Timeout as error:
        raise Skipped("timed out") from error
    except requests.RequestException as error:
        raise Skipped(f"unreachable ({type(error).__name__})") from error
    if response.status_code != 200:
        raise Skipped(f"answered HTTP {response.status_code}")
    return _verified(answer, response.headers.get(SIGNATURE_HEADER, ""), secret)


def _verified(answer: bytes, signature: str, secret: str) -> dict:
    if not hmac.compare_digest(signature.encode(), sign(answer, secret).encode()):
        raise Skipped("bad signature")
    try:
        decided = json.loads(answer)
    except ValueError as error:
        raise Skipped("answer is not JSON") from error
    if not isinstance(decided, dict) or decided.get("action") not in ACTIONS:
        raise Skipped("answer has no approve, hold or spam action")
    reason = decided.get("reason", "")
    return {"action": decided["action"], "reason": reason if isinstance(reason, str) else ""}


def apply(comment: Comment, event: str = "post") -> str:
    """Ask the checker about comment (not yet stored: a new one, or a writer's new text for
    theirs) and apply its answer; the line for the moderation log ("" when the hook is off)."""
    if not is_on():
        return ""
    try:
        decided = ask(payload(comment, event))
    except Skipped as skipped:
        logger.warning("Moderation hook skipped: %s", skipped)
        return f"checker skipped: {skipped}"
    reason = " ".join(decided["reason"].split())[:150]
    if decided["action"] == "spam":
        comment.status = Comment.Status.SPAM
        comment.hold_reason = f"checker: {reason or 'spam'}"[:200]
    elif decided["action"] == "hold":
        comment.status = Comment.Status.PENDING
        comment.hold_reason = f"checker: {reason or 'held'}"[:200]
    return f"checker: {decided['action']}" + (f" ({reason})" if reason else "")
