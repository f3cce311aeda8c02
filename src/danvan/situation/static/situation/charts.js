// Campaign charts from the json_script data on the page (Chart.js, served locally).
(function () {
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function draw() {
    if (typeof Chart === "undefined") return;
    var colors = ["#2e7d32", "#81c784", "#cfd8dc", "#1d4ed8", "#e08a00", "#6750a4", "#b3261e"];
    var areas = data("chart-areas");
    var canvas = document.getElementById("areas-canvas");
    if (areas && canvas && areas.labels.length) {
      new Chart(canvas, {
        type: "bar",
        data: {
          labels: areas.labels,
          datasets: areas.series.map(function (s, i) {
            return { label: s[0], data: s[1], backgroundColor: colors[i] };
          }),
        },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
        },
      });
    }
    var funds = data("chart-funds");
    var fcanvas = document.getElementById("funds-canvas");
    if (funds && fcanvas && funds.labels.length) {
      new Chart(fcanvas, {
        type: "doughnut",
        data: { labels: funds.labels, datasets: [{ data: funds.values, backgroundColor: colors.slice(3) }] },
        options: { responsive: true, maintainAspectRatio: false, animation: false },
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
