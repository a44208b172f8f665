// Article change form: the edit lock's heartbeat and "Take over", and autosave.
// Without JavaScript the form still works: the version it states (forms.py) protects it,
// and the banner's "Take over" is a plain form.
"use strict";
(() => {
  const TEXT_FIELDS = ["title", "slug", "standfirst", "dateline", "body",
    "lead_image_alt", "lead_image_caption", "lead_image_credit"];

  function start() {
    const session = document.getElementById("edit-session");
    const form = document.getElementById("article_form");
    if (!session || !form) return;
    const token = form.elements.csrfmiddlewaretoken.value;
    const banner = session.querySelector(".edit-lock-banner");
    const status = document.createElement("p");
    status.className = "help autosave-status";
    status.setAttribute("aria-live", "polite");
    session.append(status);
    let submitting = false;

    function fields(extra) {
      const body = new FormData();
      body.append("csrfmiddlewaretoken", token);
      for (const [name, value] of Object.entries(extra)) body.append(name, value);
      return body;
    }
    async function post(url, extra) {
      try {
        const response = await fetch(url, {
          method: "POST", body: fields(extra), credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        return response.ok ? await response.json() : null;
      } catch {
        return null; // offline for a moment: the next beat tries again
      }
    }

    function setSaving(allowed) {
      for (const button of form.querySelectorAll("[type=submit]")) button.disabled = !allowed;
    }
    function say(text, kind) {
      banner.replaceChildren();
      if (!text) return;
      const line = document.createElement("p");
      line.className = kind;
      line.textContent = text + " ";
      const take = document.createElement("button");
      take.type = "button";
      take.className = "button edit-lock-take";
      take.textContent = "Take over";
      take.addEventListener("click", async () => show(await post(session.dataset.lockUrl, { action: "take" })));
      line.append(take);
      banner.append(line);
    }
    function show(state) {
      if (!state) return;
      if (state.state === "mine") {
        say("");
        setSaving(true);
      } else if (state.state === "other") {
        say(`${state.holder} is editing this article (since ${state.since}).`, "warning");
      } else if (state.state === "taken") {
        say(`${state.holder} took over editing this article at ${state.since}. ` +
          "Your text was not saved: it is kept in the form for you to copy.", "error");
        setSaving(false);
      }
    }
    const beat = async () => show(await post(session.dataset.lockUrl, { action: "beat" }));

    // The banner's plain "Take over" form, done in place (no reload, nothing typed lost).
    for (const takeForm of session.querySelectorAll("form.edit-lock-take")) {
      takeForm.addEventListener("submit", async (event) => {
        event.preventDefault();
        show(await post(session.dataset.lockUrl, { action: "take" }));
      });
    }

    function typed() {
      const data = { version: form.elements.edited_version.value };
      for (const name of TEXT_FIELDS) {
        const field = form.elements[name];
        if (field) data[name] = field.value;
      }
      return data;
    }
    let lastSaved = JSON.stringify(typed());
    async function autosave() {
      const data = typed();
      const key = JSON.stringify(data);
      if (key === lastSaved) return;
      const answer = await post(session.dataset.autosaveUrl, data);
      if (answer) {
        lastSaved = key;
        status.textContent = `Autosaved at ${answer.saved_at} (only you see it).`;
      }
    }

    form.addEventListener("submit", () => { submitting = true; });
    window.addEventListener("pagehide", () => {
      if (submitting) return;
      const data = typed();
      if (JSON.stringify(data) !== lastSaved) navigator.sendBeacon(session.dataset.autosaveUrl, fields(data));
      navigator.sendBeacon(session.dataset.lockUrl, fields({ action: "release" }));
    });
    setInterval(beat, Number(session.dataset.beatSeconds) * 1000);
    setInterval(autosave, Number(session.dataset.autosaveSeconds) * 1000);
  }

  // A refused save: "Use theirs" copies their value of a plain field into the form.
  function mergeButtons() {
    const form = document.getElementById("article_form");
    for (const row of document.querySelectorAll(".conflict-table tr[data-field]")) {
      const field = form && form.elements[row.dataset.field];
      if (!field || field.tagName === "SELECT" || row.dataset.field === "body") continue;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = "Use theirs";
      button.addEventListener("click", () => {
        field.value = row.querySelector(".theirs").innerText;
        field.focus();
      });
      row.querySelector(".merge").append(button);
    }
  }

  document.addEventListener("DOMContentLoaded", () => { start(); mergeButtons(); });
})();
