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

  // The Content-Security-Policy allows no inline script or style: what templates used to
  // say inline they now say as data attributes, read here.
  function inline(root) {
    // Bar widths and tree indentation.
    root.querySelectorAll("[data-w]").forEach(function (el) {
      el.style.setProperty("--w", el.dataset.w + "%");
    });
    root.querySelectorAll("[data-depth]").forEach(function (el) {
      el.style.paddingLeft = el.dataset.depth + "rem";
    });
    // A form that asks before it acts (closing a round).
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      if (form.dataset.ready) return;
      form.dataset.ready = "1";
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
    // "Cancel" goes back where the user came from when there is such a page.
    root.querySelectorAll("a[data-back]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (document.referrer && history.length > 1) { event.preventDefault(); history.back(); }
      });
    });
    // A choice that reloads the form for the chosen value (a document's issuer).
    root.querySelectorAll("select[data-reload-param]").forEach(function (select) {
      select.addEventListener("change", function () {
        location.search = "?" + select.dataset.reloadParam + "=" + encodeURIComponent(select.value);
      });
    });
    // Fields shown only for one answer: data-show-when="<input name>=<value>" (a radio's
    // value, or "on" for a checked box; "!" in front for "not").
    root.querySelectorAll("[data-show-when]").forEach(function (field) {
      var form = field.closest("form");
      if (!form || field.dataset.ready) return;
      field.dataset.ready = "1";
      var rule = field.dataset.showWhen, negate = rule.charAt(0) === "!";
      var parts = (negate ? rule.slice(1) : rule).split("="), name = parts[0], value = parts[1];
      function sync() {
        var checked = Array.prototype.some.call(
          form.querySelectorAll("input[name='" + name + "']"),
          function (input) { return input.checked && (input.value === value || value === "on"); }
        );
        field.hidden = negate ? checked : !checked;
      }
      form.addEventListener("change", sync);
      sync();
    });
  }

  // A button adding a row to a repeating group (citizens, matters) sends the row's number,
  // counted in the group's data-next.
  document.addEventListener("htmx:configRequest", function (event) {
    var id = event.detail.elt.dataset && event.detail.elt.dataset.nextRow;
    var box = id && document.getElementById(id);
    if (!box) return;
    var next = parseInt(box.dataset.next || "0", 10);
    box.dataset.next = next + 1;
    event.detail.parameters.i = next;
  });

  // Receiving a petition: the area picker, the anonymous switch, keyboard habits.
  function intake(root) {
    var form = root.querySelector && root.querySelector("#intake-form");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    var areaId = document.getElementById("id_area"), areaQ = document.getElementById("area-q");
    var results = document.getElementById("area-results"), chosen = document.getElementById("area-chosen");
    var unitAreas = JSON.parse(document.getElementById("unit-areas").textContent);
    var unit = document.getElementById("id_unit");
    function showDefault() {
      if (areaId.value) return;
      chosen.textContent = form.dataset.emptyArea + " (" + (unitAreas[unit.value] || "") + ")";
    }
    function pick(button) {
      areaId.value = button.dataset.id;
      chosen.textContent = form.dataset.chosen + " " + button.dataset.name;
      results.innerHTML = ""; areaQ.value = "";
      document.getElementById("id_contents").focus();
    }
    unit.addEventListener("change", showDefault); showDefault();
    results.addEventListener("click", function (e) {
      var b = e.target.closest(".area-pick"); if (b) pick(b);
    });
    results.addEventListener("keydown", function (e) {
      var b = e.target.closest(".area-pick"); if (!b) return;
      var li = b.parentElement;
      if (e.key === "ArrowDown" && li.nextElementSibling) { e.preventDefault(); li.nextElementSibling.querySelector("button").focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (li.previousElementSibling ? li.previousElementSibling.querySelector("button") : areaQ).focus(); }
    });
    areaQ.addEventListener("keydown", function (e) {
      var first = results.querySelector(".area-pick");
      if (e.key === "Enter" && first) { e.preventDefault(); pick(first); }
      if (e.key === "ArrowDown" && first) { e.preventDefault(); first.focus(); }
      if (e.key === "Escape") { results.innerHTML = ""; }
    });
    form.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
    });
    var firstError = form.querySelector(".has-error select, .has-error input:not([type=hidden]), .has-error textarea, [aria-invalid=true]");
    if (firstError) firstError.focus();
    var anon = document.getElementById("id_anonymous");
    function syncAnon() {
      ["citizen-rows", "citizen-tools"].forEach(function (id) {
        var el = document.getElementById(id); el.hidden = anon.checked;
        el.querySelectorAll("input, button").forEach(function (i) { i.disabled = anon.checked; });
      });
    }
    anon.addEventListener("change", syncAnon); syncAnon();
    document.body.addEventListener("htmx:afterSwap", function (e) {
      if (e.detail.target.classList.contains("rows")) {
        var rows = e.detail.target.querySelectorAll("fieldset");
        var input = rows[rows.length - 1].querySelector("input, select");
        if (input) input.focus();
      }
    });
  }

  function enhance(root) {
    menu(document);
    forms(root);
    tables(root);
    files(root);
    charts(root);
    inline(root);
    intake(root);
    errors(root);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
  document.addEventListener("htmx:afterSettle", function (event) { enhance(event.target); });
})();
