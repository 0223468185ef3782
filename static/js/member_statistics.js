// Charts of the member statistics page. The numbers come from the page's
// <script type="application/json" id="member-statistics-data"> block (no inline script:
// the Content-Security-Policy allows only our own files).
(function () {
  "use strict";

  var COLORS = ["#206bc4", "#2fb344", "#f76707", "#d63939", "#ae3ec9", "#17a2b8", "#f59f00", "#74b816", "#6574cd", "#868e96"];
  var PIE_DIMENSIONS = { status: true, sex: true, youth: true };

  function draw(canvas, item) {
    var pie = PIE_DIMENSIONS[item.key] === true;
    return new window.Chart(canvas, {
      type: pie ? "doughnut" : "bar",
      data: {
        labels: item.labels,
        datasets: [{
          label: item.title,
          data: item.counts,
          backgroundColor: pie ? COLORS.slice(0, item.counts.length) : COLORS[0],
        }],
      },
      options: {
        locale: "vi-VN",
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: pie ? undefined : "y",
        plugins: { legend: { display: pie, position: "right" } },
        scales: pie ? {} : { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  function start() {
    var source = document.getElementById("member-statistics-data");
    if (!source || !window.Chart) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var items = data.dimensions.slice();
    items.push({ key: "changes", title: data.changes.title, labels: data.changes.labels, counts: data.changes.counts });
    items.forEach(function (item) {
      var canvas = document.querySelector('canvas[data-chart="' + item.key + '"]');
      if (canvas) {
        draw(canvas, item);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
