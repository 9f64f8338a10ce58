// The privacy-zones page: a Leaflet map (tiles through IMAS's own /tiles/ proxy) where a click
// places the new zone's centre; the radius field resizes the circle. The form fields are the
// truth: the map only fills them in, so the page works without the map too.
(function () {
  "use strict";

  var configNode = document.getElementById("zones-config");
  var box = document.getElementById("zone-map");
  if (!configNode || !box || typeof L === "undefined") return;
  var config = JSON.parse(configNode.textContent);
  var latInput = document.getElementById("id_lat");
  var lonInput = document.getElementById("id_lon");
  var radiusInput = document.getElementById("id_radius_m");

  var map = L.map(box, { scrollWheelZoom: false });
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, {
      maxZoom: config.maxZoom, attribution: config.attribution, crossOrigin: false
    }).addTo(map);
  } else {
    box.classList.add("no-tiles");
  }

  var draft = null;

  function radius() {
    var r = parseFloat(radiusInput && radiusInput.value);
    if (!isFinite(r)) r = 200;
    return Math.min(Math.max(r, config.minRadius), config.maxRadius);
  }

  function drawDraft() {
    var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
    if (!isFinite(lat) || !isFinite(lon)) return;
    if (draft) {
      draft.setLatLng([lat, lon]);
      draft.setRadius(radius());
    } else {
      draft = L.circle([lat, lon], { radius: radius(), color: "#f2542d", weight: 2, fillOpacity: 0.2 }).addTo(map);
    }
  }

  map.on("click", function (event) {
    latInput.value = event.latlng.lat.toFixed(6);
    lonInput.value = event.latlng.lng.toFixed(6);
    drawDraft();
  });
  [latInput, lonInput, radiusInput].forEach(function (input) {
    if (input) input.addEventListener("input", drawDraft);
  });

  // The view is set before any layer is added (Leaflet needs it to place them).
  var bounds = null;
  config.zones.forEach(function (z) {
    var b = L.latLng(z.lat, z.lon).toBounds(2 * z.radius);
    bounds = bounds ? bounds.extend(b) : b;
  });
  if (bounds) {
    map.fitBounds(bounds, { padding: [24, 24] });
  } else if (isFinite(parseFloat(latInput.value)) && isFinite(parseFloat(lonInput.value))) {
    map.setView([parseFloat(latInput.value), parseFloat(lonInput.value)], 15);
  } else {
    map.setView([48.2, 16.37], 3);
  }
  config.zones.forEach(function (z) {
    var c = L.circle([z.lat, z.lon], { radius: z.radius, color: "#64748b", weight: 2, fillOpacity: 0.15 });
    if (z.name) c.bindTooltip(z.name);
    c.addTo(map);
  });
  drawDraft();
})();
