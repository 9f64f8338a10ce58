/* IMAS charts: small SVG bar, line and scatter charts of our own (no library, no CDN).
 * Exposes window.IMASCharts = {bars, lines, scatter, units, sportColor}.
 * Every chart is an <svg role="img"> with an aria-label; hovering shows the values of the
 * nearest point in a readout line under the chart. */
(function () {
  "use strict";

  var NS = "http://www.w3.org/2000/svg";
  var SPORT_COLORS = {
    running: "#0f766e", cycling: "#2563eb", walking: "#ca8a04", hiking: "#7c3aed",
    swimming: "#0891b2", gym: "#db2777", other: "#64748b", all: "#0f766e"
  };

  function sportColor(sport) { return SPORT_COLORS[sport] || "#64748b"; }

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function text(parent, x, y, content, cls, anchor) {
    var t = el("text", { x: x, y: y, "class": cls || "chart-label", "text-anchor": anchor || "middle" }, parent);
    t.textContent = content;
    return t;
  }

  /* Units: SI values into what the person reads. 1 mi = 1609.344 m, 1 ft = 0.3048 m. */
  function units(system) {
    var imperial = system === "imperial";
    var u = {
      distance: function (m) { return imperial ? m / 1609.344 : m / 1000; },
      distanceUnit: imperial ? "mi" : "km",
      elevation: function (m) { return imperial ? m / 0.3048 : m; },
      elevationUnit: imperial ? "ft" : "m",
      paceUnit: imperial ? "/mi" : "/km",
      pace: function (sPerKm) { return imperial ? sPerKm * 1.609344 : sPerKm; }
    };
    u.measure = function (name) {
      if (name === "distance_m") { return { conv: u.distance, unit: u.distanceUnit, digits: 1 }; }
      if (name === "moving_s") { return { conv: function (s) { return s / 3600; }, unit: "h", digits: 1 }; }
      if (name === "ascent_m") { return { conv: u.elevation, unit: u.elevationUnit, digits: 0 }; }
      if (name === "calories_kcal") { return { conv: function (x) { return x; }, unit: "kcal", digits: 0 }; }
      if (name === "load") { return { conv: function (x) { return x; }, unit: "", digits: 0 }; }
      return { conv: function (x) { return x; }, unit: "", digits: 0 };
    };
    return u;
  }

  function fmt(value, digits) {
    return Number(value).toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  function clock(seconds) {
    var s = Math.round(seconds);
    var m = Math.floor(s / 60);
    var r = s % 60;
    return m + ":" + (r < 10 ? "0" : "") + r;
  }

  /* Decimals an axis label needs to show its step exactly (0.25 -> 2: "0.3" and "0.8" were
   * shown for 0.25 and 0.75, and "0 0 1 1 1" with no decimals at all). */
  function stepDigits(step) {
    var decimals = (String(Number(step.toPrecision(6))).split(".")[1] || "").length;
    return Math.min(decimals, 3);
  }

  /* A "nice" upper bound and step for an axis from 0 to max. */
  function niceScale(max, ticks) {
    if (!(max > 0)) { return { max: 1, step: 0.25 }; }
    var raw = max / ticks;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 2.5, 5, 10];
    var step = power;
    for (var i = 0; i < steps.length; i++) {
      if (steps[i] * power >= raw) { step = steps[i] * power; break; }
    }
    return { max: Math.ceil(max / step) * step, step: step };
  }

  function frame(container, label, height) {
    container.textContent = "";
    var width = Math.max(container.clientWidth || 600, 280);
    var svg = el("svg", {
      viewBox: "0 0 " + width + " " + height, width: "100%", height: height,
      role: "img", "aria-label": label, "class": "chart-svg"
    }, container);
    var readout = document.createElement("p");
    readout.className = "chart-readout";
    readout.setAttribute("aria-live", "polite");
    readout.textContent = "\u00a0";
    container.appendChild(readout);
    return { svg: svg, width: width, height: height, readout: readout };
  }

  function legend(container, items) {
    var ul = document.createElement("ul");
    ul.className = "chart-legend";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "chart-swatch chart-swatch-" + (item.key || "x");
      swatch.setAttribute("aria-hidden", "true");
      swatch.dataset.color = item.color;
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(item.name));
      ul.appendChild(li);
    });
    container.appendChild(ul);
    // Colour through the CSSOM, which the CSP allows (inline style attributes it does not).
    ul.querySelectorAll(".chart-swatch").forEach(function (s) { s.style.background = s.dataset.color; });
  }

  /* Stacked bars: opts = {labels: [...], tickLabel(label, i), series: [{key, name, color,
   * values}], unit, digits, label} */
  function bars(container, opts) {
    var f = frame(container, opts.label, opts.height || 220);
    var pad = { l: 46, r: 8, t: 10, b: 26 };
    var n = opts.labels.length;
    var totals = opts.labels.map(function (_, i) {
      return opts.series.reduce(function (sum, s) { return sum + (s.values[i] || 0); }, 0);
    });
    var scale = niceScale(Math.max.apply(null, totals.concat([0])), 4);
    var plotW = f.width - pad.l - pad.r;
    var plotH = f.height - pad.t - pad.b;
    var y = function (v) { return pad.t + plotH - (v / scale.max) * plotH; };
    for (var g = 0; g <= scale.max + 1e-9; g += scale.step) {
      el("line", { x1: pad.l, x2: f.width - pad.r, y1: y(g), y2: y(g), "class": "chart-grid" }, f.svg);
      text(f.svg, pad.l - 6, y(g) + 4, fmt(g, stepDigits(scale.step)), "chart-axis", "end");
    }
    var slot = plotW / Math.max(n, 1);
    var barW = Math.max(slot * 0.72, 1);
    var every = Math.ceil(n / Math.max(Math.floor(plotW / 64), 1));
    opts.labels.forEach(function (label, i) {
      var x = pad.l + i * slot + (slot - barW) / 2;
      var base = 0;
      opts.series.forEach(function (s) {
        var v = s.values[i] || 0;
        if (v <= 0) { return; }
        el("rect", { x: x, y: y(base + v), width: barW, height: Math.max(y(base) - y(base + v), 0.5),
                     fill: s.color, "class": "chart-bar" }, f.svg);
        base += v;
      });
      if ((n - 1 - i) % every === 0) {  // the newest period always labelled, then every few
        text(f.svg, x + barW / 2, f.height - 8, opts.tickLabel ? opts.tickLabel(label, i) : label, "chart-axis");
      }
    });
    var hover = el("rect", { x: pad.l, y: pad.t, width: plotW, height: plotH, "class": "chart-hover" }, f.svg);
    var focus = el("rect", { x: 0, y: pad.t, width: slot, height: plotH, "class": "chart-focus", visibility: "hidden" }, f.svg);
    function show(evt) {
      var box = f.svg.getBoundingClientRect();
      var px = (evt.clientX - box.left) * (f.width / box.width);
      var i = Math.min(Math.max(Math.floor((px - pad.l) / slot), 0), n - 1);
      focus.setAttribute("x", pad.l + i * slot);
      focus.setAttribute("visibility", "visible");
      var parts = opts.series.filter(function (s) { return (s.values[i] || 0) > 0; }).map(function (s) {
        return s.name + " " + fmt(s.values[i], opts.digits) + (opts.unit ? " " + opts.unit : "");
      });
      f.readout.textContent = (opts.readoutLabel ? opts.readoutLabel(opts.labels[i], i) : opts.labels[i]) + ": " +
        (parts.length ? parts.join(" · ") + (parts.length > 1 ? " — " + fmt(totals[i], opts.digits) + " " + opts.unit : "") : "–");
    }
    hover.addEventListener("mousemove", show);
    hover.addEventListener("mouseleave", function () { focus.setAttribute("visibility", "hidden"); });
    if (opts.series.length > 1 || opts.legend) {
      legend(container, opts.series.map(function (s) { return { key: s.key, name: s.name, color: s.color }; }));
    }
    return f;
  }

  /* Lines over a shared x (days): opts = {labels: ["2025-01-01", ...], series: [{key, name,
   * color, values, area}], zero: bool, label, digits} */
  function lines(container, opts) {
    var f = frame(container, opts.label, opts.height || 220);
    var pad = { l: 46, r: 8, t: 10, b: 26 };
    var n = opts.labels.length;
    var all = [];
    opts.series.forEach(function (s) { all = all.concat(s.values); });
    var lo = Math.min.apply(null, all.concat([0]));
    var hi = Math.max.apply(null, all.concat([1]));
    var span = niceScale(hi - lo, 4);
    var min = Math.floor(lo / span.step) * span.step;
    var max = min + Math.ceil((hi - min) / span.step) * span.step;
    var plotW = f.width - pad.l - pad.r;
    var plotH = f.height - pad.t - pad.b;
    var x = function (i) { return pad.l + (n > 1 ? (i / (n - 1)) * plotW : plotW / 2); };
    var y = function (v) { return pad.t + plotH - ((v - min) / (max - min || 1)) * plotH; };
    for (var g = min; g <= max + 1e-9; g += span.step) {
      el("line", { x1: pad.l, x2: f.width - pad.r, y1: y(g), y2: y(g), "class": g === 0 ? "chart-zero" : "chart-grid" }, f.svg);
      text(f.svg, pad.l - 6, y(g) + 4, fmt(g, stepDigits(span.step)), "chart-axis", "end");
    }
    var every = Math.ceil(n / Math.max(Math.floor(plotW / 80), 1));
    for (var i = 0; i < n; i += every) {
      text(f.svg, x(i), f.height - 8, opts.tickLabel ? opts.tickLabel(opts.labels[i]) : opts.labels[i], "chart-axis");
    }
    opts.series.forEach(function (s) {
      var d = s.values.map(function (v, k) { return (k ? "L" : "M") + x(k).toFixed(1) + " " + y(v).toFixed(1); }).join(" ");
      if (s.area) {
        el("path", { d: d + " L" + x(n - 1).toFixed(1) + " " + y(Math.max(min, 0)) + " L" + x(0) + " " + y(Math.max(min, 0)) + " Z",
                     fill: s.color, "class": "chart-area" }, f.svg);
      }
      el("path", { d: d, stroke: s.color, "class": "chart-line" + (s.dashed ? " chart-dashed" : "") }, f.svg);
    });
    var cursor = el("line", { x1: 0, x2: 0, y1: pad.t, y2: pad.t + plotH, "class": "chart-cursor", visibility: "hidden" }, f.svg);
    var hover = el("rect", { x: pad.l, y: pad.t, width: plotW, height: plotH, "class": "chart-hover" }, f.svg);
    hover.addEventListener("mousemove", function (evt) {
      var box = f.svg.getBoundingClientRect();
      var px = (evt.clientX - box.left) * (f.width / box.width);
      var i = Math.min(Math.max(Math.round(((px - pad.l) / plotW) * (n - 1)), 0), n - 1);
      cursor.setAttribute("x1", x(i));
      cursor.setAttribute("x2", x(i));
      cursor.setAttribute("visibility", "visible");
      f.readout.textContent = (opts.readoutLabel ? opts.readoutLabel(opts.labels[i]) : opts.labels[i]) + ": " +
        opts.series.map(function (s) { return s.name + " " + fmt(s.values[i], opts.digits || 0); }).join(" · ");
    });
    hover.addEventListener("mouseleave", function () { cursor.setAttribute("visibility", "hidden"); });
    legend(container, opts.series.map(function (s) { return { key: s.key, name: s.name, color: s.color }; }));
    return f;
  }

  /* Points over time with a trend line: opts = {points: [{t, v, label}], trend: {t0, t1, v0,
   * v1} | null, color, label, format(v), invert (smaller is better: drawn upward)} */
  function scatter(container, opts) {
    var f = frame(container, opts.label, opts.height || 200);
    var pad = { l: 52, r: 10, t: 10, b: 26 };
    var pts = opts.points;
    if (!pts.length) { return f; }
    var ts = pts.map(function (p) { return p.t; });
    var vs = pts.map(function (p) { return p.v; });
    var t0 = Math.min.apply(null, ts);
    var t1 = Math.max.apply(null, ts);
    if (t1 === t0) { t1 = t0 + 86400; }
    var lo = Math.min.apply(null, vs);
    var hi = Math.max.apply(null, vs);
    var margin = (hi - lo) * 0.1 || Math.abs(hi) * 0.05 || 1;
    lo -= margin; hi += margin;
    var plotW = f.width - pad.l - pad.r;
    var plotH = f.height - pad.t - pad.b;
    var x = function (t) { return pad.l + ((t - t0) / (t1 - t0)) * plotW; };
    var y = function (v) {
      var share = (v - lo) / (hi - lo);
      return opts.invert ? pad.t + share * plotH : pad.t + plotH - share * plotH;
    };
    for (var k = 0; k <= 4; k++) {
      var v = lo + ((hi - lo) * k) / 4;
      el("line", { x1: pad.l, x2: f.width - pad.r, y1: y(v), y2: y(v), "class": "chart-grid" }, f.svg);
      text(f.svg, pad.l - 6, y(v) + 4, opts.format(v), "chart-axis", "end");
    }
    // Month and full year ("May 25" read as a day), each label once (a single effort gave
    // four "May 25").
    var shown = "";
    for (var j = 0; j <= 3; j++) {
      var t = t0 + ((t1 - t0) * j) / 3;
      var tick = new Date(t * 1000).toLocaleDateString(undefined, { month: "short", year: "numeric" });
      if (tick === shown) { continue; }
      shown = tick;
      text(f.svg, x(t), f.height - 8, tick, "chart-axis");
    }
    var dots = pts.map(function (p) {
      var c = el("circle", { cx: x(p.t), cy: y(p.v), r: 3.5, fill: opts.color, "class": "chart-dot" }, f.svg);
      el("title", {}, c).textContent = p.label + ": " + opts.format(p.v);
      return c;
    });
    if (opts.trend) {
      el("line", { x1: x(opts.trend.t0), y1: y(opts.trend.v0), x2: x(opts.trend.t1), y2: y(opts.trend.v1),
                   stroke: opts.color, "class": "chart-trend" }, f.svg);
    }
    var hover = el("rect", { x: pad.l, y: pad.t, width: plotW, height: plotH, "class": "chart-hover" }, f.svg);
    hover.addEventListener("mousemove", function (evt) {
      var box = f.svg.getBoundingClientRect();
      var px = (evt.clientX - box.left) * (f.width / box.width);
      var best = 0;
      pts.forEach(function (p, i) { if (Math.abs(x(p.t) - px) < Math.abs(x(pts[best].t) - px)) { best = i; } });
      dots.forEach(function (d, i) { d.setAttribute("r", i === best ? 6 : 3.5); });
      f.readout.textContent = pts[best].label + ": " + opts.format(pts[best].v);
    });
    return f;
  }

  window.IMASCharts = { bars: bars, lines: lines, scatter: scatter, units: units, sportColor: sportColor, fmt: fmt, clock: clock };
})();
