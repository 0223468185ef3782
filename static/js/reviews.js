// The review pages' scripts (no inline script: the Content-Security-Policy allows only ours).

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

// The self-assessment's list of tasks: one more empty row (name and outcome) per click.
document.querySelectorAll("[data-add-task]").forEach((button) => {
  button.addEventListener("click", () => {
    const rows = button.closest("[data-tasks]").querySelectorAll("[data-task-row]");
    const last = rows[rows.length - 1];
    const row = last.cloneNode(true);
    row.querySelectorAll("input, select").forEach((field) => {
      field.value = "";
    });
    last.after(row);
    row.querySelector("input").focus();
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
