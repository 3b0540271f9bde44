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
    if (t === "") return 0;
    // the whole text must be a number (parseFloat would read “1,2OO” as 1 and “12OO” as 12)
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return NaN;
    return parseFloat(t) * factor;
  }

  // a total over fields of which some cannot be read says so instead of adding up what it could read
  function flagUnread(el, ok) {
    if (ok) { el.removeAttribute("data-unread"); el.classList.remove("unread"); return; }
    el.setAttribute("data-unread", "true");
    el.classList.add("unread");
  }

  function showSums() {
    var fmt = new Intl.NumberFormat("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    var years = 0, unreadYears = [];
    document.querySelectorAll("[name^='fund_years-'][name$='-amount']").forEach(function (el) {
      var v = parseAmount(el.value);
      if (isNaN(v)) unreadYears.push(el.value); else years += v;
    });
    var sources = 0, counted = 0, unreadSources = [];
    document.querySelectorAll(".source-amount").forEach(function (el) {
      var v = parseAmount(el.value);
      if (isNaN(v)) { unreadSources.push(el.value); return; }
      sources += v;
      if (el.classList.contains("counted")) counted += v;
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
    var unreadText = function (values) { return "无法计算：“" + values.join("”“") + "”不是金额"; };
    if (y) {
      y.textContent = unreadYears.length ? unreadText(unreadYears) : fmt.format(years);
      flagUnread(y, !unreadYears.length);
    }
    if (s) {
      s.textContent = unreadSources.length ? unreadText(unreadSources) : fmt.format(sources);
      flagUnread(s, !unreadSources.length);
      var unread = unreadYears.length || unreadSources.length;
      s.classList.toggle("mismatch", !unread && Math.abs(years - counted) > 0.001);  // the stylesheet adds（不一致）in words
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
    if (message && !window.confirm(message)) { event.preventDefault(); return; }
    leaving = true;  // the form is being sent: no warning about leaving it
  });

  // Typed work is not lost by a stray click: once a field of a form that saves (method post) has changed, leaving
  // the page asks first (the browser's own dialog); sending the form does not. A form sent back with errors holds
  // unsaved input too. Forms marked data-no-leave-warning (sign in, filters) are left out.
  var changed = false, leaving = false;
  function watched(el) {
    var form = el && el.form;
    return form && (form.getAttribute("method") || "").toLowerCase() === "post" && !form.hasAttribute("data-no-leave-warning")
      && el.type !== "hidden" && !el.closest("header");
  }
  document.addEventListener("input", function (event) { if (watched(event.target)) changed = true; });
  document.addEventListener("change", function (event) { if (watched(event.target)) changed = true; });
  window.addEventListener("beforeunload", function (event) {
    if (changed && !leaving) { event.preventDefault(); event.returnValue = ""; }
  });
  window.addEventListener("pageshow", function () { leaving = false; });

  // Enter in a one-line field does not send the form (a half-typed 项目名称 saved a stray draft); the form is sent
  // with its buttons. A form meant to be sent from its field (sign in) says data-enter-submits.
  var TYPED = /^(text|number|date|email|tel|url|search|password|month|week|time|datetime-local)$/;
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key !== "Enter" || event.isComposing || el.tagName !== "INPUT" || !TYPED.test(el.type) || !el.form) return;
    if (el.form.hasAttribute("data-enter-submits") || (el.form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    event.preventDefault();
  });

  // a form sent back with errors: one summary at its top lists every error, each a link to its field
  function summariseErrors() {
    document.querySelectorAll("main form").forEach(function (form) {
      var errors = Array.prototype.filter.call(form.querySelectorAll(".error"), function (e) { return e.textContent.trim(); });
      if (errors.length < 2 || form.querySelector(".error-summary")) return;
      var box = document.createElement("div");
      box.className = "error-summary";
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", "需修改的项目");
      var title = document.createElement("p");
      title.textContent = "共有" + errors.length + "处需要修改：";
      box.appendChild(title);
      var list = document.createElement("ul");
      var SHOWN = 10;  // a long list (a year's missing data) names the first few; each error stays on its field
      errors.forEach(function (error, i) {
        if (!error.id) error.id = "form-error-" + i;
        if (i >= SHOWN) return;
        var field = form.querySelector("[aria-describedby~='" + error.id + "']");
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#" + (field && field.id ? field.id : error.id);
        link.textContent = error.textContent.replace(/^\s*✕\s*/, "").trim();
        item.appendChild(link);
        list.appendChild(item);
      });
      if (errors.length > SHOWN) {
        var more = document.createElement("li");
        more.textContent = "……另有" + (errors.length - SHOWN) + "处，见各项提示";
        list.appendChild(more);
      }
      box.appendChild(list);
      form.insertBefore(box, form.firstChild);
    });
  }
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
          if (!fresh) { window.location.reload(); return; }  // the work is done and the page shows its result
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

  // the menu's drop-down (base.html, a native <details>): Esc closes it and gives the focus back to its name; a click
  // elsewhere closes it
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table[data-repeat='targets'] tbody tr").forEach(filterLevel2);
    showSums();
    summariseErrors();
    if (document.querySelector("main form [aria-invalid='true'], main form .error")) changed = true;  // unsaved input
    focusFirstError();
    followJob();
  });
})();
