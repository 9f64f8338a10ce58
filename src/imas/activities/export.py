"""GPX 1.1 export of an activity's streams, with Garmin's TrackPointExtension for HR/cadence."""

from __future__ import annotations

import datetime as dt

import numpy as np
from lxml import etree

from imas.activities.models import Activity
from imas.activities.streams import FloatArray

GPX_NS = "http://www.topografix.com/GPX/1/1"
TPX_NS = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = (
    "http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd "
    "http://www.garmin.com/xmlschemas/TrackPointExtension/v1 "
    "http://www.garmin.com/xmlschemas/TrackPointExtensionv1.xsd"
)


def _iso(epoch: float) -> str:
    moment = dt.datetime.fromtimestamp(epoch, tz=dt.UTC)
    if moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _fmt(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def activity_gpx(activity: Activity, arrays: dict[str, FloatArray], *, with_hr: bool) -> bytes:
    """The activity as GPX 1.1; points without a position are left out (GPX needs lat/lon)."""
    nsmap = {None: GPX_NS, "gpxtpx": TPX_NS, "xsi": XSI_NS}
    root = etree.Element(f"{{{GPX_NS}}}gpx", nsmap=nsmap)
    root.set("version", "1.1")
    root.set("creator", "IMAS")
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    metadata = etree.SubElement(root, f"{{{GPX_NS}}}metadata")
    etree.SubElement(metadata, f"{{{GPX_NS}}}name").text = activity.name
    etree.SubElement(metadata, f"{{{GPX_NS}}}time").text = _iso(activity.start_time.timestamp())
    trk = etree.SubElement(root, f"{{{GPX_NS}}}trk")
    etree.SubElement(trk, f"{{{GPX_NS}}}name").text = activity.name
    etree.SubElement(trk, f"{{{GPX_NS}}}type").text = activity.sport
    seg = etree.SubElement(trk, f"{{{GPX_NS}}}trkseg")

    lat, lon = arrays.get("lat"), arrays.get("lon")
    if lat is None or lon is None:
        return bytes(
            etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        )
    n = lat.shape[0]
    nan = np.full(n, np.nan)
    time = arrays.get("time", nan)
    alt = arrays.get("alt", nan)
    hr = arrays.get("hr", nan) if with_hr else nan
    cad = arrays.get("cad", nan)
    temp = arrays.get("temp", nan)
    for i in np.flatnonzero(np.isfinite(lat) & np.isfinite(lon)):
        pt = etree.SubElement(seg, f"{{{GPX_NS}}}trkpt")
        pt.set("lat", _fmt(float(lat[i]), 7))
        pt.set("lon", _fmt(float(lon[i]), 7))
        if np.isfinite(alt[i]):
            etree.SubElement(pt, f"{{{GPX_NS}}}ele").text = _fmt(float(alt[i]), 2)
        if np.isfinite(time[i]):
            etree.SubElement(pt, f"{{{GPX_NS}}}time").text = _iso(float(time[i]))
        extras = [
            ("atemp", temp[i], 1),
            ("hr", hr[i], 0),
            ("cad", cad[i], 0),
        ]
        present = [(tag, float(v), d) for tag, v, d in extras if np.isfinite(v)]
        if present:
            ext = etree.SubElement(pt, f"{{{GPX_NS}}}extensions")
            tpx = etree.SubElement(ext, f"{{{TPX_NS}}}TrackPointExtension")
            for tag, value, decimals in present:
                etree.SubElement(tpx, f"{{{TPX_NS}}}{tag}").text = _fmt(value, decimals)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
