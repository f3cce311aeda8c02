// danvan's one script for every page: the phone menu, readable tables, download links that
// follow the filters, and the charts. Loaded in <head> without defer so the "js" class is
// set before the first paint (no flash of the open menu on phones); the rest waits for the
// DOM, and runs again on whatever htmx swaps in.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The phone menu -------------------------------------------------------------------
  function menu(root) {
    var toggle = root.querySelector && root.querySelector(".menu-toggle");
    if (!toggle || toggle.dataset.ready) return;
    var nav = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!nav) return;
    toggle.dataset.ready = "1";
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("open", open);
    });
  }

  // Tables: every table scrolls inside its own box, which a keyboard can reach; a table
  // marked .cards turns into one card per row on phones, each cell labelled by its column.
  function tables(root) {
    var labels = {};
    root.querySelectorAll("main [role=region][aria-label]").forEach(function (region) {
      labels[region.getAttribute("aria-label")] = 1;
    });
    root.querySelectorAll("main table").forEach(function (table) {
      var parent = table.parentElement;
      if (!parent.matches(".table-wrap, .overflow-auto, .matrix-wrap")) {
        var wrap = document.createElement("div");
        wrap.className = "table-wrap";
        parent.insertBefore(wrap, table);
        wrap.appendChild(table);
        parent = wrap;
      }
      if (!parent.hasAttribute("tabindex")) {
        parent.setAttribute("tabindex", "0");
        parent.setAttribute("role", "region");
        var caption = table.querySelector("caption");
        var heading = caption || findHeading(parent);
        // Landmarks need distinct names: a second table under one heading is numbered.
        var name = heading ? heading.textContent.trim() : document.title;
        labels[name] = (labels[name] || 0) + 1;
        parent.setAttribute("aria-label", labels[name] > 1 ? name + " (" + labels[name] + ")" : name);
      }
      if (table.classList.contains("cards")) label(table);
    });
  }

  function findHeading(el) {
    var node = el;
    while (node && node !== document.body) {
      var prev = node.previousElementSibling;
      while (prev) {
        if (/^H[1-4]$/.test(prev.tagName)) return prev;
        var inner = prev.querySelector && prev.querySelector("h1, h2, h3, h4");
        if (inner) return inner;
        prev = prev.previousElementSibling;
      }
      node = node.parentElement;
    }
    return null;
  }

  function label(table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return (th.innerText || th.textContent).trim().replace(/\s*\n\s*/g, " · ");
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var col = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        if (!cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[col] || "");
        col += cell.colSpan || 1;
      });
    });
  }

  // Download links carry the filter form's current values (also after htmx): what is
  // downloaded is what is listed. <a data-export="xlsx" data-filters="form-id">.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-export]");
    if (!link) return;
    var form = document.getElementById(link.dataset.filters || "") || document.querySelector("form[data-filters], form[id$='-filters'], form.filters");
    var query = form ? new URLSearchParams(new FormData(form)) : new URLSearchParams(link.search);
    query.set("format", link.dataset.export);
    link.href = link.pathname + "?" + query.toString();
  });

  // <button data-print>: print the page (a receipt).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });

  // Forms that want to submit as soon as a choice changes: <select data-submit>.
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-submit]")) event.target.form.requestSubmit();
  });

  // Charts -----------------------------------------------------------------------------
  // <canvas data-chart="id"> reads {kind, labels, datasets: [{label, data, tone}], stacked}
  // from <script type="application/json" id="id">. Colours come from the stylesheet's
  // tokens: a series with a tone (ok, bad, warn, neutral, info) always has that tone's
  // colour; others take the quiet series colours in order.
  function token(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function colours() {
    return {
      ok: token("--chart-ok"), bad: token("--chart-bad"), warn: token("--chart-warn"),
      neutral: token("--chart-neutral"), info: token("--chart-info"),
      series: token("--chart-series").split(",").map(function (c) { return c.trim(); }),
    };
  }

  function charts(root) {
    if (typeof window.Chart === "undefined") return;
    var c = colours();
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var round = data.kind === "doughnut" || data.kind === "pie";
      var next = 0;
      function pick(tone) {
        return c[tone] || c.series[next++ % c.series.length];
      }
      canvas.dataset.drawn = "1";
      new window.Chart(canvas, {
        type: data.kind,
        data: {
          labels: data.labels,
          datasets: data.datasets.map(function (set) {
            var colour = round
              ? (set.tones || []).map(function (t, i) { return c[t] || c.series[i % c.series.length]; })
              : pick(set.tone);
            if (round && !colour.length) colour = data.labels.map(function (_l, i) { return c.series[i % c.series.length]; });
            return { label: set.label, data: set.data, backgroundColor: colour, borderColor: round ? "#fff" : colour };
          }),
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          indexAxis: data.horizontal ? "y" : "x",
          plugins: { legend: { position: "bottom" } },
          scales: round ? {} : {
            x: { stacked: !!data.stacked },
            y: { stacked: !!data.stacked, beginAtZero: true, ticks: { precision: 0 } },
          },
        },
      });
    });
  }

  // File inputs speak the page's language: the browser's own button reads "Choose File"
  // in an English browser. The strings come from <body data-file-choose data-file-none>.
  function files(root) {
    var body = document.body;
    root.querySelectorAll("input[type=file]:not([data-ready])").forEach(function (input) {
      if (!input.id) return;
      input.dataset.ready = "1";
      var box = document.createElement("span");
      box.className = "file-pick";
      input.parentNode.insertBefore(box, input);
      box.appendChild(input);
      var button = document.createElement("label");
      button.setAttribute("for", input.id);
      button.className = "file-button";
      button.textContent = body.dataset.fileChoose || "…";
      var name = document.createElement("span");
      name.className = "file-name";
      name.setAttribute("aria-live", "polite");
      name.textContent = body.dataset.fileNone || "";
      box.appendChild(button);
      box.appendChild(name);
      input.addEventListener("change", function () {
        name.textContent = input.files.length
          ? Array.prototype.map.call(input.files, function (f) { return f.name; }).join(", ")
          : body.dataset.fileNone || "";
      });
    });
  }

  // GOV.UK habit: after a failed submit, focus moves to the error summary.
  function errors(root) {
    var summary = root.querySelector && root.querySelector("[data-error-summary]");
    if (summary && !summary.dataset.focused) {
      summary.dataset.focused = "1";
      summary.focus();
    }
  }

  // The server checks every form and answers in the page's language with an error summary;
  // the browser's own bubbles would speak the browser's language and hide the summary.
  function forms(root) {
    root.querySelectorAll("form").forEach(function (form) { form.noValidate = true; });
  }

  function enhance(root) {
    menu(document);
    forms(root);
    tables(root);
    files(root);
    charts(root);
    errors(root);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
  document.addEventListener("htmx:afterSettle", function (event) { enhance(event.target); });
})();
