// The review pages' scripts (no inline script: the Content-Security-Policy allows only ours).

// What-if on the decision page: the quota of Quy định 124-QĐ/TW as
// reviews.regimes.common.excellent_quota counts it, recomputed as the deciding committee
// changes a rating. The server checks again when saving.
window.whatIf = function whatIf(share, base, rounding, applies) {
  return {
    excellent: 0,
    good: 0,
    quota: null,
    recount() {
      const values = Array.from(this.$root.querySelectorAll("[data-rating]")).map((el) => el.value);
      this.excellent = values.filter((v) => v === "excellent").length;
      this.good = values.filter((v) => v === "good").length;
      if (!applies) {
        this.quota = null;
        return;
      }
      const raw = (base === "good" ? this.good : this.excellent + this.good) * share;
      if (rounding === "up") this.quota = Math.ceil(raw - 1e-9);
      else if (rounding === "nearest") this.quota = Math.round(raw);
      else this.quota = Math.floor(raw + 1e-9);
    },
  };
};

// The cell's grid: a block pasted from Excel into a numeric cell fills the grid from there,
// a row per line and a column per tab, as a secretary copies them from the forms' sheet.
document.querySelectorAll("[data-grid] input[inputmode]").forEach((input) => {
  input.addEventListener("paste", (event) => {
    const text = event.clipboardData.getData("text");
    if (!text.includes("\t") && !text.includes("\n")) return;
    event.preventDefault();
    const rows = Array.from(document.querySelectorAll("[data-grid] tr[data-row]"));
    const startRow = rows.indexOf(input.closest("tr"));
    const startCol = Array.from(input.closest("tr").querySelectorAll("input[inputmode]")).indexOf(input);
    text
      .replace(/\r/g, "")
      .split("\n")
      .filter((line) => line.length)
      .forEach((line, i) => {
        const row = rows[startRow + i];
        if (!row) return;
        const cells = row.querySelectorAll("input[inputmode]");
        line.split("\t").forEach((value, j) => {
          if (cells[startCol + j]) cells[startCol + j].value = value.trim();
        });
      });
  });
});

// The report's trend chart.
const trendData = document.getElementById("trend-data");
if (trendData && window.Chart) {
  const trend = JSON.parse(trendData.textContent);
  new window.Chart(document.getElementById("trend"), {
    type: "bar",
    data: { labels: trend.years, datasets: trend.series },
    options: { locale: "vi-VN", scales: { y: { beginAtZero: true } } },
  });
}
