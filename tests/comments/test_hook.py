"""The moderation hook against a small checker server on loopback (a thread)."""

import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache

from comments import hook, posting
from comments.models import Comment, ModerationLog
from tests.comments.test_posting import configure
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db
SECRET = "shared-secret-for-tests"


class Checker:
    """What the checker server answers next, and what it was sent."""

    def __init__(self):
        self.answer: dict | bytes = {"action": "approve"}
        self.secret = SECRET  # the secret the answer is signed with
        self.status = 200
        self.stall = False  # wait (bounded) instead of answering: the site must give up
        self.released = threading.Event()
        self.received: list[tuple[bytes, str]] = []


def _handler(checker: Checker):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            checker.received.append((body, self.headers.get(hook.SIGNATURE_HEADER, "")))
            if checker.stall:
                checker.released.wait(timeout=5)
            answer = checker.answer
            raw = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
            self.send_response(checker.status)
            self.send_header("Content-Type", "application/json")
            self.send_header(hook.SIGNATURE_HEADER, hook.sign(raw, checker.secret))
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def checker(settings):
    state = Checker()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.COMMENTS_MODERATION_HOOK_URL = f"http://127.0.0.1:{server.server_port}/check"
    settings.COMMENTS_MODERATION_HOOK_SECRET = SECRET
    settings.COMMENTS_MODERATION_HOOK_TIMEOUT = 0.5
    yield state
    state.released.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def article():
    configure(trusted_after=0)  # the site would publish: only the checker can hold
    return make_article()


def post(article, **fields) -> Comment:
    cache.clear()
    fields.setdefault("body", "A perfectly calm remark.")
    fields.setdefault("name", "Guest")
    fields.setdefault("email", "guest@example.com")
    return posting.comment_create(article=article, **fields)


def checker_line(comment: Comment) -> str:
    return ModerationLog.objects.get(comment=comment, action="checker").reason


def test_off_by_default_nothing_is_sent(article, settings):
    assert settings.COMMENTS_MODERATION_HOOK_URL == ""
    comment = post(article)
    assert comment.status == "approved"
    assert not ModerationLog.objects.filter(action="checker").exists()


def test_the_comment_is_sent_signed_without_the_email(checker, article):
    post(article, body="Hello checker", ip_address="192.0.2.5")
    body, signature = checker.received[0]
    assert signature == hook.sign(body, SECRET)
    sent = json.loads(body)
    assert sent["comment"]["body"] == "Hello checker"
    assert sent["comment"]["ip_address"] == "192.0.2.5"
    assert sent["comment"]["is_account"] is False
    assert sent["article"]["id"] == article.pk
    assert "guest@example.com" not in body.decode()


def test_approve_keeps_the_sites_verdict(checker, article):
    comment = post(article)
    assert comment.status == "approved"
    assert checker_line(comment) == "checker: approve"


def test_approve_does_not_publish_what_the_site_holds(checker, article):
    configure(require_approval=True)
    comment = post(article)
    assert (comment.status, comment.hold_reason) == ("pending", "manual approval is on")


def test_hold_with_reason(checker, article):
    checker.answer = {"action": "hold", "reason": "toxicity 0.91"}
    comment = post(article)
    assert (comment.status, comment.hold_reason) == ("pending", "checker: toxicity 0.91")
    assert checker_line(comment) == "checker: hold (toxicity 0.91)"


def test_spam(checker, article):
    checker.answer = {"action": "spam", "reason": "known spammer"}
    comment = post(article)
    assert (comment.status, comment.hold_reason) == ("spam", "checker: known spammer")


def test_an_outright_spam_is_never_sent(checker, article):
    configure(trusted_after=0, disallowed_words="casino")
    assert post(article, body="best casino").status == "spam"
    assert checker.received == []


def skipped(comment: Comment, why: str, caplog) -> None:
    """The site's own verdict stands, and the failure is logged both ways."""
    assert comment.status == "approved"
    assert checker_line(comment) == f"checker skipped: {why}"
    assert f"Moderation hook skipped: {why}" in caplog.text


def test_timeout_is_skipped(checker, article, caplog):
    checker.stall = True
    checker.answer = {"action": "spam"}
    with caplog.at_level(logging.WARNING, logger="comments.hook"):
        comment = post(article)
    skipped(comment, "timed out", caplog)


def test_an_answer_with_a_bad_signature_is_skipped(checker, article, caplog):
    checker.answer = {"action": "spam"}
    checker.secret = "not-the-shared-secret"
    with caplog.at_level(logging.WARNING, logger="comments.hook"):
        comment = post(article)
    skipped(comment, "bad signature", caplog)


def test_a_garbage_answer_is_skipped(checker, article, caplog):
    checker.answer = b"<html>oops</html>"
    with caplog.at_level(logging.WARNING, logger="comments.hook"):
        comment = post(article)
    skipped(comment, "answer is not JSON", caplog)


def test_an_overlong_answer_is_skipped(checker, article, caplog):
    checker.answer = b'{"action": "spam", "reason": "' + b"x" * 20_000 + b'"}'
    with caplog.at_level(logging.WARNING, logger="comments.hook"):
        comment = post(article)
    skipped(comment, "answer too long", caplog)


def test_an_unknown_action_is_skipped(checker, article, caplog):
    checker.answer = {"action": "delete-everything"}
    with caplog.at_level(logging.WARNING, logger="comments.hook"):
        comment = post(article)
    skipped(comment, "answer has no approve, hold or spam action", caplog)


def test_an_error_status_is_skipped(checker, article, caplog):
    checker.status = 500
    checker.answer = {"action": "spam"}
    with caplog.at_level(logging.WARNING, logger="comments.hook"):
        comment = post(article)
    skipped(comment, "answered HTTP 500", caplog)


def test_a_checker_that_is_down_is_skipped(article, settings, caplog):
    with socket.socket() as free:  # a port nothing listens on once closed
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    settings.COMMENTS_MODERATION_HOOK_URL = f"http://127.0.0.1:{port}/check"
    settings.COMMENTS_MODERATION_HOOK_SECRET = SECRET
    with caplog.at_level(logging.WARNING, logger="comments.hook"):
        comment = post(article)
    skipped(comment, "unreachable (ConnectionError)", caplog)


def test_moderators_replies_are_not_sent(checker, article):
    from tests.comments.helpers import make_moderator

    post(article, user=make_moderator())
    assert checker.received == []


def test_probation_holds_even_when_the_checker_approves(checker, article):
    from comments import bans
    from comments.models import Ban
    from tests.comments.helpers import make_moderator

    reader = make_user()
    bans.ban_create(
        moderator=make_moderator(), user=reader, kind=Ban.Kind.PROBATION, reason="watch"
    )
    comment = post(article, user=reader)
    assert (comment.status, comment.hold_reason) == ("pending", "on probation: watch")


# --- A writer's edit is asked about too -------------------------------------------------


def edit(comment: Comment, body: str) -> Comment:
    from comments import editing

    return editing.comment_edit(comment=comment, body=body, user=None, guest_ids=[comment.pk])


def test_an_edit_is_sent_as_an_edit_with_its_new_text(checker, article):
    comment = post(article, body="Calm words.")
    edited = edit(comment, "Calm words, and more of them.")
    assert (edited.status, edited.body) == ("approved", "Calm words, and more of them.")
    sent = json.loads(checker.received[-1][0])
    assert (sent["event"], sent["comment"]["body"]) == ("edit", "Calm words, and more of them.")
    assert json.loads(checker.received[0][0])["event"] == "post"
    assert ModerationLog.objects.filter(comment=comment, action="checker").count() == 2


def test_an_edit_the_checker_calls_spam_is_refused_and_the_published_text_stays(checker, article):
    from django.core.exceptions import ValidationError

    comment = post(article, body="Calm words.")
    checker.answer = {"action": "spam", "reason": "link farm"}
    with pytest.raises(ValidationError):
        edit(comment, "Now buy pills at pills.example")
    comment.refresh_from_db()
    assert (comment.status, comment.body, comment.pending_body) == ("approved", "Calm words.", "")
    refused = ModerationLog.objects.filter(comment=comment, action="checker").order_by("pk").last()
    assert refused.reason == "checker: spam (link farm)"


def test_an_edit_the_checker_holds_waits_for_a_moderator(checker, article):
    comment = post(article, body="Calm words.")
    checker.answer = {"action": "hold", "reason": "toxicity 0.9"}
    edited = edit(comment, "Angrier words.")
    comment.refresh_from_db()
    assert (comment.status, comment.body, comment.pending_body) == (
        "approved",
        "Calm words.",
        "Angrier words.",
    )
    assert edited.hold_reason == "edited after approval: checker: toxicity 0.9"


def test_an_unchanged_text_is_not_sent_again(checker, article):
    comment = post(article, body="Calm words.")
    edit(comment, "Calm words.")
    assert len(checker.received) == 1


@pytest.mark.django_db(transaction=True)
def test_the_checker_is_asked_with_no_transaction_open(checker, monkeypatch):
    """A checker may take seconds: on SQLite an open transaction holds the write lock for
    the whole site, so neither a post nor an edit may ask inside one."""
    from django.db import connection

    configure(trusted_after=0)
    article = make_article()
    asked_inside = []
    real_ask = hook.ask

    def ask(data):
        asked_inside.append(connection.in_atomic_block)
        return real_ask(data)

    monkeypatch.setattr(hook, "ask", ask)
    comment = post(article, body="Calm words.")
    edit(comment, "Other calm words.")
    assert asked_inside == [False, False]
