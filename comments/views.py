"""Thin views: read the request, call one workflow, say what happened, redirect."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts import identity
from articles.models import Article
from comments import (
    caching,
    editing,
    moderation,
    posting,
    reactions,
    reader,
    reports,
    rules,
    subscriptions,
    threads,
    tokens,
)
from comments.forms import CommentEditForm, CommentForm, ReportForm
from comments.limits import Reader
from comments.models import Comment
from core.clientip import client_ip
from core.prepared import Prepared

AWAITING = "Your comment is awaiting moderation."
EDIT_AWAITING = (
    "Your edit is awaiting moderation. Until a moderator approves it, readers see the text "
    "you published before."
)
REFUSAL_STATUS = {"closed": 403, "login_required": 403, "flood": 429, "banned": 403, "rate": 429}


def reader_part(request, article_id: int):
    """One reader's part of a cached article page: saved details, their own comments and a
    form token issued now (the page's is as old as the page, so the "too fast" trap counts
    from this request). Never cached anywhere; comments.js asks for it on load when the
    reader has a hint cookie, else when they first touch the form."""
    article = _article(article_id)
    own = reader.own_for(request, article)
    html = render_to_string("comments/_own.html", {"own": own}, request) if own else ""
    details = {} if request.user.is_authenticated else reader.saved_details(request)
    token = tokens.form_token(article.pk)
    who, fresh = _reader(request)
    liked = [] if fresh else reactions.liked_on(article.pk, who)
    response = JsonResponse({"details": details, "own": html, "token": token, "liked": liked})
    response["Cache-Control"] = "private, no-store"
    return response


def live(request, article_id: int):
    """The live notice's poll (comments.js): the newest published comment's id and the
    count, the same bytes for every reader, from the cache (comments.caching.live_state),
    public for a few seconds and answered 304 when the reader has them."""
    state = caching.live_state(article_id, lambda: _article(article_id))
    response = JsonResponse(state)
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:16] + '"'
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={settings.COMMENTS_LIVE_MAX_AGE}"
    return get_conditional_response(request, etag=etag, response=response)


# Compiled once per process (core/prepared.py): every post and reader part reads it.
_PUBLISHED = Prepared(lambda *, now, pk: Article.objects.published(now).filter(pk=pk))


def _article(article_id: int) -> Article:
    """The published article, or 404."""
    found = _PUBLISHED.read(now=timezone.now(), pk=article_id)
    if not found:
        raise Http404("No such article.")
    return found[0]


def _comment_url(comment: Comment) -> str:
    if comment.status != Comment.Status.APPROVED:
        return f"{comment.article.get_absolute_url()}#your-comments"
    page = threads.page_of(comment)
    query = f"?cpage={page}" if page > 1 else ""
    return f"{comment.article.get_absolute_url()}{query}#comment-{comment.pk}"


def _form_page(request, article, form, status=400):
    form.refresh_token()
    context = {"article": article, "reader": reader.reader_for(request, article, form)}
    return render(request, "comments/comment_form_page.html", context, status=status)


def _closed_page(request, article, form, reason: str):
    """Comments closed since the form was shown: say that alone (whatever else the form
    holds would not help), 403, with the reader's text kept in the form."""
    form.full_clean()
    form.errors.clear()
    form.add_error(None, ValidationError(reason, code="closed"))
    return _form_page(request, article, form, status=REFUSAL_STATUS["closed"])


def _csrf_refusal(request):
    """Django's CSRF check, run by hand: the response refusing the request, or None."""
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})


@csrf_exempt  # checked below for logged-in readers; a guest has no session to forge
@require_POST
def post(request, article_id: int):
    """Store a comment; on any refusal show the form again with the text kept.

    Guests post from cached pages without a CSRF token: the signed form token (article,
    time shown) guards them. A logged-in reader's post must pass Django's CSRF check.
    """
    if request.user.is_authenticated and (refusal := _csrf_refusal(request)):
        return refusal
    ip = client_ip(request)
    email = request.POST.get("email", "")
    if not (found := posting.article_for(article_id, user=request.user, email=email, ip=ip)):
        raise Http404("No such article.")
    article, record = found
    conf = caching.discussion_settings(request)
    form = CommentForm(
        request.POST,
        article=article,
        user=request.user,
        require_name_email=conf.require_name_email,
    )
    if reason := rules.closed_reason(article, conf):
        return _closed_page(request, article, form, reason)
    if not form.is_valid():
        return _form_page(request, article, form)
    data = form.cleaned_data
    try:
        comment = posting.post(
            posting.Submission(
                article=article,
                body=data["body"],
                parent=data["parent"],
                user=request.user,
                name=data.get("name", ""),
                email=data.get("email", ""),
                url=data.get("url", ""),
                ip_address=ip,
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                subscribe=data["subscribe"],
                proven_email=identity.proven_email(request),
            ),
            conf=conf,
            record=record,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _form_page(request, article, form, status=REFUSAL_STATUS.get(error.code, 400))
    if comment.status == Comment.Status.APPROVED:
        messages.success(request, "Your comment is published.")
    else:
        messages.info(request, AWAITING)
    response = redirect(_comment_url(comment))
    reader.remember_comment(request, response, comment)
    if not request.user.is_authenticated:
        reader.remember_details(
            request,
            response,
            save=data["save_details"],
            name=data["name"],
            email=data["email"],
            url=data["url"],
        )
    return response


def permalink(request, pk: int):
    comment = get_object_or_404(
        Comment.objects.select_related("article").filter(article__in=Article.objects.published()),
        pk=pk,
    )
    if comment.status == Comment.Status.PENDING and comment.pk not in reader.guest_ids(request):
        if not (request.user.is_authenticated and request.user.pk == comment.user_id):
            raise PermissionDenied("This comment is not published.")
    return redirect(_comment_url(comment))


def wordpress_comment(request, article_id: int):
    """Where an old WordPress comment link (``…/comment-page-N/#comment-ID``) lands: the
    fragment holds WordPress's comment id, which only the browser sees; static/js/wordpress.js
    reads it and asks ``wordpress_comment_find``. Without JavaScript: a link to the article."""
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    return render(request, "comments/wordpress_comment.html", {"article": article})


def wordpress_comment_find(request, article_id: int, old_id: int):
    """The imported comment WordPress called ``old_id`` on this article, at its place in the
    thread (through the permalink, which finds its page); else the article."""
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    imported = Comment.objects.filter(
        article=article, import_id=str(old_id), import_source__startswith="wordpress:"
    ).exclude(import_id="")  # the condition of the index it reads
    pk = imported.values_list("pk", flat=True).first()
    return redirect("comments:permalink", pk) if pk else redirect(article.get_absolute_url())


def _reader(request: HttpRequest) -> tuple[Reader, bool]:
    """Who reports or reacts, and whether a guest's browser id is new (to be remembered)."""
    if request.user.is_authenticated:
        return Reader(user=request.user, guest="", ip=client_ip(request)), False
    key = reader.guest_key(request)
    fresh = key or reader.new_guest_key()
    return Reader(user=None, guest=fresh, ip=client_ip(request)), not key


def _forged(request: HttpRequest) -> HttpResponse | None:
    """Django's CSRF check for accounts; a guest's POST (from a cached page, no token) must
    come from this site's own pages, as its Origin (or Referer) says."""
    if request.user.is_authenticated:
        return _csrf_refusal(request)
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    if source and url_has_allowed_host_and_scheme(
        source, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    raise PermissionDenied("This request did not come from this site's pages.")


@csrf_exempt  # checked in _forged: the like buttons are on pages the cache shares
@require_POST
def react(request):
    """Toggle the reader's like of a comment: JSON for comments.js, else back to it."""
    if refusal := _forged(request):
        return refusal
    pk = request.POST.get("comment", "")
    comment = get_object_or_404(
        Comment.objects.public().select_related("article"), pk=int(pk) if pk.isdecimal() else 0
    )
    who, fresh = _reader(request)
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        liked, count = reactions.reaction_toggle(comment=comment, reader=who)
    except ValidationError as error:
        if wants_json:
            return JsonResponse({"error": error.messages[0]}, status=429)
        return _outcome(request, error=error.messages[0], status=429)
    if wants_json:
        response = JsonResponse({"liked": liked, "count": count})
    else:
        label = settings.COMMENTS_REACTION_LABEL
        done = f"Your “{label}” is counted." if liked else f"Your “{label}” is taken back."
        messages.success(request, done)
        response = redirect(_comment_url(comment))
    if fresh:
        reader.remember_guest_key(request, response, who.guest)
    return response


@never_cache  # one reader's form, with their CSRF token
def report(request, pk: int):
    """Report a published comment to the moderators."""
    comment = get_object_or_404(Comment.objects.public().select_related("article"), pk=pk)
    form = ReportForm(request.POST if request.method == "POST" else None)
    who, fresh = _reader(request)
    if request.method == "GET" and reports.already_reported(comment, who):
        form = None  # said before they type anything: nothing of theirs is refused later
    if form is not None and form.is_bound and form.is_valid():
        try:
            reports.report_add(
                comment=comment,
                reader=who,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            status = {"rate": 429, "duplicate": 409}.get(error.code, 400)
        else:
            messages.success(request, "Thank you. Your report is with the moderators.")
            comment.refresh_from_db(fields=["status"])  # held by this report?
            if comment.status == Comment.Status.APPROVED:
                response = redirect(_comment_url(comment))
            else:
                response = redirect(f"{comment.article.get_absolute_url()}#comments")
            if fresh:
                reader.remember_guest_key(request, response, who.guest)
            return response
    else:
        status = 400 if form is not None and form.errors else 200
    context = {"form": form, "comment": comment}
    return render(request, "comments/comment_report.html", context, status=status)


def _changeable(request, pk: int, verb: str):
    """The comment and the reader's guest ids, or a redirect when it may no longer change."""
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    ids = reader.guest_ids(request)
    if not editing.can_change(comment=comment, user=request.user, guest_ids=ids):
        messages.error(request, f"This comment can no longer be {verb}.")
        return comment, ids, redirect(comment.article.get_absolute_url())
    return comment, ids, None


@never_cache  # one reader's comment, maybe not yet published
def edit(request, pk: int):
    comment, ids, refused = _changeable(request, pk, "edited")
    if refused:
        return refused
    # A held edit is what its writer last wrote: they go on from there.
    initial = {"body": comment.pending_body or comment.body}
    form = CommentEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            editing.comment_edit(
                comment=comment,
                body=form.cleaned_data["body"],
                user=request.user,
                guest_ids=ids,
                proven_email=identity.proven_email(request),
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error("body", getattr(error, "messages", None) or str(error))
        else:
            if comment.pending_body:
                messages.info(request, EDIT_AWAITING)
            else:
                messages.success(request, "Your comment is updated.")
            return redirect(_comment_url(comment))
    status = 400 if form.errors else 200
    return render(
        request, "comments/comment_edit.html", {"form": form, "comment": comment}, status=status
    )


@never_cache
def delete(request, pk: int):
    comment, ids, refused = _changeable(request, pk, "deleted")
    if refused:
        return refused
    if request.method == "POST":
        editing.comment_delete(comment=comment, user=request.user, guest_ids=ids)
        messages.success(request, "Your comment is deleted.")
        return redirect(f"{comment.article.get_absolute_url()}#comments")
    return render(request, "comments/comment_delete.html", {"comment": comment})


def _outcome(request, *, done: str = "", error: str = "", status: int = 200):
    context = {"done": done, "error": error}
    return render(request, "comments/link_done.html", context, status=status)


@never_cache  # pages behind a signed link: the link is a secret
def moderate(request, token: str):
    """A signed link from a moderator's email: confirm, then act once, without logging in."""
    try:
        data = tokens.moderation_token_read(token)
    except ValidationError as error:
        return _outcome(request, error=error.messages[0], status=400)
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=data["c"])
    if comment.status != data["s"]:
        error = f"This link was already used: the comment is now {comment.get_status_display()}."
        return _outcome(request, error=error, status=410)
    if request.method == "POST":
        moderator = get_user_model().objects.filter(pk=data["m"], is_active=True).first()
        try:
            moderation.comment_moderate(
                comment=comment,
                moderator=moderator,
                action=data["a"],
                reason=request.POST.get("reason", "")[:300] or "from the email link",
            )
        except PermissionDenied as error:
            return _outcome(request, error=str(error), status=403)
        return _outcome(
            request, done=f"Done: the comment is {moderation.ACTIONS[data['a']].label}."
        )
    return render(
        request, "comments/moderate_confirm.html", {"comment": comment, "action": data["a"]}
    )


@never_cache
@csrf_exempt  # the signed token is the credential; mail clients POST here (RFC 8058)
def unsubscribe(request, token: str):
    try:
        data = tokens.signed_read(token, salt=tokens.UNSUBSCRIBE_SALT)
    except ValidationError as error:
        return _outcome(request, error=error.messages[0], status=400)
    if request.method == "POST":
        subscriptions.email_unsubscribe(email=data["e"], kind=data["k"], subscription_id=data["s"])
        return _outcome(request, done=f"{data['e']} is unsubscribed. No more of these emails.")
    return render(request, "comments/unsubscribe_confirm.html", {"email": data["e"]})


@never_cache
def confirm(request, token: str):
    """Second step of a guest's double opt-in to reply notifications."""
    try:
        data = tokens.signed_read(token, salt=tokens.CONFIRM_SALT)
        if request.method == "POST":
            subscription = subscriptions.subscription_confirm(subscription_id=data["s"])
            done = "Thank you: you will get an email when someone replies to your comment."
            response = _outcome(request, done=done)
            # The link reached this browser through the address: it proves the address.
            identity.remember_proven_email(request, response, subscription.email)
            return response
    except ValidationError as error:
        return _outcome(request, error=error.messages[0], status=400)
    return render(request, "comments/confirm_subscription.html", {})
