// Body pictures for the article editor (django-prose-editor): a figure that refers to a
// media-library image by id, <figure data-image="42"><figcaption>…</figcaption></figure>.
// The page renders the <img> (renditions, srcset) from the id; no URL is stored.
// Pictures come in by the "Add picture" button, drag-and-drop or paste (uploaded to the
// library after the editor gives alt text) or by "From library".
import { Node, Plugin } from "django-prose-editor/editor";

const ID = /^[1-9][0-9]{0,8}$/;

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function imageFiles(transfer) {
  return Array.from((transfer && transfer.files) || []).filter((f) => f.type.startsWith("image/") || !f.type);
}

function el(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) node.append(child);
  return node;
}

function field(label, input, help) {
  const id = `library-image-${input.name}`;
  input.id = id;
  const row = el("p", { className: "library-image-field" }, [el("label", { htmlFor: id, textContent: label }), input]);
  if (help) row.append(el("span", { className: "help", textContent: help }));
  return row;
}

// A modal <dialog>: the picture's words, then the upload. Errors stay in the dialog.
function askAndUpload(editor, file, options, pos) {
  const alt = el("input", { name: "alt", type: "text", maxLength: 300 });
  const decorative = el("input", { name: "decorative", type: "checkbox" });
  const caption = el("input", { name: "caption", type: "text", maxLength: 300 });
  const credit = el("input", { name: "credit", type: "text", maxLength: 150 });
  const error = el("p", { className: "errornote library-image-error", hidden: true });
  error.setAttribute("role", "alert");
  const submit = el("button", { type: "submit", className: "button default", textContent: "Upload" });
  const cancel = el("button", { type: "button", className: "button", textContent: "Cancel" });
  const form = el("form", { method: "dialog" }, [
    el("h2", { textContent: `Add “${file.name || "picture"}”` }),
    field("Alt text", alt, "What the picture shows, for readers who cannot see it."),
    field("Decorative (no alt text needed)", decorative),
    field("Caption", caption),
    field("Credit", credit),
    error,
    el("p", { className: "library-image-actions" }, [submit, cancel]),
  ]);
  const dialog = el("dialog", { className: "library-image-dialog" }, [form]);
  dialog.setAttribute("aria-label", "Add a picture");
  document.body.append(dialog);
  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => dialog.remove());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!alt.value.trim() && !decorative.checked) {
      error.textContent = "Give alt text, or mark the picture as decorative.";
      error.hidden = false;
      alt.focus();
      return;
    }
    const body = new FormData();
    body.append("file", file);
    for (const input of [alt, caption, credit]) body.append(input.name, input.value);
    body.append("decorative", decorative.checked ? "1" : "");
    submit.disabled = true;
    submit.textContent = "Uploading…";
    try {
      const response = await fetch(options.uploadUrl, {
        method: "POST", body, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() },
      });
      const data = await response.json().catch(() => ({ error: `The upload failed (${response.status}).` }));
      if (!response.ok) throw new Error(data.error || `The upload failed (${response.status}).`);
      insertImage(editor, { image: data.id, caption: caption.value.trim(), src: data.thumbnail, alt: data.alt }, pos);
      dialog.close();
    } catch (failure) {
      error.textContent = failure.message;
      error.hidden = false;
      submit.disabled = false;
      submit.textContent = "Upload";
    }
  });
  dialog.showModal();
  alt.focus();
}

// A drop inside a paragraph puts the picture before or after it, never splits its words.
function blockBoundary(editor, pos) {
  const $pos = editor.state.doc.resolve(pos);
  if (!$pos.parent.isTextblock || $pos.depth === 0) return pos;
  return $pos.parentOffset === 0 ? $pos.before() : $pos.after();
}

function insertImage(editor, attrs, pos) {
  const content = { type: "libraryImage", attrs };
  // Without a drop point: after the selection (a selected picture stays, is not replaced).
  const at = typeof pos === "number" ? pos : editor.state.selection.to;
  editor.chain().focus().insertContentAt(blockBoundary(editor, at), content).run();
}

async function chooseFromLibrary(editor, options) {
  const search = el("input", { name: "q", type: "search" });
  const list = el("ul", { className: "library-image-list" });
  const status = el("p", { className: "help" });
  status.setAttribute("role", "status");
  const close = el("button", { type: "button", className: "button", textContent: "Cancel" });
  const dialog = el("dialog", { className: "library-image-dialog" }, [
    el("h2", { textContent: "Choose from the library" }), field("Search", search), status, list, close,
  ]);
  dialog.setAttribute("aria-label", "Choose from the library");
  document.body.append(dialog);
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => dialog.remove());
  const load = async () => {
    const url = `${options.libraryUrl}?q=${encodeURIComponent(search.value)}`;
    const response = await fetch(url, { credentials: "same-origin" });
    const data = await response.json();
    list.replaceChildren();
    status.textContent = data.images && data.images.length ? "" : "No image found.";
    for (const image of data.images || []) {
      const button = el("button", { type: "button", className: "library-image-choice" }, [
        el("img", { src: image.thumbnail, alt: "", width: 96 }), el("span", { textContent: image.title }),
      ]);
      button.addEventListener("click", () => {
        insertImage(editor, { image: image.id, caption: image.caption, src: image.thumbnail, alt: image.alt });
        dialog.close();
      });
      list.append(el("li", {}, [button]));
    }
  };
  let timer;
  search.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(load, 250); });
  dialog.showModal();
  await load();
}

function editCaption(editor, node, getPos) {
  const caption = el("input", { name: "caption", type: "text", maxLength: 300, value: node.attrs.caption });
  const save = el("button", { type: "submit", className: "button default", textContent: "Save caption" });
  const cancel = el("button", { type: "button", className: "button", textContent: "Cancel" });
  const form = el("form", { method: "dialog" }, [
    field("Caption", caption), el("p", { className: "library-image-actions" }, [save, cancel]),
  ]);
  const dialog = el("dialog", { className: "library-image-dialog" }, [form]);
  dialog.setAttribute("aria-label", "Edit the caption");
  document.body.append(dialog);
  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => dialog.remove());
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const pos = getPos();
    editor.chain().focus().command(({ tr }) => {
      tr.setNodeAttribute(pos, "caption", caption.value.trim());
      return true;
    }).run();
    dialog.close();
  });
  dialog.showModal();
  caption.focus();
}

export const LibraryImage = Node.create({
  name: "libraryImage",
  group: "block",
  atom: true,
  draggable: true,

  addOptions() {
    return { uploadUrl: "", libraryUrl: "", thumbnailUrl: "" };
  },

  addAttributes() {
    return {
      image: {
        default: null,
        parseHTML: (element) => {
          const value = element.getAttribute("data-image") || "";
          return ID.test(value) ? Number(value) : null;
        },
        renderHTML: () => ({}),
      },
      caption: {
        default: "",
        parseHTML: (element) => (element.querySelector("figcaption") || {}).textContent || "",
        renderHTML: () => ({}),
      },
      // Shown in the editor only, never stored.
      src: { default: "", parseHTML: () => "", renderHTML: () => ({}) },
      alt: { default: "", parseHTML: () => "", renderHTML: () => ({}) },
    };
  },

  parseHTML() {
    return [{ tag: "figure[data-image]" }];
  },

  renderHTML({ node }) {
    const attrs = { "data-image": String(node.attrs.image) };
    return node.attrs.caption ? ["figure", attrs, ["figcaption", node.attrs.caption]] : ["figure", attrs];
  },

  addNodeView() {
    const thumbnail = this.options.thumbnailUrl;
    return ({ node, getPos, editor }) => {
      const src = node.attrs.src || thumbnail.replace("/0/", `/${node.attrs.image}/`);
      const edit = el("button", { type: "button", className: "button", textContent: "Edit caption" });
      edit.addEventListener("click", () => editCaption(editor, node, getPos));
      // A figcaption is the figure's first or last child (HTML): the button goes before it.
      const dom = el("figure", { className: "library-image" }, [
        el("img", { src, alt: node.attrs.alt || `Library image ${node.attrs.image}` }),
        edit,
        el("figcaption", { textContent: node.attrs.caption || "(no caption)" }),
      ]);
      dom.dataset.image = String(node.attrs.image);
      return { dom };
    };
  },

  addMenuItems({ buttons, menu }) {
    const options = this.options;
    menu.defineItem({
      name: "libraryImage:upload",
      groups: "nodes",
      button: buttons.text("Add picture", "Add picture: upload one, or drop or paste it into the text"),
      command(editor) {
        const input = el("input", { type: "file", accept: "image/jpeg,image/png,image/webp" });
        input.addEventListener("change", () => {
          if (input.files[0]) askAndUpload(editor, input.files[0], options);
        });
        input.click();
      },
    });
    menu.defineItem({
      name: "libraryImage:choose",
      groups: "nodes",
      button: buttons.text("From library", "From library: choose a picture used before"),
      command(editor) {
        chooseFromLibrary(editor, options);
      },
    });
  },

  addProseMirrorPlugins() {
    const { editor, options } = this;
    const take = (view, files, pos) => {
      if (!files.length) return false;
      askAndUpload(editor, files[0], options, pos);
      return true;
    };
    return [
      new Plugin({
        props: {
          handleDrop(view, event) {
            const files = imageFiles(event.dataTransfer);
            if (!files.length) return false;
            event.preventDefault();
            const at = view.posAtCoords({ left: event.clientX, top: event.clientY });
            return take(view, files, at ? at.pos : undefined);
          },
          handlePaste(view, event) {
            return take(view, imageFiles(event.clipboardData));
          },
        },
      }),
    ];
  },
});
