// Countdown bars and keyboard answers. The server owns every deadline: the page only shows
// the seconds the server said were left, counted with a monotonic clock (performance.now),
// so changing the computer's clock changes nothing. When the bar runs out the page moves on
// by itself: a drill posts "timed out", a paper submits (without the summary's question).
// A paper's clock speaks to screen readers twice, politely: at one minute left and at the
// end; a drill question's, once, five seconds before it times out. The ticking label is
// hidden from them, so they are not told every second.
(function () {
  "use strict";

  function format(seconds, clock) {
    const s = Math.max(0, Math.ceil(seconds));
    if (!clock) return s + " s";
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    const pad = (n) => String(n).padStart(2, "0");
    return (h ? h + ":" + pad(m) : m) + ":" + pad(r) + " left";
  }

  function expire(el) {
    const form = document.getElementById(el.dataset.expireForm);
    if (!form || form.dataset.expired) return;
    form.dataset.expired = "1";
    const timeout = form.querySelector('input[name="timeout"]');
    if (timeout) timeout.value = "1";
    delete form.dataset.confirm;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  function start(el) {
    if (el.dataset.started) return;
    el.dataset.started = "1";
    const left = parseFloat(el.dataset.secondsLeft);
    const total = parseFloat(el.dataset.total) || left || 1;
    const began = performance.now();
    const bar = el.querySelector(".bar span");
    const label = el.querySelector(".secs");
    const clock = el.dataset.clock === "1";
    const announce = el.dataset.announce && document.getElementById(el.dataset.announce);
    let said = "";
    function speak(text) {
      if (announce && said !== text) { said = text; announce.textContent = text; }
    }
    function tick() {
      if (!el.isConnected) return;
      const remaining = left - (performance.now() - began) / 1000;
      if (!clock) {
        if (remaining > 0 && remaining <= 5 && left > 5) speak("Five seconds left.");
      } else if (remaining <= 0) speak("Time is up. Your paper is being submitted.");
      else if (remaining <= 60) speak(left > 60 ? "One minute left." : "Less than one minute left.");
      if (bar) bar.style.width = Math.max(0, (remaining / total) * 100) + "%";
      if (label) label.textContent = format(remaining, clock);
      el.classList.toggle("low", remaining <= Math.min(5, total / 4));
      if (remaining <= 0) { expire(el); return; }
      requestAnimationFrame(tick);
    }
    tick();
  }

  // A drill question swapped in by htmx: say which question it is (a live region outside
  // the swapped part) and move focus to its stem, so a screen reader reads it out.
  function arrive(root) {
    const drill = root.id === "drill" ? root : root.querySelector && root.querySelector("#drill");
    if (!drill || !drill.dataset.announce) return;
    const region = document.getElementById("drill-announce");
    if (region) region.textContent = drill.dataset.announce;
    const stem = drill.querySelector(".stem");
    if (stem) stem.focus({ preventScroll: false });
  }

  // A checked-in live test's lobby: the time to the opening, counted the same way; "Begin"
  // waits until then (without this script the server refuses an early press and says why).
  function opening(el) {
    if (el.dataset.started) return;
    el.dataset.started = "1";
    const left = parseFloat(el.dataset.opensIn);
    const began = performance.now();
    const label = el.querySelector(".opens-in");
    const button = document.getElementById("begin-button");
    if (button) button.disabled = true;
    function tick() {
      const remaining = left - (performance.now() - began) / 1000;
      if (remaining > 0) {
        if (label) label.textContent = format(remaining, true).replace(" left", "");
        setTimeout(tick, 250);
        return;
      }
      if (label) label.textContent = "0:00";
      el.classList.add("open");
      const region = document.getElementById("opening-announce");
      if (region) region.textContent = "The test is open. You may begin.";
      if (button) { button.disabled = false; button.focus(); }
    }
    tick();
  }

  function init(root, swapped) {
    (root || document).querySelectorAll(".countdown").forEach(start);
    (root || document).querySelectorAll("[data-opens-in]").forEach(opening);
    const next = (root || document).querySelector("#next");
    if (next) next.focus();
    if (swapped) arrive(root);
  }

  document.addEventListener("DOMContentLoaded", () => init(document));
  document.addEventListener("htmx:load", (e) => init(e.target, e.target !== document.body));

  document.addEventListener("submit", (e) => {
    const form = e.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) e.preventDefault();
  });

  // A paper: an option picked but not yet saved does not count (as in the exam hall), so
  // say so beside the options until the student saves it.
  document.addEventListener("change", (e) => {
    const input = e.target;
    const form = input.form;
    if (!form || form.id !== "answer-form" || input.name !== "choice" || !("saved" in form.dataset)) return;
    const note = document.getElementById("unsaved");
    if (!note) return;
    note.textContent = input.value === form.dataset.saved
      ? "" : "Not saved yet: press Save & Next or Save & Mark for Review to keep this choice.";
  });

  // "Go back" on an error message (a javascript: link would need an inline-script CSP).
  document.addEventListener("click", (e) => {
    const back = e.target.closest && e.target.closest("[data-back]");
    if (back && window.history.length > 1) { e.preventDefault(); window.history.back(); }
  });

  // A request lost to the network (htmx:sendError: no response at all) is retried, the same
  // request again, a bounded number of times with back-off, while an aria-live region says
  // so. Answers are idempotent on the server (the first answer to a question stands), so a
  // retry of a request that did arrive changes nothing. After the last try: a clear message,
  // and the buttons work again so the student can answer by hand.
  const RETRY_DELAYS_MS = [500, 1000, 2000];
  const tries = new WeakMap();

  function say(text) {
    const status = document.getElementById("net-status");
    if (status) status.textContent = text;
  }

  function setDisabled(form, disabled) {
    form.querySelectorAll("button").forEach((b) => { b.disabled = disabled; });
  }

  document.addEventListener("htmx:sendError", (e) => {
    const source = e.detail.elt;
    const config = e.detail.requestConfig;
    if (!source || !config || !window.htmx) return;
    const n = tries.get(source) || 0;
    if (n >= RETRY_DELAYS_MS.length) {
      tries.delete(source);
      say("Could not reach the server, so this was not sent. Check your connection and try again.");
      return;
    }
    tries.set(source, n + 1);
    say("Connection lost, retrying…");
    setDisabled(source, true);  // no second, different answer while the first is retried
    const values = Object.fromEntries(config.formData || config.parameters || []);
    window.setTimeout(() => {
      setDisabled(source, false);
      const retry = window.htmx.ajax(config.verb.toUpperCase(), config.path, {
        source: source,
        target: config.target,
        swap: source.getAttribute("hx-swap") || undefined,
        values: values,
      });
      // A failed retry is handled by the next htmx:sendError; its promise need not be.
      if (retry && retry.catch) retry.catch(() => {});
    }, RETRY_DELAYS_MS[n]);
  });

  document.addEventListener("htmx:afterRequest", (e) => {
    if (!e.detail.successful) return;
    if (e.detail.elt) tries.delete(e.detail.elt);
    say("");
  });

  // A form marked data-show-errors gets its errors back as a 400 with the form on it:
  // htmx swaps only 2xx responses unless told, so that one is let through.
  document.addEventListener("htmx:beforeSwap", (e) => {
    const elt = e.detail.requestConfig && e.detail.requestConfig.elt; // the form, not the target
    if (e.detail.xhr.status !== 400 || !elt || !elt.closest || !elt.closest("[data-show-errors]")) return;
    e.detail.shouldSwap = true;
    e.detail.isError = false;
  });

  // 1–4 or A–D answers the question on screen.
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" && e.target.type !== "radio" || tag === "textarea" || tag === "select") return;
    const map = { "1": 1, "2": 2, "3": 3, "4": 4, a: 1, b: 2, c: 3, d: 4 };
    const n = map[e.key.toLowerCase()];
    if (!n) return;
    const target = document.querySelector('#answer-form [data-key="' + n + '"]');
    if (!target) return;
    e.preventDefault();
    if (target.type === "radio") {
      target.checked = true;
      target.focus();
      target.dispatchEvent(new Event("change", { bubbles: true }));
    } else { target.click(); }
  });
})();
