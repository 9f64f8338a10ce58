"""GET /tiles/{z}/{x}/{y}.png: a map tile through IMAS, or 404 at once when there is none."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from imas.tiles.cache import TileUnavailable, tile_get


@require_GET
def tile(request: HttpRequest, z: int, x: int, y: int) -> HttpResponse:
    # Only signed-in people make IMAS fetch from the upstream, so the proxy is no open relay
    # for anyone on the internet; cached tiles are served to every viewer of a public map.
    try:
        found = tile_get(z, x, y, may_fetch=request.user.is_authenticated)
    except TileUnavailable:
        response = HttpResponse(status=404, content_type="text/plain")
        response["Cache-Control"] = "no-store"
        return response
    response = HttpResponse(found.data, content_type=found.content_type)
    # Which tiles someone looks at tells where they run: browsers may keep them, proxies not.
    response["Cache-Control"] = "private, max-age=604800"
    return response
