// Small progressive enhancements; every form also works without JavaScript.
(function () {
  "use strict";

  function renumber(row, index) {
    row.querySelectorAll("input, select, textarea").forEach(function (el) {
      ["name", "id"].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v) el.setAttribute(attr, v.replace(/^([a-z_]+)-\d+-/, "$1-" + index + "-"));
      });
    });
  }

  // each control in a repeated row is named by its column and row, e.g. “年度（第2行）” (see macros.cell)
  function relabel(tbody) {
    tbody.querySelectorAll("tr").forEach(function (row, i) {
      row.querySelectorAll("[aria-label]").forEach(function (el) {
        el.setAttribute("aria-label", el.getAttribute("aria-label").replace(/（第\d+行）$/, "（第" + (i + 1) + "行）"));
      });
    });
  }

  function nextIndex(tbody) {
    var max = -1;
    tbody.querySelectorAll("[name]").forEach(function (el) {
      var m = /^[a-z_]+-(\d+)-/.exec(el.getAttribute("name"));
      if (m) max = Math.max(max, parseInt(m[1], 10));
    });
    return max + 1;
  }

  function clearRow(row) {
    row.querySelectorAll("input, textarea").forEach(function (el) { el.value = ""; });
    row.querySelectorAll("select").forEach(function (el) { el.selectedIndex = 0; });
    row.querySelectorAll(".error").forEach(function (el) { el.remove(); });
    row.querySelectorAll("[aria-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
    });
  }

  // an amount in 万元 as the server reads it: 2亿元, 1,200万, 260000000元, full-width digits
  function parseAmount(text) {
    var t = String(text || "").normalize("NFKC").replace(/[,\s]/g, "").replace(/^人民币/, "");
    var factor = 1;
    if (/亿元?$/.test(t)) { factor = 10000; t = t.replace(/亿元?$/, ""); }
    else if (/万元?$/.test(t)) { t = t.replace(/万元?$/, ""); }
    else if (/元$/.test(t)) { factor = 0.0001; t = t.replace(/元$/, ""); }
    var v = parseFloat(t);
    return isNaN(v) ? 0 : v * factor;
  }

  function showSums() {
    var fmt = new Intl.NumberFormat("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    var years = 0;
    document.querySelectorAll("[name^='fund_years-'][name$='-amount']").forEach(function (el) { years += parseAmount(el.value); });
    var sources = 0, counted = 0;
    document.querySelectorAll(".source-amount").forEach(function (el) {
      sources += parseAmount(el.value);
      if (el.classList.contains("counted")) counted += parseAmount(el.value);
    });
    var costs = 0;  // 费用明细 (issue 26): the lines' total beside the fiscal funds requested
    document.querySelectorAll("[name^='cost_lines-'][name$='-amount']").forEach(function (el) { costs += parseAmount(el.value); });
    var c = document.querySelector("[data-sum='cost_lines']");
    if (c) {
      c.textContent = fmt.format(costs);
      c.classList.toggle("mismatch", costs > 0 && Math.abs(years - costs) > 0.001);
    }
    var y = document.querySelector("[data-sum='fund_years']");
    var s = document.querySelector("[data-sum='sources']");
    if (y) y.textContent = fmt.format(years);
    if (s) {
      s.textContent = fmt.format(sources);
      s.classList.toggle("mismatch", Math.abs(years - counted) > 0.001);  // the stylesheet adds（不一致）in words
    }
  }

  function filterLevel2(row) {
    var level1 = row.querySelector("select.level1");
    var level2 = row.querySelector("select.level2");
    if (!level1 || !level2) return;
    var labels = JSON.parse(document.getElementById("indicator-level-labels").textContent);
    var children = JSON.parse(document.getElementById("indicator-levels").textContent);
    var allowed = children[labels.indexOf(level1.value)] || null;
    Array.prototype.forEach.call(level2.options, function (opt) {
      opt.hidden = opt.value !== "" && allowed !== null && allowed.indexOf(opt.value) < 0;
    });
    if (level2.selectedOptions[0] && level2.selectedOptions[0].hidden) level2.value = "";
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest(".add-row");
    if (add) {
      var tbody = add.closest("table").querySelector("tbody");
      var rows = tbody.querySelectorAll("tr");
      var copy = rows[rows.length - 1].cloneNode(true);
      renumber(copy, nextIndex(tbody));
      clearRow(copy);
      tbody.appendChild(copy);
      relabel(tbody);
      filterLevel2(copy);
      showSums();
      var first = copy.querySelector("input, select, textarea");
      if (first) first.focus();  // keyboard users carry on typing in the new row
      return;
    }
    var remove = event.target.closest(".remove-row");
    if (remove) {
      var row = remove.closest("tr");
      var body = row.parentNode;
      if (body.querySelectorAll("tr").length > 1) {
        var next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        relabel(body);
        var target = next && next.querySelector("input, select, textarea");
        if (target) target.focus();  // focus stays in the table, not lost to the top of the page
      } else clearRow(row);
      showSums();
    }
  });

  document.addEventListener("input", showSums);
  document.addEventListener("change", function (event) {
    if (event.target.matches("select.level1")) filterLevel2(event.target.closest("tr"));
  });
  // The one confirmation: data-confirm on the form, or on the submit button that sent it (event.submitter: a
  // click, Enter or Space on that button, or Enter in a field when it is the form's default button). The
  // browser's own confirm dialog is modal, announced by screen readers and answered with Enter or Esc.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });
  // a form sent back with errors: the cursor goes to the first field in error (or to the first error said about
  // a whole section), so a keyboard or screen-reader user starts where the flash message says
  function focusFirstError() {
    var field = document.querySelector("main form [aria-invalid='true']");
    if (!field) {
      field = document.querySelector("main form .error");
      if (field) field.setAttribute("tabindex", "-1");
    }
    if (field) field.focus();
  }

  // a job's page (templates/jobs/status.html): fetch it again every few seconds and put the new state in place;
  // the state and message are announced when they change
  function followJob() {
    var box = document.getElementById("job");
    if (!box || !box.getAttribute("data-refresh")) return;
    window.setTimeout(function () {
      fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("job");
          if (!fresh) return;
          var said = function (el) { return el.querySelector(".job-state").textContent + "：" + el.querySelector(".job-message").textContent; };
          var before = said(box), after = said(fresh);
          box.innerHTML = fresh.innerHTML;
          if (fresh.getAttribute("data-refresh")) box.setAttribute("data-refresh", fresh.getAttribute("data-refresh"));
          else box.removeAttribute("data-refresh");
          if (after !== before) document.getElementById("job-announce").textContent = after;
          followJob();
        })
        .catch(function () { window.location.reload(); });
    }, 1000 * parseFloat(box.getAttribute("data-refresh")));
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table[data-repeat='targets'] tbody tr").forEach(filterLevel2);
    showSums();
    focusFirstError();
    followJob();
  });
})();
