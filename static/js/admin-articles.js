// Article admin: the body editor (django-prose-editor) is a contenteditable with
// role="textbox" and no name of its own; the field's <label> names only the hidden
// textarea. Give the editor the label's words, as a screen reader should announce it.
"use strict";
document.addEventListener("prose-editor:ready", (event) => {
  const { editor, textarea } = event.detail;
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  if (label) {
    editor.view.dom.setAttribute("aria-label", label.textContent.trim().replace(/:$/, ""));
  }
});

// Preview links: a "Copy" button beside each link. Without JavaScript the link is plain,
// selectable text (the button is only added here, so none is left that does nothing).
document.addEventListener("DOMContentLoaded", () => {
  for (const code of document.querySelectorAll("code.preview-url")) {
    const button = document.createElement("button");
    button.type = "button"; // inside the change form: must not submit it
    button.className = "button copy-link";
    button.textContent = "Copy";
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(code.textContent.trim());
        button.textContent = "Copied";
      } catch {
        // No clipboard (plain http, old browser): select the text for Ctrl+C.
        window.getSelection().selectAllChildren(code);
        button.textContent = "Press Ctrl+C";
      }
      setTimeout(() => { button.textContent = "Copy"; }, 2000);
    });
    code.after(button);
  }
});
