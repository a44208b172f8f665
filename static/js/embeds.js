// Embeds (issue 15): each embed is a facade until the reader asks for it. Without
// JavaScript the facade is a link to the original; here its button appears, and a click
// puts the provider's frame in its place (the first request to that provider).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const figure of document.querySelectorAll("figure.embed[data-embed-frame]")) {
    const facade = figure.querySelector(".embed-facade");
    const button = figure.querySelector(".embed-load");
    if (!facade || !button) continue;
    button.hidden = false;
    button.addEventListener("click", () => {
      const frame = document.createElement("iframe");
      frame.className = "embed-frame";
      frame.title = figure.dataset.embedTitle || button.textContent;
      frame.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      frame.src = figure.dataset.embedFrame;
      facade.replaceWith(frame);
      frame.focus();
    });
  }
});
