/* The dashboard's and the year review's charts, drawn from the json_script data blocks. */
(function () {
  "use strict";
  var C = window.IMASCharts;

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function shortDate(iso, withYear) {
    var d = new Date(iso + "T12:00:00");
    var o = withYear ? { day: "numeric", month: "short", year: "numeric" } : { day: "numeric", month: "short" };
    return d.toLocaleDateString(undefined, o);
  }

  function monthLabel(iso) {
    return new Date(iso + "T12:00:00").toLocaleDateString(undefined, { month: "short" });
  }

  function totalsChart(container, series, measure, cfg, tick, readout) {
    var u = C.units(cfg.units);
    var m = u.measure(measure);
    var names = Object.keys(series.sports).sort();
    var chartSeries = names.map(function (sport) {
      return {
        key: sport,
        name: cfg.sports[sport] || sport,
        color: C.sportColor(sport),
        values: series.sports[sport][measure].map(m.conv)
      };
    });
    C.bars(container, {
      labels: series.labels, series: chartSeries, unit: m.unit, digits: m.digits, legend: true,
      label: container.dataset.label || "", tickLabel: tick, readoutLabel: readout
    });
  }

  function setupTotals(cfg) {
    var blocks = [
      { id: "chart-weekly", series: cfg.weekly, tick: function (l) { return shortDate(l); },
        readout: function (l) { return weekOf(l); } },
      { id: "chart-monthly", series: cfg.monthly, tick: monthLabel,
        readout: function (l) { return new Date(l + "T12:00:00").toLocaleDateString(undefined, { month: "long", year: "numeric" }); } },
      { id: "chart-yearly", series: cfg.yearly, tick: function (l) { return l.slice(0, 4); },
        readout: function (l) { return l.slice(0, 4); } }
    ];
    function weekOf(l) {
      var node = document.getElementById("chart-weekly");
      var template = (node && node.dataset.weekOf) || "{day}";
      return template.replace("{day}", shortDate(l, true));
    }
    blocks.forEach(function (b) {
      var container = document.getElementById(b.id);
      if (!container || !b.series) { return; }
      var measure = "distance_m";
      function draw() { totalsChart(container, b.series, measure, cfg, b.tick, b.readout); }
      var group = document.querySelector("[data-measures-for='" + b.id + "']");
      if (group) {
        group.querySelectorAll("button[data-measure]").forEach(function (button) {
          button.addEventListener("click", function () {
            measure = button.dataset.measure;
            group.querySelectorAll("button[data-measure]").forEach(function (other) {
              other.setAttribute("aria-pressed", other === button ? "true" : "false");
            });
            draw();
          });
        });
      }
      draw();
      window.addEventListener("resize", debounce(draw));
    });
  }

  function setupLoad(cfg) {
    var container = document.getElementById("chart-load");
    if (!container || !cfg.load) { return; }
    function draw() {
      C.lines(container, {
        labels: cfg.load.days,
        label: container.dataset.label || "",
        series: [
          { key: "ctl", name: container.dataset.ctl || "Fitness", color: "#2563eb", values: cfg.load.ctl, area: true },
          { key: "atl", name: container.dataset.atl || "Fatigue", color: "#db2777", values: cfg.load.atl },
          { key: "tsb", name: container.dataset.tsb || "Form", color: "#ca8a04", values: cfg.load.tsb, dashed: true }
        ],
        tickLabel: function (l) { return shortDate(l); },
        readoutLabel: function (l) { return shortDate(l, true); }
      });
    }
    draw();
    window.addEventListener("resize", debounce(draw));
  }

  function setupEfforts(cfg) {
    var pace = document.getElementById("chart-pace");
    var hr = document.getElementById("chart-hr");
    var e = cfg.efforts;
    if (!e || !pace || !e.points.length) { return; }
    var u = C.units(cfg.units);
    var kmOrMi = function (s) { return u.pace(s); };
    // Rides are compared by speed (km/h or mph), like on their activity pages.
    var imperial = cfg.units === "imperial";
    var speed = function (sPerKm) { return (imperial ? 3600 / 1609.344 : 3.6) * 1000 / sPerKm; };
    var conv = cfg.effort_speed ? speed : kmOrMi;
    function draw() {
      C.scatter(pace, {
        label: pace.dataset.label || "",
        color: "#0f766e",
        invert: !cfg.effort_speed,
        points: e.points.map(function (p) { return { t: p.t, v: conv(p.pace_s_per_km), label: shortDate(p.day, true) }; }),
        trend: e.pace_trend ? { t0: e.pace_trend.t0, t1: e.pace_trend.t1, v0: conv(e.pace_trend.v0), v1: conv(e.pace_trend.v1) } : null,
        format: cfg.effort_speed
          ? function (v) { return v.toFixed(1) + " " + (imperial ? "mph" : "km/h"); }
          : function (v) { return C.clock(v) + " " + u.paceUnit; }
      });
      var withHr = e.points.filter(function (p) { return p.avg_hr; });
      if (hr && withHr.length) {
        C.scatter(hr, {
          label: hr.dataset.label || "",
          color: "#db2777",
          points: withHr.map(function (p) { return { t: p.t, v: p.avg_hr, label: shortDate(p.day, true) }; }),
          trend: e.hr_trend,
          format: function (v) { return Math.round(v) + " bpm"; }
        });
      }
    }
    draw();
    window.addEventListener("resize", debounce(draw));
  }

  function debounce(fn) {
    var timer = null;
    var width = window.innerWidth;
    return function () {
      if (window.innerWidth === width) { return; }
      width = window.innerWidth;
      clearTimeout(timer);
      timer = setTimeout(fn, 150);
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    var cfg = data("chart-data");
    if (!cfg) { return; }
    setupTotals(cfg);
    setupLoad(cfg);
    setupEfforts(cfg);
  });
})();
