// Starts GOV.UK Frontend's components and warns before the idle sign-out.
const script = document.querySelector("script[data-govuk-frontend]");
const { initAll } = await import(script.dataset.govukFrontend);
initAll();

const WARN_BEFORE_MS = 2 * 60 * 1000;
const idleMinutes = Number(document.body.dataset.sessionIdleMinutes || 0);
if (idleMinutes > 0) {
  const idleMs = idleMinutes * 60 * 1000;
  const warning = document.getElementById("idle-warning");
  setTimeout(() => {
    if (warning) {
      warning.hidden = false;
      warning.focus();
    }
  }, Math.max(idleMs - WARN_BEFORE_MS, 0));
  setTimeout(() => {
    const next = encodeURIComponent(location.pathname + location.search);
    location.assign(`${document.body.dataset.signInUrl}?timed_out=1&next=${next}`);
  }, idleMs + 5000);
}
