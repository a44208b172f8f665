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
