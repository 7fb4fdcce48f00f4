"""The inline SVG map of France: regions and overseas insets shaded by a count.

The outlines come from mapdata.json, built once by tools/build_map.py.
"""

import functools
import json
from dataclasses import dataclass
from pathlib import Path

# Sequential blues, light to dark. The count written on each shade keeps a
# contrast of at least 5.6:1 (dark text on the light ones, white on the dark);
# the colour never carries the number alone.
SHADES = ["#eef1f4", "#c6dbef", "#8fbbe0", "#2f6aa8", "#17487f"]
TEXT_ON = ["#1b1f24", "#1b1f24", "#1b1f24", "#ffffff", "#ffffff"]


@functools.cache
def outlines() -> dict:
    return json.loads(Path(__file__).with_name("mapdata.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class MapArea:
    slug: str
    name: str
    count: int
    url: str
    d: str
    label_x: float
    label_y: float
    shade: int
    inset: dict | None

    @property
    def name_lines(self) -> list[str]:
        """The name on one line, or two for a long one (split at the middlemost gap)."""
        if len(self.name) <= 14:
            return [self.name]
        gaps = [i for i, c in enumerate(self.name) if c in " -"]
        if not gaps:
            return [self.name]
        cut = min(gaps, key=lambda i: abs(i - len(self.name) / 2))
        return [self.name[: cut + 1].rstrip(), self.name[cut + 1 :]]

    @property
    def fill(self) -> str:
        return SHADES[self.shade]

    @property
    def text_colour(self) -> str:
        return TEXT_ON[self.shade]


def shade_of(count: int, highest: int) -> int:
    """0 for none, then four equal steps up to the highest count."""
    if count <= 0 or highest <= 0:
        return 0
    return min(4, 1 + (4 * (count - 1)) // highest)


def legend(highest: int) -> list[tuple[str, str]]:
    """(colour, range label) for each shade in use."""
    steps = [(SHADES[0], "0")]
    if highest <= 0:
        return steps
    bounds = {}
    for count in range(1, highest + 1):
        bounds.setdefault(shade_of(count, highest), [count, count])[1] = count
    for shade, (low, high) in sorted(bounds.items()):
        steps.append((SHADES[shade], str(low) if low == high else f"{low}–{high}"))
    return steps


def build_map(entries) -> dict:
    """entries: (slug, name, INSEE code, count, url) for every region and territory.

    Returns what the map template draws.
    """
    data = outlines()
    entries = list(entries)
    highest = max((entry[3] for entry in entries), default=0)
    areas = []
    for slug, name, code, count, url in entries:
        shape = data["regions"].get(code)
        if shape is None:
            continue
        areas.append(
            MapArea(
                slug=slug,
                name=name,
                count=count,
                url=url,
                d=shape["d"],
                label_x=shape["label"][0],
                label_y=shape["label"][1],
                shade=shade_of(count, highest),
                inset=shape["inset"],
            )
        )
    return {
        "view_box": data["viewBox"],
        "areas": areas,
        "metropolitan": [a for a in areas if not a.inset],
        "overseas": [a for a in areas if a.inset],
        "legend": legend(highest),
        "attribution": data["attribution"],
    }
