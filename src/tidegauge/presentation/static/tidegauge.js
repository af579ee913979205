// tidegauge: the one script of the HTML report (inlined) and the dashboard (/static).
// No inline scripts anywhere (the dashboard's Content-Security-Policy forbids them): chart
// specifications and table data travel as <script type="application/json"> blocks.
//
// * draws every chart at the width of its container (phones included), without the title,
//   which the page shows as text above it; dates in tooltips and axes follow the page language;
// * download buttons: PNG and SVG of a chart (with its title and source) and the CSV of its
//   data; the CSV of a table in the report (the dashboard links to CSV/XLSX files instead);
// * forms update the page in place and keep the state in the URL (history); without this
//   script they are plain GET forms and work the same.
"use strict";
(function () {
  var ZH_TIME = {
    dateTime: "%Y年%-m月%-d日 %H:%M:%S", date: "%Y年%-m月%-d日", time: "%H:%M:%S",
    periods: ["上午", "下午"],
    days: ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
    shortDays: ["日", "一", "二", "三", "四", "五", "六"],
    months: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
    shortMonths: ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"]
  };
  var views = {};

  function pageLang() {
    var l = document.documentElement.getAttribute("lang") || "en";
    return l.indexOf("zh") === 0 ? "zh" : "en";
  }

  function clone(x) { return JSON.parse(JSON.stringify(x)); }

  function specOf(el) {
    var holder = document.getElementById(el.getAttribute("data-spec"));
    return holder ? withTimestamps(JSON.parse(holder.textContent)) : null;
  }

  // The page writes midnight timestamps as days (usermeta.tidegauge.days names the fields):
  // back to "YYYY-MM-DDT00:00:00", which Vega reads as local midnight as the chart was built.
  function withTimestamps(spec) {
    var days = ((spec.usermeta || {}).tidegauge || {}).days || {};
    Object.keys(days).forEach(function (name) {
      (spec.datasets[name] || []).forEach(function (row) {
        days[name].forEach(function (f) { if (row[f]) { row[f] = row[f] + "T00:00:00"; } });
      });
    });
    return spec;
  }

  // A chart part's title in lines that fit ``px`` (a CJK character is about twice as wide as
  // a Latin one at the title's 13 px bold): Vega draws a title on one line, however long.
  function wrapLines(text, px) {
    var max = Math.max(16, Math.floor(px / 7.5)), lines = [], line = "", n = 0;
    var pieces = text.match(/[\u2e80-\uffff]|[^\s\u2e80-\uffff]+|\s+/g) || [];
    pieces.forEach(function (piece) {
      var w = /[\u2e80-\uffff]/.test(piece) ? 2 : piece.length;
      if (/^\s+$/.test(piece)) { if (line) { line += " "; n += 1; } return; }
      if (n + w > max && line) { lines.push(line.trim()); line = ""; n = 0; }
      line += piece; n += w;
    });
    if (line.trim()) { lines.push(line.trim()); }
    return lines.length > 1 ? lines : text;
  }

  // ``fn`` on a spec and every view inside it (layers and concatenations).
  function eachView(spec, fn) {
    fn(spec);
    ["layer", "vconcat", "hconcat", "concat"].forEach(function (k) {
      (spec[k] || []).forEach(function (v) { eachView(v, fn); });
    });
  }

  // The width a chart may take: its container's content box (clientWidth includes padding).
  function contentWidth(el) {
    var cs = window.getComputedStyle(el);
    return Math.floor(el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight));
  }

  // The spec as drawn on the page: no title (the page shows it), as wide as its container.
  // ``trim``: pixels to take off concatenated parts that came out too wide (axes and legends
  // are outside their width).
  function displaySpec(spec, el, trim) {
    var s = clone(spec);
    delete s.title;
    var inner = Math.max(240, contentWidth(el));
    var parts = s.vconcat || s.hconcat || s.concat;
    if (parts) {
      parts.forEach(function (p) {
        if (p.width !== undefined) { p.width = Math.max(120, inner - 90 - (trim || 0)); }
        if (typeof p.title === "string") { p.title = wrapLines(p.title, inner); }
        else if (p.title && typeof p.title.text === "string") {
          p.title.text = wrapLines(p.title.text, inner);
        }
      });
      s.autosize = { type: "pad" };
    } else {
      s.width = inner;
      s.autosize = { type: "fit-x", contains: "padding" };
    }
    if (inner < 520) {  // a phone: smaller label texts, legends below, in columns
      (s.layer || []).forEach(function (l) {
        if (l.mark && l.mark.type === "text") { l.mark.fontSize = 8; }
      });
      eachView(s, function (v) {  // a legend a chart put on its right goes below too
        Object.keys(v.encoding || {}).forEach(function (ch) {
          var legend = v.encoding[ch] && v.encoding[ch].legend;
          if (legend && legend.orient) {  // one item a line, the labels in full
            legend.orient = "bottom"; legend.columns = 1; legend.labelLimit = inner - 40;
          }
        });
      });
      s.config = s.config || {};
      s.config.legend = Object.assign({}, s.config.legend || {}, {
        orient: "bottom", columns: 2, labelLimit: Math.max(100, inner / 2 - 40)
      });
    }
    return s;
  }

  function embedOptions() {
    var opts = { renderer: "svg", actions: false };
    if (pageLang() === "zh") { opts.timeFormatLocale = ZH_TIME; }
    return opts;
  }

  function draw(el, trim, tries) {
    var spec = specOf(el);
    if (!spec) { return Promise.resolve(); }
    el.setAttribute("data-width", String(el.clientWidth));
    if (views[el.id]) { views[el.id].finalize(); }  // a redraw: free the old view's listeners
    return window.vegaEmbed(el, displaySpec(spec, el, trim), embedOptions()).then(function (res) {
      views[el.id] = res.view;
      var svg = el.querySelector("svg");
      var over = svg ? Math.ceil(svg.getBoundingClientRect().width) - contentWidth(el) : 0;
      // a concat's axes and legends took more room than guessed: narrower, at most twice more
      if (over > 0 && (tries || 0) < 2) { return draw(el, (trim || 0) + over, (tries || 0) + 1); }
      el.setAttribute("data-drawn", "true");
    });
  }

  function drawAll(root) {
    var charts = (root || document).querySelectorAll(".tg-chart[data-spec]");
    var pending = [];
    charts.forEach(function (el) { pending.push(draw(el)); });
    return Promise.all(pending).then(
      function () { document.body.setAttribute("data-charts", "drawn"); addDownloads(root); },
      function (err) { document.body.setAttribute("data-charts", "failed"); console.error(err); }
    );
  }

  // -- downloads ---------------------------------------------------------------------------
  function save(url, name) {
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function saveText(text, name, type) {
    var blob = new Blob(["\ufeff" + text], { type: type });
    var url = URL.createObjectURL(blob);
    save(url, name);
    setTimeout(function () { URL.revokeObjectURL(url); }, 2000);
  }

  function csvCell(v) {
    if (v === null || v === undefined) { return ""; }
    var s = String(v);
    return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  // The chart's data: its largest inline dataset, as CSV.
  function chartCsv(spec) {
    var sets = spec.datasets || {};
    var best = [];
    Object.keys(sets).forEach(function (k) { if (sets[k].length > best.length) { best = sets[k]; } });
    if (!best.length) { return ""; }
    var cols = Object.keys(best[0]);
    var lines = [cols.map(csvCell).join(",")];
    best.forEach(function (row) { lines.push(cols.map(function (c) { return csvCell(row[c]); }).join(",")); });
    return lines.join("\n") + "\n";
  }

  // PNG or SVG of the full chart (title and source included), drawn off screen at its size.
  function chartImage(spec, kind) {
    var holder = document.createElement("div");
    holder.style.position = "absolute";
    holder.style.left = "-10000px";
    holder.style.top = "0";
    document.body.appendChild(holder);
    return window.vegaEmbed(holder, clone(spec), embedOptions()).then(function (res) {
      return res.view.toImageURL(kind, kind === "png" ? 2 : 1).then(function (url) {
        res.finalize();
        holder.remove();
        return url;
      });
    }, function (err) { holder.remove(); throw err; });
  }

  function button(label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "dl";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  function addDownloads(root) {
    var scope = root || document;
    scope.querySelectorAll(".chart-downloads[data-chart]").forEach(function (box) {
      if (box.getAttribute("data-ready")) { return; }
      var el = document.getElementById(box.getAttribute("data-chart"));
      var spec = el && specOf(el);
      if (!spec) { return; }
      var name = box.getAttribute("data-name");
      ["png", "svg"].forEach(function (kind) {
        box.appendChild(button(kind.toUpperCase(), function () {
          chartImage(spec, kind).then(function (url) { save(url, name + "." + kind); },
            function (err) { console.error(err); });
        }));
      });
      var csv = chartCsv(spec);
      if (csv) {
        box.appendChild(button("CSV", function () { saveText(csv, name + ".csv", "text/csv"); }));
      }
      box.hidden = false;
      box.setAttribute("data-ready", "true");
    });
    scope.querySelectorAll(".table-block").forEach(function (block) {
      var holder = block.querySelector("script.tg-table-csv");
      var box = block.querySelector(".downloads");
      if (!holder || !box || box.getAttribute("data-ready")) { return; }
      var text = JSON.parse(holder.textContent);
      var name = box.getAttribute("data-name") || "table";
      box.appendChild(button("CSV", function () { saveText(text, name + ".csv", "text/csv"); }));
      box.setAttribute("data-ready", "true");
    });
  }

  // -- forms in place ----------------------------------------------------------------------
  function queryOf(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { params.append(key, value); });
    return params.toString();
  }

  function swap(html, url, push) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var main = doc.querySelector("main");
    var header = doc.querySelector("header.top");
    if (!main) { window.location.assign(url); return Promise.resolve(); }
    document.querySelector("main").replaceWith(main);
    if (header) { document.querySelector("header.top").replaceWith(header); }
    document.title = doc.title;
    if (push) {
      history.pushState({ tidegauge: true }, "", url);
      shown = window.location.pathname + window.location.search;
    }
    bindForms(document);
    return drawAll(main);
  }

  function load(url, push) {
    document.body.setAttribute("data-loading", "true");
    return fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (resp) { return resp.text(); })
      .then(function (html) { return swap(html, url, push); })
      .catch(function () { window.location.assign(url); })
      .then(function () { document.body.removeAttribute("data-loading"); });
  }

  function bindForms(root) {
    if (!window.fetch || !window.history || !window.DOMParser) { return; }
    if (window.location.protocol === "file:") { return; }
    root.querySelectorAll("form[data-inplace]").forEach(function (form) {
      if (form.getAttribute("data-bound")) { return; }
      form.setAttribute("data-bound", "true");
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        load(form.getAttribute("action") + "?" + queryOf(form), true);
      });
    });
  }

  // Back/forward between states this script pushed (a jump to an anchor is not one).
  var shown = window.location.pathname + window.location.search;
  window.addEventListener("popstate", function () {
    var now = window.location.pathname + window.location.search;
    if (window.location.protocol === "file:" || now === shown) { return; }
    shown = now;
    load(window.location.href, false);
  });

  // Charts are drawn at a fixed width: redraw them when their container changes size.
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      document.querySelectorAll(".tg-chart[data-drawn]").forEach(function (el) {
        if (el.getAttribute("data-width") !== String(el.clientWidth)) { draw(el); }
      });
    }, 200);
  });

  function start() {
    bindForms(document);
    drawAll(document);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
