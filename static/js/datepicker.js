// A Vietnamese calendar (flatpickr, locale "vn") on every date field the forms render with
// data-datepicker (lib/forms.py VNDateField). The field keeps its dd/mm/yyyy text: typing a
// date still works (allowInput), and the server reads the same format either way.
(function () {
  "use strict";

  function attach(root) {
    if (typeof window.flatpickr !== "function") {
      return;
    }
    root.querySelectorAll("input[data-datepicker]").forEach(function (input) {
      if (input._flatpickr) {
        return;
      }
      window.flatpickr(input, {
        dateFormat: "d/m/Y",
        allowInput: true,
        locale: "vn",
        disableMobile: true,
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    attach(document);
  });
  // Fragments htmx swaps in (e.g. a form re-rendered) get their pickers too.
  document.addEventListener("htmx:afterSwap", function (event) {
    attach(event.target);
  });
})();
