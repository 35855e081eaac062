/* Every form, once (see zhibu/core/idempotency.py): each POST form gets a one-time `_once` token
   when the page is shown, and its submit buttons are disabled while it is being sent. A page
   restored by the back button keeps its token, so resubmitting it is recognised on the server. */
(function () {
  "use strict";
  function token() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function stamp(form, fresh) {
    if ((form.getAttribute("method") || "").toLowerCase() !== "post") return;
    var input = form.querySelector('input[name="_once"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "_once";
      form.appendChild(input);
    }
    if (fresh || !input.value) input.value = token();
  }
  function stampAll(root) {
    var forms = (root || document).querySelectorAll("form");
    for (var i = 0; i < forms.length; i++) stamp(forms[i], false);
  }
  document.addEventListener("DOMContentLoaded", function () { stampAll(document); });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
    if ((form.getAttribute("method") || "").toLowerCase() !== "post") return;
    stamp(form, false);
    if (form.hasAttribute("hx-post")) return;  // htmx sends it; the token is renewed after the request
    if (form.dataset.sending === "1") { event.preventDefault(); return; }
    form.dataset.sending = "1";
    window.setTimeout(function () {  // after the browser has taken the submitter's name and value
      var buttons = form.querySelectorAll('button:not([type="button"]), input[type="submit"]');
      for (var i = 0; i < buttons.length; i++) { buttons[i].disabled = true; buttons[i].classList.add("sending"); }
    }, 0);
  }, false);
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;  // restored from the back-forward cache: allow a click again, same token
    var forms = document.querySelectorAll('form[data-sending="1"]');
    for (var i = 0; i < forms.length; i++) {
      delete forms[i].dataset.sending;
      var buttons = forms[i].querySelectorAll("button, input[type=submit]");
      for (var j = 0; j < buttons.length; j++) { buttons[j].disabled = false; buttons[j].classList.remove("sending"); }
    }
  });
  document.addEventListener("htmx:load", function (event) { stampAll(event.target); });
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    var form = elt && (elt.tagName === "FORM" ? elt : elt.closest && elt.closest("form"));
    if (form && event.detail.successful) stamp(form, true);
  });
})();
