"""Build the map of France used by the guide's pages, once, from the raw outlines.

    python tools/build_map.py [GEO_DIR] [OUTPUT]

GEO_DIR holds regions-avec-outre-mer.geojson (the 18 regions, IGN Admin Express
COG 2018 with INSEE codes, Licence Ouverte / Etalab) and
collectivites-outre-mer.geojson (six overseas collectivities, Natural Earth
1:10m, public domain). The script projects them (metropolitan France with a
conic-like cosine correction, each overseas territory in its own inset),
simplifies the lines (Douglas-Peucker), drops specks, rounds to 0.1 unit and
writes SVG path data for a 1000 x 640 drawing to OUTPUT
(default guide/mapdata.json). It uses only the standard library.
"""

import json
import math
import sys
from pathlib import Path

WIDTH, HEIGHT = 1000, 640
METRO_BOX = (10, 10, 620, 620)  # x, y, width, height
INSET_COLUMNS, INSET_W, INSET_H = 3, 118, 150
INSET_ORIGIN = (642, 10)
INSET_SHAPE = 84  # room for the outline inside an inset, the name below
TOLERANCE = {"metro": 0.9, "inset": 0.7}
MIN_RING_AREA = {"metro": 4.0, "inset": 1.5}

# Overseas territories, in the order of the insets (INSEE code, short name).
INSETS = [
    ("01", "Guadeloupe"),
    ("02", "Martinique"),
    ("03", "Guyane"),
    ("04", "La Réunion"),
    ("06", "Mayotte"),
    ("975", "Saint-Pierre-et-Miquelon"),
    ("977", "Saint-Barthélemy"),
    ("978", "Saint-Martin"),
    ("986", "Wallis-et-Futuna"),
    ("987", "Polynésie française"),
    ("988", "Nouvelle-Calédonie"),
]
ATTRIBUTION = "Source : IGN – Admin Express, INSEE (Licence Ouverte) ; Made with Natural Earth"


def polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def project(lon, lat, lat0):
    """Equirectangular with a cosine correction: good enough at a country's scale."""
    return lon * math.cos(math.radians(lat0)), -lat


def ring_area(ring):
    return 0.5 * abs(
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))
    )


def centroid(ring):
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-9:
        xs, ys = zip(*ring, strict=True)
        return sum(xs) / len(xs), sum(ys) / len(ys)
    return cx / (3 * a), cy / (3 * a)


def simplify(points, tolerance):
    """Douglas-Peucker, iterative."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x0, y0), (x1, y1) = points[first], points[last]
        dx, dy = x1 - x0, y1 - y0
        norm = math.hypot(dx, dy) or 1e-9
        worst, index = 0.0, None
        for i in range(first + 1, last):
            x, y = points[i]
            distance = abs(dy * (x - x0) - dx * (y - y0)) / norm
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring, tolerance):
    """A closed ring simplified in two halves, split at the point farthest from its start."""
    x0, y0 = ring[0]
    far = max(range(len(ring)), key=lambda i: math.hypot(ring[i][0] - x0, ring[i][1] - y0))
    if far == 0:
        return ring
    return simplify(ring[: far + 1], tolerance)[:-1] + simplify(ring[far:], tolerance)


def fit(rings, box):
    """Scale and translate projected rings to fill ``box`` (x, y, w, h), keeping proportions."""
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    x, y, w, h = box
    scale = min(w / (max(xs) - min(xs) or 1e-9), h / (max(ys) - min(ys) or 1e-9))
    ox = x + (w - (max(xs) - min(xs)) * scale) / 2
    oy = y + (h - (max(ys) - min(ys)) * scale) / 2
    return [
        [(ox + (px - min(xs)) * scale, oy + (py - min(ys)) * scale) for px, py in ring]
        for ring in rings
    ]


def path_data(rings):
    parts = []
    for ring in rings:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in ring)
        parts.append(f"M{coords}Z")
    return "".join(parts)


def shape(rings, kind):
    """Simplified rings, specks dropped (the largest ring is always kept)."""
    largest = max(rings, key=ring_area)
    kept = []
    for ring in rings:
        thin = simplify_ring(ring, TOLERANCE[kind])
        if ring is largest or (len(thin) >= 4 and ring_area(thin) >= MIN_RING_AREA[kind]):
            kept.append(thin if len(thin) >= 4 else ring)
    return kept, largest


def outer_rings(feature, lat0):
    rings = []
    for polygon in polygons(feature["geometry"]):
        outer = polygon[0]
        rings.append([project(lon, lat, lat0) for lon, lat in outer])
    return rings


def build(geo_dir: Path) -> dict:
    features = {}
    for name in ("regions-avec-outre-mer.geojson", "collectivites-outre-mer.geojson"):
        for feature in json.loads((geo_dir / name).read_text(encoding="utf-8"))["features"]:
            features[feature["properties"]["code"]] = feature
    inset_codes = {code for code, _ in INSETS}
    regions = {}

    # Metropolitan France: one projection and one scale for all its regions.
    metro = {code: outer_rings(f, 46.5) for code, f in features.items() if code not in inset_codes}
    all_rings = [ring for rings in metro.values() for ring in rings]
    fitted_all = fit(all_rings, METRO_BOX)
    cursor = 0
    for code, rings in metro.items():
        fitted = fitted_all[cursor : cursor + len(rings)]
        cursor += len(rings)
        kept, largest = shape(fitted, "metro")
        x, y = centroid(largest)
        regions[code] = {"d": path_data(kept), "label": [round(x, 1), round(y, 1)], "inset": None}

    # Overseas: each in its own box, at its own scale.
    for index, (code, name) in enumerate(INSETS):
        feature = features[code]
        column, row = index % INSET_COLUMNS, index // INSET_COLUMNS
        box_x = INSET_ORIGIN[0] + column * INSET_W
        box_y = INSET_ORIGIN[1] + row * INSET_H
        lats = [p[1] for poly in polygons(feature["geometry"]) for p in poly[0]]
        rings = outer_rings(feature, sum(lats) / len(lats))
        margin = (INSET_W - 8 - INSET_SHAPE) / 2
        fitted = fit(rings, (box_x + 4 + margin, box_y + 8, INSET_SHAPE, INSET_SHAPE))
        kept, _ = shape(fitted, "inset")
        regions[code] = {
            "d": path_data(kept),
            "label": [round(box_x + INSET_W / 2 - 4, 1), round(box_y + INSET_SHAPE + 30, 1)],
            "inset": {"x": box_x, "y": box_y, "w": INSET_W - 8, "h": INSET_H - 8, "name": name},
        }
    return {
        "viewBox": f"0 0 {WIDTH} {HEIGHT}",
        "attribution": ATTRIBUTION,
        "regions": regions,
    }


def main():
    root = Path(__file__).resolve().parent.parent
    geo_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared" / "data" / "geo"
    output = Path(sys.argv[2]) if len(sys.argv) > 2 else root / "guide" / "mapdata.json"
    data = build(geo_dir)
    output.write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    size = output.stat().st_size
    print(f"{output.name}: {len(data['regions'])} territories, {size / 1024:.1f} KB")


if __name__ == "__main__":
    main()
