// The activity page: the route on a Leaflet map (tiles through IMAS's own /tiles/ proxy),
// start, finish and distance markers, and charts from GET /api/v1/activities/{id}/streams.
// Hovering a chart moves a marker along the route and shows the values at that point.
(function () {
  "use strict";

  var configNode = document.getElementById("activity-config");
  if (!configNode) return;
  var config = JSON.parse(configNode.textContent);
  var L10N = config.labels;
  var imperial = config.units === "imperial";
  var swim = config.sport === "swimming";
  var usesPace = ["running", "walking", "hiking", "swimming"].indexOf(config.sport) >= 0;
  var MILE = 1609.344, FOOT = 0.3048, YARD = 0.9144;
  var distUnit = imperial ? MILE : 1000;
  var distLabel = imperial ? "mi" : "km";

  var COLORS = {
    altitude: "#64748b", pace: "#0f766e", heartrate: "#e11d48",
    watts: "#7c3aed", cadence: "#d97706"
  };

  var chartsBox = document.getElementById("charts");
  var readout = document.getElementById("readout");
  var mapBox = document.getElementById("map");
  var charts = [];
  var streams = null;
  var hoverMarker = null;
  var map = null;

  // --- formatting ---------------------------------------------------------------------------

  function clock(seconds) {
    seconds = Math.round(seconds);
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = (h && m < 10 ? "0" : "") + m, ss = (s < 10 ? "0" : "") + s;
    return h ? h + ":" + mm + ":" + ss : mm + ":" + ss;
  }
  function fmtDistance(metres) {
    return (metres / distUnit).toFixed(metres / distUnit < 10 ? 2 : 1) + " " + distLabel;
  }
  function fmtAxisDistance(metres) {
    var v = metres / distUnit;
    return (Math.abs(v - Math.round(v)) < 1e-6 ? String(Math.round(v)) : v.toFixed(1)) + " " + distLabel;
  }
  function fmtAxisTime(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.round((seconds % 3600) / 60);
    if (m === 60) { h += 1; m = 0; }
    return h + ":" + (m < 10 ? "0" : "") + m;
  }
  // Per-unit distance of the pace: km or mile; 100 m or 100 yd in the water.
  var paceUnit = swim ? (imperial ? 100 * YARD : 100) : (imperial ? MILE : 1000);
  var paceLabel = swim ? (imperial ? "/100yd" : "/100m") : (imperial ? "/mi" : "/km");
  function paceOf(speed) { return speed > 0.3 ? paceUnit / speed : null; }
  function fmtPace(seconds) { return clock(seconds); }
  // Pace ticks on whole clock values: 0:10, 0:15, 0:30, 1:00, 2:00 or 5:00 apart.
  function clockStep(span, count) {
    var steps = [5, 10, 15, 30, 60, 120, 300, 600];
    for (var i = 0; i < steps.length; i++) if (span / steps[i] <= count) return steps[i];
    return 1200;
  }
  function speedOf(mps) { return imperial ? mps * 3600 / MILE : mps * 3.6; }
  function fmtElevation(m) { return Math.round(imperial ? m / FOOT : m) + (imperial ? " ft" : " m"); }

  // Moving average over `half` samples each side, skipping gaps (display smoothing only).
  function smooth(values, half) {
    var out = new Array(values.length);
    for (var i = 0; i < values.length; i++) {
      var sum = 0, n = 0;
      for (var k = Math.max(0, i - half); k <= Math.min(values.length - 1, i + half); k++) {
        var v = values[k];
        if (v !== null && isFinite(v)) { sum += v; n += 1; }
      }
      out[i] = values[i] === null || n === 0 ? null : sum / n;
    }
    return out;
  }

  function median(values) {
    var ok = values.filter(function (v) { return v !== null && isFinite(v) && v > 0; });
    ok.sort(function (a, b) { return a - b; });
    return ok.length ? ok[ok.length >> 1] : 0;
  }

  // Distance with gaps carried forward, so every sample has a place on the distance axis.
  function filledDistance(dist) {
    if (!dist) return null;
    var out = new Array(dist.length), last = 0, seen = false;
    for (var i = 0; i < dist.length; i++) {
      if (dist[i] !== null && isFinite(dist[i])) { last = Math.max(last, dist[i]); seen = true; }
      out[i] = last;
    }
    return seen && last > 0 ? out : null;
  }

  // --- map ----------------------------------------------------------------------------------

  function buildMap(latlng, dist) {
    if (!mapBox || typeof L === "undefined") return;
    var points = [];
    for (var i = 0; i < latlng.length; i++) if (latlng[i]) points.push(latlng[i]);
    if (points.length < 2) { mapBox.parentNode.classList.add("no-map"); return; }
    map = L.map(mapBox, { scrollWheelZoom: false, zoomSnap: 0.25 });
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, {
        maxZoom: config.maxZoom, attribution: config.attribution, crossOrigin: false
      }).addTo(map);
    } else {
      mapBox.classList.add("no-tiles");
    }
    var route = L.polyline(points, { color: "#ffffff", weight: 7, opacity: 0.9 }).addTo(map);
    var line = L.polyline(points, { color: "#f2542d", weight: 4, opacity: 1 }).addTo(map);
    // Pointing at the route moves the charts' cursor to that place (the nearest sample).
    function fromMap(event) {
      var best = null, bestD = Infinity;
      for (var k = 0; k < latlng.length; k++) {
        var p = latlng[k];
        if (!p) continue;
        var dLat = p[0] - event.latlng.lat, dLon = p[1] - event.latlng.lng;
        var d = dLat * dLat + dLon * dLon;
        if (d < bestD) { bestD = d; best = k; }
      }
      if (best !== null) hover(best);
    }
    [route, line].forEach(function (layer) {
      layer.on("mousemove", fromMap);
      layer.on("click", fromMap);
    });
    map.fitBounds(route.getBounds(), { padding: [24, 24] });

    if (dist) {
      var total = dist[dist.length - 1] || 0;
      var units = total / distUnit;
      var every = units > 100 ? 10 : units > 40 ? 5 : units > 20 ? 2 : 1;
      var next = every;
      for (var j = 0; j < dist.length && next * distUnit <= total; j++) {
        if (dist[j] >= next * distUnit && latlng[j]) {
          L.marker(latlng[j], {
            icon: L.divIcon({ className: "km-marker", html: String(next), iconSize: [22, 22] }),
            keyboard: false, interactive: false
          }).addTo(map);
          next += every;
        }
      }
    }
    var start = L.marker(points[0], {
      icon: L.divIcon({ className: "end-marker start-marker", iconSize: [16, 16] }),
      title: L10N.start, keyboard: false
    });
    var finish = L.marker(points[points.length - 1], {
      icon: L.divIcon({ className: "end-marker finish-marker", iconSize: [16, 16] }),
      title: L10N.finish, keyboard: false
    });
    finish.addTo(map);
    start.addTo(map);
    hoverMarker = L.marker(points[0], {
      icon: L.divIcon({ className: "hover-marker", iconSize: [18, 18] }),
      keyboard: false, interactive: false, zIndexOffset: 1000
    });
  }

  function moveMarker(index) {
    if (!map || !hoverMarker || !streams.latlng) return;
    var point = index === null ? null : streams.latlng[index];
    if (!point) {
      if (map.hasLayer(hoverMarker)) map.removeLayer(hoverMarker);
      mapBox.removeAttribute("data-hover-index");
      return;
    }
    hoverMarker.setLatLng(point);
    if (!map.hasLayer(hoverMarker)) hoverMarker.addTo(map);
    mapBox.setAttribute("data-hover-index", String(index));
  }

  // --- charts -------------------------------------------------------------------------------

  var series = [];
  var axis = "distance";
  var xDistance = null, xTime = null;

  function xFor(kind) { return kind === "distance" && xDistance ? xDistance : xTime; }
  function xFormatFor(kind) { return kind === "distance" && xDistance ? fmtAxisDistance : fmtAxisTime; }
  function xStepFor(kind) {
    if (kind === "distance" && xDistance) {
      return function (span, count) { return IMASChart.niceStep(span / distUnit, count) * distUnit; };
    }
    return function (span, count) {
      var steps = [60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600];
      for (var i = 0; i < steps.length; i++) if (span / steps[i] <= count) return steps[i];
      return 43200;
    };
  }

  function hover(index) {
    charts.forEach(function (c) { c.setCursor(index); });
    moveMarker(index);
    showReadout(index);
  }

  function showReadout(index) {
    readout.textContent = "";
    if (index === null) { readout.classList.remove("on"); return; }
    readout.classList.add("on");
    var parts = [];
    if (xDistance) parts.push([L10N.distance, fmtDistance(xDistance[index])]);
    if (xTime) parts.push([L10N.time, clock(xTime[index])]);
    series.forEach(function (s) {
      var v = s.y[index];
      if (v !== null && v !== undefined && isFinite(v)) parts.push([s.label, s.format(v) + (s.suffix || "")]);
    });
    parts.forEach(function (p) {
      var item = document.createElement("span");
      var b = document.createElement("b");
      b.textContent = p[1];
      item.appendChild(document.createTextNode(p[0] + " "));
      item.appendChild(b);
      readout.appendChild(item);
    });
  }

  function buildCharts() {
    chartsBox.textContent = "";
    xTime = streams.time || null;
    xDistance = filledDistance(streams.distance);
    if (!xTime && !xDistance) { chartsBox.textContent = L10N.noData; return; }
    if (!xDistance) {
      axis = "time";
      var distButton = document.querySelector('.seg[data-axis="distance"]');
      if (distButton) distButton.disabled = true;
      setPressed("time");
    }
    if (streams.altitude) {
      // Charted in the person's unit, so the axis ticks fall on round feet or metres.
      var altitude = streams.altitude.map(function (v) {
        return v === null ? null : (imperial ? v / FOOT : v);
      });
      series.push({ key: "altitude", label: L10N.elevation, y: altitude, area: true,
        format: function (v) { return String(Math.round(v)); }, suffix: imperial ? " ft" : " m",
        axisFormat: function (v) { return Math.round(v) + (imperial ? " ft" : " m"); } });
    }
    // GPS speed jitters from sample to sample; about 1 % of the points each side (a few
    // seconds of a run at this resolution) keeps the shape and drops the noise.
    var half = Math.max(2, Math.round(xTime ? xTime.length / 150 : 2));
    if (streams.speed) {
      var sm = smooth(streams.speed, half);
      if (usesPace) {
        series.push({ key: "pace", label: L10N.pace, y: sm.map(function (v) { return v === null ? null : paceOf(v); }),
          invert: true, format: fmtPace, suffix: " " + paceLabel, axisFormat: fmtPace, clampPace: true,
          yStep: clockStep });
      } else {
        series.push({ key: "pace", label: L10N.speed, y: sm.map(function (v) { return v === null ? null : speedOf(v); }),
          format: function (v) { return v.toFixed(1); }, suffix: imperial ? " mph" : " km/h",
          axisFormat: function (v) { return v.toFixed(0); } });
      }
    }
    if (streams.heartrate) {
      series.push({ key: "heartrate", label: L10N.heartrate, y: streams.heartrate,
        format: function (v) { return String(Math.round(v)); }, suffix: " bpm" });
    }
    if (streams.watts) {
      series.push({ key: "watts", label: L10N.watts, y: smooth(streams.watts, half),
        format: function (v) { return String(Math.round(v)); }, suffix: " W" });
    }
    if (streams.cadence) {
      // Runners read steps a minute; files count one foot's cycles (see activity_format.py).
      var onFoot = usesPace && !swim;
      var cad = streams.cadence;
      if (onFoot && median(cad) < 120) cad = cad.map(function (v) { return v === null ? null : v * 2; });
      series.push({ key: "cadence", label: L10N.cadence, y: smooth(cad, half),
        format: function (v) { return String(Math.round(v)); }, suffix: usesPace ? " spm" : " rpm" });
    }
    if (!series.length) { chartsBox.textContent = L10N.noData; return; }
    series.forEach(function (s) {
      if (s.clampPace) s.y = clampOutliers(s.y);
      var chart = IMASChart.create(chartsBox, {
        x: xFor(axis), y: s.y, label: s.label, color: COLORS[s.key], area: !!s.area,
        invert: !!s.invert,
        yFormat: s.axisFormat || s.format, yStep: s.yStep,
        xFormat: xFormatFor(axis), xStep: xStepFor(axis),
        onHover: hover
      });
      chart.element.setAttribute("data-series", s.key);
      charts.push(chart);
    });
  }

  // Paces slower than the 98th percentile are standing, not running: they would squash the
  // chart, so they are drawn at that limit.
  function clampOutliers(values) {
    var finite = values.filter(function (v) { return v !== null && isFinite(v); }).sort(function (a, b) { return a - b; });
    if (finite.length < 10) return values;
    var limit = finite[Math.floor(finite.length * 0.98)];
    return values.map(function (v) { return v === null ? null : Math.min(v, limit); });
  }

  function setPressed(kind) {
    var buttons = document.querySelectorAll(".seg[data-axis]");
    for (var i = 0; i < buttons.length; i++) {
      var on = buttons[i].getAttribute("data-axis") === kind;
      buttons[i].classList.toggle("on", on);
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".seg[data-axis]") : null;
    if (!button || button.disabled || !streams) return;
    axis = button.getAttribute("data-axis");
    setPressed(axis);
    charts.forEach(function (c) { c.setX(xFor(axis), xFormatFor(axis), xStepFor(axis)); });
  });

  // --- load ---------------------------------------------------------------------------------

  fetch(config.streamsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(function (data) {
      streams = data;
      buildCharts();
      if (data.latlng) buildMap(data.latlng, filledDistance(data.distance));
      document.getElementById("activity").setAttribute("data-ready", "true");
    })
    .catch(function () {
      chartsBox.textContent = L10N.loadFailed;
      document.getElementById("activity").setAttribute("data-ready", "error");
    });
})();
