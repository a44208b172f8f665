"""Helpers shared by the browser tests of the story's pictures and embeds (issue 15):
dropping a file on the body editor, pasting into it, the media files a page serves, and
a watch on CSP violations."""

import re

DROP = """([data, x, y]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "harbour-gps.jpg", { type: "image/jpeg" }));
  const target = document.querySelector(".prose-editor [contenteditable=true]");
  for (const type of ["dragenter", "dragover", "drop"]) {
    target.dispatchEvent(new DragEvent(type, {
      bubbles: true, cancelable: true, clientX: x, clientY: y, dataTransfer: transfer,
    }));
  }
}"""

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def paste(page, selector: str, text: str, html: str = "") -> None:
    """A real paste event into the editor, with what a clipboard would carry."""
    page.locator(selector).first.focus()
    page.evaluate(
        """([selector, text, html]) => {
            const target = document.querySelector(selector);
            const data = new DataTransfer();
            data.setData("text/plain", text);
            if (html) data.setData("text/html", html);
            target.dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        [selector, text, html],
    )


def served_urls(html: str) -> set[str]:
    """The media files a page's <img> and srcset point at."""
    urls = set(re.findall(r'<img[^>]* src="([^"]+)"', html))
    for srcset in re.findall(r'srcset="([^"]+)"', html):
        urls |= {part.strip().split(" ")[0] for part in srcset.split(",")}
    return {url for url in urls if "/media/" in url}
