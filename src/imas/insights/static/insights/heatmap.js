/* The heat map of one's own routes: a Leaflet layer of our own that draws every simplified
 * route onto a canvas, lets overlapping routes add up, and colours the sum from blue (once)
 * to yellow-white (many times). Routes come from GET /api/v1/trends/heatmap as Google
 * encoded polylines. Tiles (when enabled) come through IMAS's own tile proxy. */
(function () {
  "use strict";

  function decode(encoded) {
    // Google's encoded polyline algorithm, precision 1e-5.
    var points = [];
    var index = 0, lat = 0, lon = 0;
    while (index < encoded.length) {
      var shift = 0, result = 0, byte;
      do {
        byte = encoded.charCodeAt(index++) - 63;
        result |= (byte & 0x1f) << shift;
        shift += 5;
      } while (byte >= 0x20 && index < encoded.length);
      lat += (result & 1) ? ~(result >> 1) : (result >> 1);
      shift = 0; result = 0;
      do {
        byte = encoded.charCodeAt(index++) - 63;
        result |= (byte & 0x1f) << shift;
        shift += 5;
      } while (byte >= 0x20 && index < encoded.length);
      lon += (result & 1) ? ~(result >> 1) : (result >> 1);
      points.push([lat / 1e5, lon / 1e5]);
    }
    return points;
  }

  /* 256 colours: transparent -> blue -> magenta -> orange -> yellow -> white. */
  function palette() {
    var stops = [[0, 0, 0, 0, 0], [0.08, 37, 99, 235, 170], [0.3, 192, 38, 211, 220],
                 [0.55, 249, 115, 22, 240], [0.8, 250, 204, 21, 255], [1, 255, 255, 240, 255]];
    var out = new Uint8ClampedArray(256 * 4);
    for (var i = 0; i < 256; i++) {
      var t = i / 255;
      var k = 1;
      while (k < stops.length - 1 && stops[k][0] < t) { k++; }
      var a = stops[k - 1], b = stops[k];
      var f = (t - a[0]) / (b[0] - a[0] || 1);
      for (var c = 0; c < 4; c++) { out[i * 4 + c] = a[c + 1] + (b[c + 1] - a[c + 1]) * f; }
    }
    return out;
  }

  function makeLayer(L, routes) {
    var colours = palette();
    return L.Layer.extend({
      onAdd: function (map) {
        this._map = map;
        this._canvas = L.DomUtil.create("canvas", "heatmap-canvas leaflet-zoom-hide");
        map.getPanes().overlayPane.appendChild(this._canvas);
        map.on("moveend zoomend resize", this._draw, this);
        this._draw();
      },
      onRemove: function (map) {
        map.off("moveend zoomend resize", this._draw, this);
        L.DomUtil.remove(this._canvas);
      },
      _draw: function () {
        var map = this._map;
        var size = map.getSize();
        var canvas = this._canvas;
        canvas.width = size.x;
        canvas.height = size.y;
        L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
        var ctx = canvas.getContext("2d");
        ctx.clearRect(0, 0, size.x, size.y);
        // Each route adds a little opacity where it passes; overlaps add up.
        ctx.lineWidth = Math.max(1.5, Math.min(5, (map.getZoom() - 8) * 0.6));
        ctx.lineJoin = "round";
        ctx.lineCap = "round";
        ctx.strokeStyle = "rgba(0, 0, 0, 0.22)";
        var bounds = map.getBounds().pad(0.2);
        routes.forEach(function (route) {
          if (!route.bounds.intersects(bounds)) { return; }
          ctx.beginPath();
          route.points.forEach(function (p, i) {
            var c = map.latLngToContainerPoint(p);
            if (i === 0) { ctx.moveTo(c.x, c.y); } else { ctx.lineTo(c.x, c.y); }
          });
          ctx.stroke();
        });
        var image = ctx.getImageData(0, 0, size.x, size.y);
        var px = image.data;
        for (var i = 3; i < px.length; i += 4) {
          var alpha = px[i];
          if (alpha === 0) { continue; }
          var j = alpha * 4;
          px[i - 3] = colours[j];
          px[i - 2] = colours[j + 1];
          px[i - 1] = colours[j + 2];
          px[i] = colours[j + 3];
        }
        ctx.putImageData(image, 0, 0);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var node = document.getElementById("heatmap");
    var configNode = document.getElementById("map-config");
    if (!node || !configNode || !window.L) { return; }
    var L = window.L;
    var config = JSON.parse(configNode.textContent);
    var status = document.getElementById("heatmap-status");
    var query = new URLSearchParams();
    if (node.dataset.year) { query.set("year", node.dataset.year); }
    if (node.dataset.sport) { query.set("sport", node.dataset.sport); }
    fetch(node.dataset.url + "?" + query.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (body) {
        var routes = body.routes.map(decode).filter(function (pts) { return pts.length > 1; }).map(function (pts) {
          return { points: pts, bounds: L.latLngBounds(pts) };
        });
        var map = L.map(node, { zoomControl: true, attributionControl: true, preferCanvas: true });
        if (config.tiles) {
          L.tileLayer(config.tiles, { maxZoom: config.max_zoom, attribution: config.attribution, className: "heatmap-tiles" }).addTo(map);
        }
        var Heat = makeLayer(L, routes);
        new Heat().addTo(map);
        if (routes.length) {
          var all = routes[0].bounds;
          routes.forEach(function (r) { all = all.extend(r.bounds); });
          map.fitBounds(all, { padding: [20, 20], maxZoom: 15 });
        } else {
          map.setView([20, 0], 2);
        }
        if (status) {
          status.textContent = status.dataset.template
            .replace("{shown}", body.shown.toLocaleString())
            .replace("{total}", body.total.toLocaleString());
        }
        node.dataset.ready = "true";
      })
      .catch(function () {
        if (status) { status.textContent = status.dataset.error; }
      });
  });
})();
