// An old WordPress comment link (…/comment-page-N/#comment-ID) lands on
// comments/wordpress/<article>/ with WordPress's comment id in the fragment, which the
// server never sees: ask for that comment's place here, or go to the article.
(function () {
  "use strict";
  var box = document.getElementById("wordpress-comment");
  if (!box) { return; }
  var found = /^#comment-([0-9]{1,12})$/.exec(location.hash);
  location.replace(found
    ? box.getAttribute("data-find").replace(/0\/$/, found[1] + "/")
    : box.getAttribute("data-article"));
})();
