// tidegauge dashboard: draw every chart whose Vega-Lite spec is embedded in the page as an
// application/json block (no inline scripts: the Content-Security-Policy forbids them).
"use strict";
(function () {
  function drawAll() {
    var charts = document.querySelectorAll(".tg-chart[data-spec]");
    var pending = [];
    charts.forEach(function (el) {
      var holder = document.getElementById(el.getAttribute("data-spec"));
      if (!holder) { return; }
      var spec = JSON.parse(holder.textContent);
      pending.push(
        window.vegaEmbed(el, spec, { renderer: "svg", actions: false }).then(function () {
          el.setAttribute("data-drawn", "true");
        })
      );
    });
    Promise.all(pending).then(
      function () { document.body.setAttribute("data-charts", "drawn"); },
      function (err) { document.body.setAttribute("data-charts", "failed"); console.error(err); }
    );
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
