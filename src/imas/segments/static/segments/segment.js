// The segment page: the segment's path on a Leaflet map (tiles through IMAS's own /tiles/
// proxy, a plain background when tiles are off), with its start and finish.
(function () {
  "use strict";

  var node = document.getElementById("segment-config");
  var box = document.getElementById("map");
  if (!node || !box || typeof L === "undefined") return;
  var config = JSON.parse(node.textContent);
  var points = config.points || [];
  if (points.length < 2) { box.parentNode.classList.add("no-map"); return; }

  var map = L.map(box, { scrollWheelZoom: false, zoomSnap: 0.25 });
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { maxZoom: config.maxZoom, attribution: config.attribution }).addTo(map);
  } else {
    box.classList.add("no-tiles");
  }
  var halo = L.polyline(points, { color: "#ffffff", weight: 8, opacity: 0.9 }).addTo(map);
  L.polyline(points, { color: "#2563eb", weight: 5, opacity: 1 }).addTo(map);
  L.circleMarker(points[0], { radius: 7, color: "#fff", weight: 2, fillColor: "#16a34a", fillOpacity: 1 })
    .bindTooltip(config.labels.start).addTo(map);
  L.circleMarker(points[points.length - 1], { radius: 7, color: "#fff", weight: 2, fillColor: "#dc2626", fillOpacity: 1 })
    .bindTooltip(config.labels.finish).addTo(map);
  map.fitBounds(halo.getBounds(), { padding: [24, 24] });
  box.setAttribute("data-ready", "1");
})();
