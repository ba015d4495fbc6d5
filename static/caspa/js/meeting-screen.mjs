// The meeting screen moves between agenda items with the left and right arrow keys,
// except while someone is typing in a form field.
const TYPING = "input, textarea, select, [contenteditable]";

document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  if (event.target.closest && event.target.closest(TYPING)) return;
  const link = {
    ArrowRight: document.querySelector("[data-screen-next]"),
    ArrowLeft: document.querySelector("[data-screen-prev]"),
  }[event.key];
  if (link) {
    event.preventDefault();
    location.assign(link.href);
  }
});
