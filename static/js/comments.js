// Progressive enhancement for the comment form: reply in place, a length counter, a
// draft kept while the reader logs in, and the reader's own part of a cached page (saved
// details, their own comments). Without JavaScript the links and form still work.
(function () {
  "use strict";
  var own = document.getElementById("reader-own");
  // Only guests who saved details or posted carry the hint: nobody else asks for anything.
  if (own && /(^|;\s*)comment_reader=1(;|$)/.test(document.cookie)) {
    fetch(own.getAttribute("data-reader-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (answer) {
      return answer.ok ? answer.json() : null;
    }).then(function (part) {
      if (!part) { return; }
      if (part.own && !own.firstElementChild) { own.innerHTML = part.own; }  // escaped by Django
      var fields = document.getElementById("commentform");
      if (!fields || !part.details || !part.details.name) { return; }
      ["name", "email", "url"].forEach(function (name) {
        var input = fields.elements.namedItem(name);
        if (input && !input.value) { input.value = part.details[name] || ""; }
      });
      var save = fields.elements.namedItem("save_details");
      if (save) { save.checked = true; }
    }).catch(function () { /* the form works unfilled */ });
  }
  var respond = document.getElementById("respond");
  var form = document.getElementById("commentform");
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
      parentField.value = link.closest("li.comment").id.replace("comment-", "");
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
