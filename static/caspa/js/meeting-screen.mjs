// The coordinator's control view of a meeting (templates/panel/meeting_screen.html).
//
// - What is typed in a decision's boxes is kept on the server as a draft, a second after the
//   typing stops (panel:item_draft), so that nothing typed is lost.
// - Each decision's form is sent by htmx and only its own section comes back (the markup says
//   so: templates/panel/_control_form.html); this script starts GOV.UK Frontend's parts in what
//   came back and keeps the keyboard focus in the section.
// - The arrow keys press "Previous" and "Next" (which move the room while the meeting runs);
//   with text not yet saved, the first press warns and the second moves on.
// - Letters jump to a decision: m minute, l lead agency, r risk review, g agencies, a action.
// None of it while someone is typing in a form field.

const root = document.querySelector("[data-control-view]");
const TYPING = "input, textarea, select, [contenteditable]";
const DRAFT_DELAY_MS = 1000;
const JUMPS = { m: "minute", l: "lead", r: "review", g: "agencies", a: "action" };

const script = document.querySelector("script[data-govuk-frontend]");
const govuk = script ? await import(script.dataset.govukFrontend) : null;

// --- drafts -------------------------------------------------------------------------------

const pending = new Map(); // box -> timer

function draftBox(element) {
  // A text box of a decision's form: its draft is named after the form and the box.
  if (!(element instanceof HTMLTextAreaElement || element instanceof HTMLInputElement)) return null;
  if (element instanceof HTMLInputElement && (element.type !== "text" || element.inputMode === "numeric")) {
    return null;
  }
  return element.closest("[data-draft-form]") ? element : null;
}

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function sendDraft(box) {
  clearTimeout(pending.get(box));
  pending.delete(box);
  const url = root && root.dataset.draftUrl;
  if (!url) return Promise.resolve();
  const body = new FormData();
  body.append("csrfmiddlewaretoken", csrfToken());
  body.append("field", `${box.closest("[data-draft-form]").dataset.draftForm}-${box.name}`);
  body.append("text", box.value);
  return fetch(url, { method: "POST", body, credentials: "same-origin", keepalive: true }).catch(
    () => {},
  );
}

function flushDrafts() {
  return Promise.all([...pending.keys()].map(sendDraft));
}

document.addEventListener("input", (event) => {
  const box = draftBox(event.target);
  if (!box) return;
  clearTimeout(pending.get(box));
  pending.set(box, setTimeout(() => sendDraft(box), DRAFT_DELAY_MS));
  disarm();
});

// A decision being sent: its own drafts are cleared by the server once it is saved, so a draft
// still waiting to be sent must not bring them back.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("[data-draft-form]");
  if (!form) return;
  for (const box of [...pending.keys()]) {
    if (form.contains(box)) {
      clearTimeout(pending.get(box));
      pending.delete(box);
    }
  }
});

// --- text not yet saved -------------------------------------------------------------------

function unsavedIn() {
  // The decisions with text typed and not yet saved: changed since the page showed the box, or
  // shown again from a draft or a refused save (the server marks those: data-unsaved).
  const names = [];
  for (const box of document.querySelectorAll("[data-draft-form] textarea, [data-draft-form] input")) {
    if (!draftBox(box) || !box.value.trim()) continue;
    if (box.value === box.defaultValue && !box.hasAttribute("data-unsaved")) continue;
    const name = box.closest("[data-decision]")?.dataset.decision;
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

const warning = document.getElementById("control-unsaved");
let armed = null;

function disarm() {
  armed = null;
  if (warning) warning.replaceChildren();
}

function warn(names, again) {
  const box = document.createElement("div");
  box.className = "govuk-warning-text";
  const icon = document.createElement("span");
  icon.className = "govuk-warning-text__icon";
  icon.setAttribute("aria-hidden", "true");
  icon.textContent = "!";
  const text = document.createElement("strong");
  text.className = "govuk-warning-text__text";
  const hidden = document.createElement("span");
  hidden.className = "govuk-visually-hidden";
  hidden.textContent = "Warning";
  text.append(
    hidden,
    `You have typed text that is not saved yet in: ${names.join(", ")}. It is kept as a draft. ` +
      `${again} again to move on, or save it first.`,
  );
  box.append(icon, text);
  warning.replaceChildren(box);
}

for (const form of document.querySelectorAll("form[data-control-move]")) {
  form.addEventListener("submit", (event) => {
    const direction = form.dataset.controlMove;
    const names = unsavedIn();
    event.preventDefault();
    if (names.length && armed !== direction && warning) {
      armed = direction;
      const key = direction === "next" ? "→" : "←";
      const button = direction === "next" ? "Next" : "Previous";
      warn(names, event.submitter ? `Select “${button}”` : `Press ${key}`);
      flushDrafts();
      return;
    }
    flushDrafts().finally(() => form.submit());
  });
}

// --- keyboard ----------------------------------------------------------------------------

document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.target.closest && event.target.closest(TYPING)) return;
  const move = { ArrowRight: "next", ArrowLeft: "previous" }[event.key];
  if (move && !event.shiftKey) {
    const form = document.querySelector(`form[data-control-move="${move}"]`);
    if (form) {
      event.preventDefault();
      form.requestSubmit();
    }
    return;
  }
  const section = JUMPS[event.key] && document.getElementById(`decision-${JUMPS[event.key]}`);
  if (section) {
    const first = section.querySelector(
      "[data-draft-form] textarea, [data-draft-form] select, [data-draft-form] input:not([type=hidden]), [data-draft-form] button",
    );
    event.preventDefault();
    section.scrollIntoView({ block: "start" });
    (first || section.querySelector("h2")).focus({ preventScroll: true });
  }
});

// --- what htmx brings back -----------------------------------------------------------------

document.body.addEventListener("htmx:afterSettle", (event) => {
  const section = event.detail.target;
  if (!(section instanceof Element) || !section.id || !section.id.startsWith("decision-")) return;
  const now = document.getElementById(section.id);
  if (!now) return;
  // Error summaries focus themselves when started; otherwise the focus, lost with the form
  // that was sent, goes back to the section's heading.
  if (govuk) govuk.initAll({ scope: now });
  if (!document.activeElement || document.activeElement === document.body) {
    now.querySelector("h2")?.focus({ preventScroll: true });
  }
});
