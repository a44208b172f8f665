// Likes in place: each like button (comments/render.py: the button in a comment's actions
// row, "Like 3") submits the one #react form without JavaScript; with it, the like is sent by fetch and the count and pressed state
// change where the reader is. The reader's own likes come from their private part
// (comments.js fires "comment-reader" with it), never from the cached page.
(function () {
  "use strict";
  var form = document.getElementById("react");
  if (!form || !window.fetch) { return; }
  var LIKE = ".comment-body > p > button";
  var buttons = document.querySelectorAll(LIKE);
  buttons.forEach(function (button) { button.setAttribute("aria-pressed", "false"); });

  document.addEventListener("comment-reader", function (event) {
    var liked = (event.detail && event.detail.liked) || [];
    buttons.forEach(function (button) {
      var pressed = liked.indexOf(parseInt(button.value, 10)) !== -1;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
    });
  });

  var say = function (button, text) {
    var note = button.parentNode.querySelector(".comment-react-error");
    if (!note) {
      note = document.createElement("span");
      note.className = "comment-react-error";
      note.setAttribute("role", "alert");
      button.parentNode.appendChild(note);
    }
    note.textContent = text;  // text, never HTML
  };

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(LIKE);
    if (!button || button.form !== form) { return; }
    event.preventDefault();
    var data = new FormData(form);
    data.set("comment", button.value);
    var token = form.elements.namedItem("csrfmiddlewaretoken");
    var headers = { Accept: "application/json" };
    if (token) { headers["X-CSRFToken"] = token.value; }
    button.disabled = true;
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: headers })
      .then(function (answer) {
        return answer.json().catch(function () { return {}; }).then(function (body) {
          if (!answer.ok) { throw new Error(body.error || "Your like could not be sent. Try again."); }
          return body;
        });
      })
      .then(function (body) {
        // The label, a space, the count: only the count changes.
        button.textContent = button.textContent.replace(/\d+$/, String(body.count));
        button.setAttribute("aria-pressed", body.liked ? "true" : "false");
        var note = button.parentNode.querySelector(".comment-react-error");
        if (note) { note.remove(); }
      })
      .catch(function (error) { say(button, error.message); })
      .then(function () { button.disabled = false; });
  });
})();
