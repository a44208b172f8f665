// Embeds in the body editor (issue 15), a django-prose-editor extension. Pasting a lone
// https address, or the "Embed" button's dialog, asks the server (the admin's embed view)
// whether it is a known provider's; the answer is either the embed's data, inserted as a
// block, or the reason it is refused, shown under the editor. Pasted iframe code is never
// inserted: the server's message says to paste the address instead.
import { crel, gettext, Node, Plugin, updateAttrsDialog } from "django-prose-editor/editor"

const csrfToken = () => document.querySelector("input[name=csrfmiddlewaretoken]")?.value || ""

const showMessage = (editor, text) => {
  const holder = editor.view.dom.closest(".prose-editor") || editor.view.dom.parentElement
  let message = holder.parentElement.querySelector(".embed-message")
  if (!text) {
    message?.remove()
    return
  }
  if (!message) {
    message = crel("p", { className: "embed-message errornote", role: "alert" })
    holder.after(message)
  }
  message.textContent = text
}

const resolveEmbed = async (endpoint, url) => {
  const body = new URLSearchParams({ url })
  try {
    const response = await fetch(endpoint, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    })
    const data = await response.json()
    return response.ok ? { embed: data.embed } : { error: data.error }
  } catch {
    return { error: gettext("The embed could not be checked: try again.") }
  }
}

const attribute = (name) => ({
  default: "",
  parseHTML: (element) => element.getAttribute(`data-${name}`) || "",
  renderHTML: (attrs) => (attrs[name] ? { [`data-${name}`]: attrs[name] } : {}),
})

export const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  draggable: true,

  addOptions() {
    return { endpoint: "", hosts: [] }
  },

  addAttributes() {
    return {
      embed: attribute("embed"),
      url: attribute("url"),
      title: attribute("title"),
      poster: attribute("poster"),
      caption: {
        default: "",
        parseHTML: (element) => element.querySelector("figcaption")?.textContent || "",
        renderHTML: () => ({}),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-embed]", priority: 100 }]
  },

  renderHTML({ node, HTMLAttributes }) {
    const caption = node.attrs.caption
    return caption ? ["figure", HTMLAttributes, ["figcaption", caption]] : ["figure", HTMLAttributes]
  },

  addNodeView() {
    return ({ node }) => {
      const { title, url, caption } = node.attrs
      const dom = crel("figure", { className: "prose-embed", "data-embed": node.attrs.embed }, [
        crel("p", { className: "prose-embed-title", textContent: `${gettext("Embed")}: ${title || url}` }),
        crel("p", { className: "prose-embed-url", textContent: url }),
      ])
      if (caption) dom.append(crel("figcaption", { textContent: caption }))
      return { dom }
    }
  },

  addCommands() {
    return {
      insertEmbedFromUrl:
        (url, caption = "", keepText = "") =>
        ({ editor }) => {
          resolveEmbed(this.options.endpoint, url).then(({ embed, error }) => {
            if (error) {
              showMessage(editor, error)
              // A refused paste of an address stays in the text, as a plain paste would.
              if (keepText) editor.chain().focus().insertContent(keepText).run()
              return
            }
            showMessage(editor, "")
            const attrs = {
              embed: embed.provider,
              url: embed.url,
              title: embed.title,
              poster: embed.poster,
              caption,
            }
            editor.chain().focus().insertContent({ type: this.name, attrs }).run()
          })
          return true
        },
      embedDialog:
        () =>
        ({ editor }) => {
          const selected = editor.state.selection.node
          const current = selected?.type.name === this.name ? selected.attrs : {}
          updateAttrsDialog(
            {
              url: { type: "string", title: gettext("Address (https://…)"), required: true },
              caption: { type: "string", title: gettext("Caption") },
            },
            { title: gettext("Embed"), submitText: gettext("Embed") },
          )(editor, current).then((attrs) => {
            if (attrs) editor.commands.insertEmbedFromUrl(attrs.url.trim(), attrs.caption.trim())
          })
          return true
        },
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "embed",
      groups: "nodes",
      command(editor) {
        editor.commands.embedDialog()
      },
      button: buttons.material("smart_display", gettext("Embed")),
    })
  },

  addProseMirrorPlugins() {
    const editor = this.editor
    const hosts = this.options.hosts || []
    return [
      new Plugin({
        props: {
          handlePaste(_view, event) {
            const data = event.clipboardData
            if (!data) return false
            const text = (data.getData("text/plain") || "").trim()
            const markup = data.getData("text/html") || ""
            if (/<(iframe|script)\b/i.test(markup) || /^<(iframe|script)\b/i.test(text)) {
              // Never inserted: the server says why, in the editor's own words.
              editor.commands.insertEmbedFromUrl(text || markup)
              return true
            }
            // A lone address of a known provider's host becomes an embed; any other
            // address is pasted as usual (a link in the text is no embed).
            const host = /^https:\/\/([^/?#\s]+)[/?#]\S*$/.exec(text)?.[1]?.toLowerCase()
            if (host && hosts.includes(host)) {
              editor.commands.insertEmbedFromUrl(text, "", text)
              return true
            }
            return false
          },
        },
      }),
    ]
  },
})
