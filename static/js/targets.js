// The targets pages' scripts (no inline script: the Content-Security-Policy allows only ours).

// The allocation grid: keyboard first (Enter moves to the next row, as Tab does; the last
// row's Enter saves) and the sum of the rows beside the level's own target, as typed.
// The server checks and sums again when saving.
(function () {
  function parse(text) {
    // As Vietnamese writes numbers: "1.250" (a thousands dot), "12,5" (a decimal comma).
    let t = text.trim().replace(/\s/g, "");
    if (!t) return 0;
    if (t.includes(",")) t = t.replace(/\./g, "").replace(",", ".");
    else if (/^\d{1,3}\.\d{3}$/.test(t)) t = t.replace(".", "");
    const n = Number(t);
    return Number.isFinite(n) ? n : NaN;
  }

  function format(n) {
    return n.toLocaleString("vi-VN", { maximumFractionDigits: 2 });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const grid = document.querySelector("[data-allocation-grid]");
    if (!grid) return;
    const inputs = Array.from(grid.querySelectorAll("[data-allocation-input]"));
    const total = grid.querySelector("[data-allocation-total]");
    function recount() {
      const sum = inputs.reduce((acc, el) => acc + parse(el.value), 0);
      total.textContent = Number.isNaN(sum) ? "?" : format(sum);
    }
    inputs.forEach(function (input, i) {
      input.addEventListener("input", recount);
      input.addEventListener("keydown", function (event) {
        if (event.key !== "Enter") return;
        if (i + 1 < inputs.length) {
          event.preventDefault();
          inputs[i + 1].focus();
          inputs[i + 1].select();
        }
      });
    });
    grid.dataset.ready = "1"; // the keys above are in place (a page test waits for it)
  });
})();
