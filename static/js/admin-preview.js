// The editors' "Preview unsaved changes" button (htmx). When the preview request fails —
// the server answers an error, or the request never reaches it — say so in the page instead
// of leaving the old preview in place as if nothing had happened. Loaded from a file, not
// inline, so the pages work under a Content-Security-Policy without 'unsafe-inline'.
(function () {
  "use strict";

  function errorBox(evt) {
    const source = evt.detail && evt.detail.elt ? evt.detail.elt : evt.target;
    const module = source && source.closest ? source.closest("#question-preview-module") : null;
    return module ? module.querySelector("#question-preview-error") : null;
  }

  function show(evt, message) {
    const box = errorBox(evt);
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
  }

  document.addEventListener("htmx:beforeRequest", function (evt) {
    const box = errorBox(evt);
    if (box) {
      box.hidden = true;
      box.textContent = "";
    }
  });

  document.addEventListener("htmx:responseError", function (evt) {
    const xhr = evt.detail && evt.detail.xhr;
    const status = xhr ? " (" + xhr.status + (xhr.statusText ? " " + xhr.statusText : "") + ")" : "";
    show(evt, "The preview failed: the server answered with an error" + status +
      ". Your unsaved changes are still in the form; try again, or save to see the errors.");
  });

  document.addEventListener("htmx:sendError", function (evt) {
    show(evt, "The preview failed: the server could not be reached. " +
      "Check your connection; your unsaved changes are still in the form.");
  });
})();
