// Creating a segment from an activity: the activity's route on the map; a click on the route
// sets the start, the next click the end (then the start again, and so on); the sliders and
// the number fields do the same. The chosen stretch is drawn in blue. Distances are metres
// along the activity, which the server turns into sample positions.
(function () {
  "use strict";

  var node = document.getElementById("create-config");
  if (!node) return;
  var config = JSON.parse(node.textContent);
  var box = document.getElementById("map");
  var startRange = document.getElementById("id_start_range");
  var endRange = document.getElementById("id_end_range");
  var startField = document.getElementById("id_start");
  var endField = document.getElementById("id_end");
  var startOut = document.getElementById("start-out");
  var endOut = document.getElementById("end-out");
  var lengthOut = document.getElementById("length-out");
  var imperial = config.units === "imperial";

  var chartBox = document.getElementById("pick-chart");
  var SVG = "http://www.w3.org/2000/svg";
  var chart = null;  // {svg, band, width, total}
  var latlng = [], dist = [];
  var map = null, chosen = null, startMark = null, endMark = null;
  var nextIsStart = true;

  function fmt(metres) {
    if (!isFinite(metres)) return "–";
    return imperial ? (metres / 1609.344).toFixed(2) + " mi" : (metres / 1000).toFixed(2) + " km";
  }

  function indexAt(metres) {
    var lo = 0, hi = dist.length - 1;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (dist[mid] < metres) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  function values() {
    return [parseFloat(startField.value), parseFloat(endField.value)];
  }

  function draw() {
    var v = values();
    startOut.textContent = fmt(v[0]);
    endOut.textContent = fmt(v[1]);
    lengthOut.textContent = v[1] > v[0] ? fmt(v[1] - v[0]) : "–";
    if (chart && chart.total > 0) {
      var x0 = Math.max(0, Math.min(v[0], v[1])) / chart.total * chart.width;
      var x1 = Math.min(chart.total, Math.max(v[0], v[1])) / chart.total * chart.width;
      chart.band.setAttribute("x", String(x0));
      chart.band.setAttribute("width", String(Math.max(0, x1 - x0)));
    }
    if (!map || !dist.length) return;
    var a = indexAt(v[0] || 0), b = indexAt(isFinite(v[1]) ? v[1] : dist[dist.length - 1]);
    var part = latlng.slice(Math.min(a, b), Math.max(a, b) + 1).filter(Boolean);
    if (chosen) chosen.setLatLngs(part.length > 1 ? part : []);
    if (latlng[a]) startMark.setLatLng(latlng[a]);
    if (latlng[b]) endMark.setLatLng(latlng[b]);
  }

  function set(which, metres) {
    metres = Math.max(0, Math.round(metres));
    if (which === "start") { startField.value = metres; startRange.value = metres; }
    else { endField.value = metres; endRange.value = metres; }
    draw();
  }

  startRange.addEventListener("input", function () { set("start", +startRange.value); });
  endRange.addEventListener("input", function () { set("end", +endRange.value); });
  startField.addEventListener("input", function () { startRange.value = startField.value; draw(); });
  endField.addEventListener("input", function () { endRange.value = endField.value; draw(); });

  function nearest(point) {
    var best = -1, bestD = Infinity;
    for (var i = 0; i < latlng.length; i++) {
      if (!latlng[i]) continue;
      var dy = latlng[i][0] - point.lat, dx = (latlng[i][1] - point.lng) * Math.cos(point.lat * Math.PI / 180);
      var d = dx * dx + dy * dy;
      if (d < bestD) { bestD = d; best = i; }
    }
    return best;
  }

  // The elevation along the activity as a small SVG; a click picks a distance, like the map.
  function buildChart(altitude, total) {
    if (!chartBox || !altitude || total <= 0) { if (chartBox) chartBox.hidden = true; return; }
    var width = 600, height = 120, lo = Infinity, hi = -Infinity, i;
    for (i = 0; i < altitude.length; i++) {
      var a = altitude[i];
      if (a !== null && isFinite(a)) { lo = Math.min(lo, a); hi = Math.max(hi, a); }
    }
    if (!isFinite(lo)) { chartBox.hidden = true; return; }
    if (hi - lo < 10) { var mid = (hi + lo) / 2; lo = mid - 5; hi = mid + 5; }
    var d = "", started = false;
    for (i = 0; i < altitude.length; i++) {
      if (altitude[i] === null || !isFinite(altitude[i])) continue;
      var x = dist[i] / total * width, y = height - 4 - (altitude[i] - lo) / (hi - lo) * (height - 8);
      d += (started ? " L" : "M") + x.toFixed(1) + "," + y.toFixed(1);
      started = true;
    }
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("class", "pick-svg");
    svg.setAttribute("role", "img");
    var band = document.createElementNS(SVG, "rect");
    band.setAttribute("class", "pick-band");
    band.setAttribute("y", "0");
    band.setAttribute("height", String(height));
    var line = document.createElementNS(SVG, "path");
    line.setAttribute("class", "pick-line");
    line.setAttribute("d", d);
    svg.appendChild(band);
    svg.appendChild(line);
    chartBox.appendChild(svg);
    chart = { svg: svg, band: band, width: width, total: total };
    svg.addEventListener("click", function (event) {
      var box = svg.getBoundingClientRect();
      var metres = (event.clientX - box.left) / box.width * total;
      set(nextIsStart ? "start" : "end", metres);
      nextIsStart = !nextIsStart;
    });
  }

  function build(streams) {
    latlng = streams.latlng || [];
    dist = streams.distance || [];
    // Distances carried forward over gaps, so every point has a place along the activity.
    var last = 0;
    for (var i = 0; i < dist.length; i++) {
      if (dist[i] === null || !isFinite(dist[i])) dist[i] = last; else last = Math.max(last, dist[i]);
    }
    var total = dist.length ? dist[dist.length - 1] : 0;
    startRange.max = endRange.max = Math.ceil(total);
    if (startField.value === "") set("start", total * 0.25);
    if (endField.value === "") set("end", total * 0.75);
    buildChart(streams.altitude, total);
    var points = latlng.filter(Boolean);
    if (!box || typeof L === "undefined" || points.length < 2) { draw(); return; }
    map = L.map(box, { scrollWheelZoom: false, zoomSnap: 0.25 });
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { maxZoom: config.maxZoom, attribution: config.attribution }).addTo(map);
    } else {
      box.classList.add("no-tiles");
    }
    var route = L.polyline(points, { color: "#f2542d", weight: 4, opacity: 0.7 }).addTo(map);
    chosen = L.polyline([], { color: "#2563eb", weight: 7, opacity: 1 }).addTo(map);
    startMark = L.circleMarker(points[0], { radius: 7, color: "#fff", weight: 2, fillColor: "#16a34a", fillOpacity: 1 })
      .bindTooltip(config.labels.start).addTo(map);
    endMark = L.circleMarker(points[points.length - 1], { radius: 7, color: "#fff", weight: 2, fillColor: "#dc2626", fillOpacity: 1 })
      .bindTooltip(config.labels.finish).addTo(map);
    map.fitBounds(route.getBounds(), { padding: [24, 24] });
    map.on("click", function (event) {
      var i = nearest(event.latlng);
      if (i < 0) return;
      set(nextIsStart ? "start" : "end", dist[i] || 0);
      nextIsStart = !nextIsStart;
    });
    draw();
    box.setAttribute("data-ready", "1");
  }

  fetch(config.streamsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(build)
    .catch(function () { draw(); });
})();
