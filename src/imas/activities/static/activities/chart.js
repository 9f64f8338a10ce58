// IMASChart: a small line/area chart in SVG, written for IMAS (no third-party chart library).
//
//   var chart = IMASChart.create(container, {
//     x: [...],            // ascending numbers (metres or seconds), one per sample
//     y: [...],            // values, null where there is none
//     label: "Heart rate", color: "#e11d48", area: false,
//     invert: false,       // true draws smaller values higher (pace: faster is up)
//     yFormat: fn(v) -> text, xFormat: fn(x) -> text,
//     yStep / xStep: fn(span, count) -> tick spacing (default: 1, 2, 2.5 or 5 x 10^n),
//     onHover: fn(index or null)
//   });
//   chart.setCursor(index or null); chart.setX(newX); chart.destroy();
//
// The chart draws at the container's pixel width, redraws when that changes, and reports the
// sample under the pointer (mouse, pen or touch) so the page can move the map marker.
(function (global) {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var PAD = { left: 46, right: 10, top: 10, bottom: 22 };

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    for (var key in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, key)) node.setAttribute(key, attrs[key]);
    }
    if (parent) parent.appendChild(node);
    return node;
  }

  // Round numbers for axis ticks: 1, 2, 2.5 or 5 times a power of ten.
  function niceStep(span, count) {
    var raw = span / Math.max(count, 1);
    var power = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) {
      if (steps[i] * power >= raw) return steps[i] * power;
    }
    return 10 * power;
  }

  // The index of the sample whose x is nearest to value (x ascending; binary search).
  function nearest(xs, value) {
    var lo = 0, hi = xs.length - 1;
    if (hi < 0) return -1;
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (xs[mid] < value) lo = mid; else hi = mid;
    }
    return Math.abs(xs[lo] - value) <= Math.abs(xs[hi] - value) ? lo : hi;
  }

  function finiteRange(values) {
    var min = Infinity, max = -Infinity;
    for (var i = 0; i < values.length; i++) {
      var v = values[i];
      if (v === null || v === undefined || !isFinite(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return min <= max ? [min, max] : null;
  }

  function create(container, options) {
    var height = options.height || 130;
    var xs = options.x;
    var ys = options.y;
    var cursorIndex = null;
    var root = document.createElement("figure");
    root.className = "chart";
    var caption = document.createElement("figcaption");
    caption.className = "chart-label";
    caption.textContent = options.label;
    root.appendChild(caption);
    var svg = el("svg", { class: "chart-svg", height: String(height), role: "img" }, root);
    svg.setAttribute("aria-label", options.label);
    container.appendChild(root);
    var layout = null;
    var cursorLine = null, cursorDot = null;

    function draw() {
      var width = Math.max(root.clientWidth, 200);
      while (svg.firstChild) svg.removeChild(svg.firstChild);
      svg.setAttribute("viewBox", "0 0 " + width + " " + height);
      svg.setAttribute("width", String(width));
      var xr = finiteRange(xs);
      var yr = finiteRange(ys);
      if (!xr || !yr) return;
      var y0 = yr[0], y1 = yr[1];
      if (y1 - y0 < 1e-9) { y0 -= 1; y1 += 1; }
      var margin = (y1 - y0) * 0.08;
      y0 -= margin; y1 += margin;
      var plotW = width - PAD.left - PAD.right;
      var plotH = height - PAD.top - PAD.bottom;
      var xSpan = (xr[1] - xr[0]) || 1;
      function px(x) { return PAD.left + (x - xr[0]) / xSpan * plotW; }
      function py(y) {
        var t = (y - y0) / (y1 - y0);
        if (options.invert) t = 1 - t;
        return PAD.top + (1 - t) * plotH;
      }
      layout = { px: px, py: py, xr: xr, width: width, plotW: plotW };

      // grid and y ticks
      var step = options.yStep ? options.yStep(y1 - y0, 4) : niceStep(y1 - y0, 4);
      var grid = el("g", { class: "chart-grid" }, svg);
      for (var v = Math.ceil(y0 / step) * step; v <= y1; v += step) {
        var gy = py(v);
        el("line", { x1: PAD.left, x2: width - PAD.right, y1: gy, y2: gy }, grid);
        var t = el("text", { x: PAD.left - 6, y: gy, "text-anchor": "end", "dominant-baseline": "middle" }, grid);
        t.textContent = options.yFormat ? options.yFormat(v) : String(Math.round(v));
      }
      // x ticks
      var xStep = niceStep(xSpan, Math.max(2, Math.floor(plotW / 90)));
      if (options.xStep) xStep = options.xStep(xSpan, Math.max(2, Math.floor(plotW / 90)));
      for (var xv = Math.ceil(xr[0] / xStep) * xStep; xv <= xr[1]; xv += xStep) {
        var tx = el("text", { x: px(xv), y: height - 6, "text-anchor": "middle" }, grid);
        tx.textContent = options.xFormat ? options.xFormat(xv) : String(xv);
      }

      // the data, broken where values are missing
      var d = "", area = "", open = false, firstX = 0, lastX = 0;
      var base = options.invert ? PAD.top : PAD.top + plotH;
      for (var i = 0; i < xs.length; i++) {
        var yv = ys[i], xv2 = xs[i];
        if (yv === null || yv === undefined || !isFinite(yv) || xv2 === null || !isFinite(xv2)) {
          if (open && options.area) area += "L" + lastX.toFixed(1) + " " + base.toFixed(1) + "Z";
          open = false;
          continue;
        }
        var sx = px(xv2), sy = py(yv);
        if (!open) {
          d += "M" + sx.toFixed(1) + " " + sy.toFixed(1);
          if (options.area) area += "M" + sx.toFixed(1) + " " + base.toFixed(1) + "L" + sx.toFixed(1) + " " + sy.toFixed(1);
          firstX = sx;
          open = true;
        } else {
          d += "L" + sx.toFixed(1) + " " + sy.toFixed(1);
          if (options.area) area += "L" + sx.toFixed(1) + " " + sy.toFixed(1);
        }
        lastX = sx;
      }
      if (open && options.area) area += "L" + lastX.toFixed(1) + " " + base.toFixed(1) + "L" + firstX.toFixed(1) + " " + base.toFixed(1) + "Z";
      if (options.area && area) el("path", { d: area, class: "chart-area", fill: options.color }, svg);
      el("path", { d: d, class: "chart-line", stroke: options.color }, svg);

      cursorLine = el("line", { class: "chart-cursor", y1: PAD.top, y2: PAD.top + plotH, x1: -10, x2: -10 }, svg);
      cursorDot = el("circle", { class: "chart-dot", r: 4, cx: -10, cy: -10, fill: options.color }, svg);
      el("rect", { class: "chart-hit", x: PAD.left, y: 0, width: plotW, height: height, fill: "transparent" }, svg);
      setCursor(cursorIndex);
    }

    function setCursor(index) {
      cursorIndex = index;
      if (!layout || !cursorLine) return;
      if (index === null || index < 0 || index >= xs.length || xs[index] === null) {
        cursorLine.setAttribute("x1", -10); cursorLine.setAttribute("x2", -10);
        cursorDot.setAttribute("cx", -10);
        return;
      }
      var cx = layout.px(xs[index]);
      cursorLine.setAttribute("x1", cx); cursorLine.setAttribute("x2", cx);
      var yv = ys[index];
      if (yv === null || yv === undefined || !isFinite(yv)) {
        cursorDot.setAttribute("cx", -10);
      } else {
        cursorDot.setAttribute("cx", cx);
        cursorDot.setAttribute("cy", layout.py(yv));
      }
    }

    function pointerIndex(event) {
      if (!layout) return null;
      var box = svg.getBoundingClientRect();
      var scale = layout.width / box.width;
      var sx = (event.clientX - box.left) * scale;
      var value = layout.xr[0] + (sx - PAD.left) / layout.plotW * (layout.xr[1] - layout.xr[0]);
      return nearest(xs, Math.max(layout.xr[0], Math.min(layout.xr[1], value)));
    }

    function onMove(event) {
      var index = pointerIndex(event);
      if (index !== null && options.onHover) options.onHover(index);
    }
    svg.addEventListener("pointermove", onMove);
    svg.addEventListener("pointerdown", onMove);
    svg.addEventListener("pointerleave", function () { if (options.onHover) options.onHover(null); });
    // Keyboard: focus a chart, then the arrow keys walk along it (Shift for bigger steps).
    svg.setAttribute("tabindex", "0");
    svg.addEventListener("keydown", function (event) {
      if (!options.onHover || !xs.length) return;
      var step = Math.max(1, Math.round(xs.length / (event.shiftKey ? 20 : 100)));
      var index = cursorIndex === null ? 0 : cursorIndex;
      if (event.key === "ArrowRight") index = Math.min(xs.length - 1, index + step);
      else if (event.key === "ArrowLeft") index = Math.max(0, index - step);
      else if (event.key === "Home") index = 0;
      else if (event.key === "End") index = xs.length - 1;
      else if (event.key === "Escape") index = null;
      else return;
      event.preventDefault();
      options.onHover(index);
    });

    var lastWidth = 0;
    var observer = null;
    if (global.ResizeObserver) {
      observer = new global.ResizeObserver(function () {
        if (root.clientWidth !== lastWidth) { lastWidth = root.clientWidth; draw(); }
      });
      observer.observe(root);
    }
    draw();

    return {
      setCursor: setCursor,
      setX: function (newX, xFormat, xStep) {
        xs = newX;
        options.xFormat = xFormat || options.xFormat;
        options.xStep = xStep;
        draw();
      },
      destroy: function () {
        if (observer) observer.disconnect();
        container.removeChild(root);
      },
      element: root
    };
  }

  global.IMASChart = { create: create, nearest: nearest, niceStep: niceStep };
})(window);
