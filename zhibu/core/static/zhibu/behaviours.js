/* Small page behaviours declared with data attributes (the Content-Security-Policy allows no inline
   event handlers): data-confirm="问题" on a form asks before submitting, data-autosubmit on a field
   submits its form when changed, data-select-on-click selects an input's text when clicked.
   Listeners are attached to those elements only (on load and after htmx swaps in new content). */
(function () {
  "use strict";
  function bind(root) {
    var forms = root.querySelectorAll("form[data-confirm]");
    for (var i = 0; i < forms.length; i++) {
      if (forms[i].dataset.confirmBound) continue;
      forms[i].dataset.confirmBound = "1";
      forms[i].addEventListener("submit", function (event) {
        if (!window.confirm(this.getAttribute("data-confirm"))) {
          event.preventDefault();
          event.stopImmediatePropagation();
        }
      });
    }
    var fields = root.querySelectorAll("[data-autosubmit]");
    for (var j = 0; j < fields.length; j++) {
      fields[j].addEventListener("change", function () {
        if (!this.form) return;
        if (this.form.requestSubmit) { this.form.requestSubmit(); } else { this.form.submit(); }
      });
    }
    var inputs = root.querySelectorAll("[data-select-on-click]");
    for (var k = 0; k < inputs.length; k++) {
      inputs[k].addEventListener("click", function () { this.select(); });
    }
  }
  document.addEventListener("DOMContentLoaded", function () { bind(document); });
  document.addEventListener("htmx:load", function (event) { if (event.target.querySelectorAll) bind(event.target); });
})();
