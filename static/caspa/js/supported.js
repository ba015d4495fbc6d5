// GOV.UK Frontend styles its components for JavaScript only when these classes are present.
// (The Design System's template sets them inline; our Content-Security-Policy forbids that.)
document.body.className += " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
