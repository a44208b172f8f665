// Progressive enhancement for the comment form: reply in place, a length counter, a
// draft kept while the reader logs in, and the reader's own part of a cached page (saved
// details, their own comments, a fresh form token). Without JavaScript the links and form
// still work.
(function () {
  "use strict";
  var own = document.getElementById("reader-own");
  var form = document.getElementById("commentform");
  // Set only on a page the cache may share, whose form token is as old as the page.
  var tokenUrl = form && form.getAttribute("data-token-url");
  var asked = null;

  var fill = function (part) {
    if (!part) { return; }
    // The reader's own state in the thread (comment-reactions.js marks their likes).
    document.dispatchEvent(new CustomEvent("comment-reader", { detail: part }));
    if (own && part.own && !own.firstElementChild) { own.innerHTML = part.own; }  // escaped by Django
    if (!form) { return; }
    var token = form.elements.namedItem("token");
    if (tokenUrl && token && part.token) { token.value = part.token; }
    if (!part.details || !part.details.name) { return; }
    ["name", "email", "url"].forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (input && !input.value) { input.value = part.details[name] || ""; }
    });
    var save = form.elements.namedItem("save_details");
    if (save) { save.checked = true; }
  };
  // One request a page for the reader's part: never cached, so its token is issued now.
  var ask = function (url) {
    if (!asked) {
      asked = fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (answer) {
        return answer.ok ? answer.json() : null;
      }).then(fill).catch(function () { /* the form works unfilled, with the page's token */ });
    }
    return asked;
  };

  // Only guests who saved details, posted or reacted carry the hint: they ask at once; so
  // does a logged-in reader (their page is never shared: its like form has a CSRF token).
  var account = document.querySelector("#react input[name='csrfmiddlewaretoken']");
  if (own && (account || /(^|;\s*)comment_reader=1(;|$)/.test(document.cookie))) {
    ask(own.getAttribute("data-reader-url"));
  }
  if (tokenUrl) {
    // Everybody else asks when they first touch the form, and a post waits for the answer
    // (5 s at most): the "too fast" check then counts from when this reader got the form.
    var waited = false;
    form.addEventListener("focusin", function () { ask(tokenUrl); });
    form.addEventListener("submit", function (event) {
      if (!asked || waited) { return; }
      event.preventDefault();
      waited = true;
      var patience = new Promise(function (done) { setTimeout(done, 5000); });
      Promise.race([asked, patience]).then(function () { form.submit(); });
    });
  }
  // The live notice: poll the article's small shared state (the same bytes for every
  // reader, from the cache) and say "3 new comments — show them" when the thread grew.
  // Paused while the tab is hidden. Readers without JavaScript see the page as it was.
  var section = document.getElementById("comments");
  var liveUrl = section && section.getAttribute("data-live-url");
  if (liveUrl && window.fetch) {
    var latest = parseInt(section.getAttribute("data-live-latest"), 10) || 0;
    var shown = parseInt(section.getAttribute("data-live-count"), 10) || 0;
    var every = (parseInt(section.getAttribute("data-live-every"), 10) || 30) * 1000;
    var notice = null;
    var timer = null;
    var tell = function (state) {
      if (!state || !(state.latest > latest)) { return; }
      var fresh = Math.max(state.count - shown, 1);
      if (!notice) {
        notice = document.createElement("div");
        notice.className = "live-notice";
        notice.setAttribute("role", "status");
        section.insertBefore(notice, section.querySelector(".comment-tools"));
      }
      notice.textContent = fresh + (fresh === 1 ? " new comment — " : " new comments — ");
      var show = document.createElement("a");
      // The permalink finds the newest comment's page; the thread there is read afresh.
      show.href = section.getAttribute("data-live-show").replace(/0\/$/, state.latest + "/");
      show.textContent = "show " + (fresh === 1 ? "it" : "them");
      show.addEventListener("click", function (event) {
        // The browser may keep this very page (max-age): read it afresh first, then go.
        event.preventDefault();
        var go = function () { location.assign(show.href); };
        fetch(show.href, { cache: "reload", credentials: "same-origin" }).then(go, go);
      });
      notice.appendChild(show);
    };
    var poll = function () {
      timer = null;
      if (document.hidden) { return; }
      fetch(liveUrl, { cache: "no-cache", credentials: "omit", headers: { Accept: "application/json" } })
        .then(function (answer) { return answer.ok ? answer.json() : null; })
        .then(tell)
        .catch(function () { /* try again at the next beat */ })
        .then(function () { if (!document.hidden && !timer) { timer = setTimeout(poll, every); } });
    };
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden && !timer) { timer = setTimeout(poll, 1000); }
    });
    timer = setTimeout(poll, every);
  }

  var respond = document.getElementById("respond");
  var body = document.querySelector("textarea[maxlength]");
  var counter = document.getElementById("comment-counter");

  if (body && counter) {
    var max = parseInt(counter.getAttribute("data-max"), 10);
    var update = function () {
      var left = max - body.value.length;
      counter.textContent = left + " of " + max + " characters left";
    };
    body.addEventListener("input", update);
    update();
  }

  if (form && body && window.sessionStorage) {
    var key = form.getAttribute("data-draft-key");
    if (!body.value && sessionStorage.getItem(key)) {
      body.value = sessionStorage.getItem(key);
      body.dispatchEvent(new Event("input"));
    }
    body.addEventListener("input", function () { sessionStorage.setItem(key, body.value); });
    form.addEventListener("submit", function () { sessionStorage.removeItem(key); });
  }

  if (!respond || !form) { return; }
  var home = respond.parentNode;
  var homeNext = respond.nextSibling;
  var parentField = form.querySelector("input[name='parent']");
  var cancel = document.getElementById("cancel-reply");
  var note = document.getElementById("replying-to");

  document.querySelectorAll(".comment-reply-link").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var article = link.closest(".comment-body");
      article.parentNode.insertBefore(respond, article.nextSibling);
      // The comment's id and author are in the markup around the link (comments/render.py).
      parentField.value = link.closest("li").id.replace("comment-", "");
      // The name in <bdi>, as in the thread: a direction override in it stays in it.
      var who = document.createElement("bdi");
      who.textContent = article.querySelector(".comment-author").textContent;
      note.textContent = "Replying to ";
      note.appendChild(who);
      note.hidden = false;
      cancel.hidden = false;
      body.focus();
    });
  });

  if (cancel) {
    cancel.addEventListener("click", function (event) {
      event.preventDefault();
      home.insertBefore(respond, homeNext);
      parentField.value = "";
      note.hidden = true;
      cancel.hidden = true;
    });
  }
})();
