// Draws the dashboard's charts: each <canvas data-chart="id"> reads its data from the
// <script type="application/json" id="id"> that json_script wrote next to it. Panels
// arrive by htmx, so this runs on page load and after every swap.
(function () {
  "use strict";
  var palette = ["#1f6feb", "#2da44e", "#d4a72c", "#cf222e", "#8250df", "#57606a"];

  function draw(root) {
    if (typeof window.Chart === "undefined") return;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var round = data.kind === "doughnut" || data.kind === "pie";
      canvas.dataset.drawn = "1";
      new window.Chart(canvas, {
        type: data.kind,
        data: {
          labels: data.labels,
          datasets: data.datasets.map(function (set, i) {
            return {
              label: set.label,
              data: set.data,
              backgroundColor: round ? palette : palette[i % palette.length],
              borderColor: round ? "#fff" : palette[i % palette.length],
            };
          }),
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { position: "bottom" } },
          scales: round ? {} : { y: { beginAtZero: true, ticks: { precision: 0 } } },
        },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
