"""Server-rendered SVG charts (no JavaScript): the radar of levels per dimension."""

from __future__ import annotations

import math
from typing import Any

from django.utils.html import escape


def radar_svg(
    labels: list[str], series: list[tuple[str, list[float | None], str]], *, max_level: int = 5
) -> str:
    """A radar chart: one axis per dimension, one polygon per series (name, values, colour)."""
    size, cx, cy, radius = 420, 210, 210, 150
    n = max(len(labels), 3)

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * value / max_level
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
        f'class="radar" width="{size}" height="{size}">'
    ]
    for level in range(1, max_level + 1):
        ring = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, level) for i in range(n)))
        parts.append(f'<polygon points="{ring}" fill="none" stroke="#ccc" stroke-width="1"/>')
    for i, label in enumerate(labels):
        x, y = point(i, max_level)
        lx, ly = point(i, max_level + 0.9)
        anchor = "middle" if abs(lx - cx) < 20 else ("start" if lx > cx else "end")
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#bbb"/>')
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="12" text-anchor="{anchor}">'
            f"{escape(label)}</text>"
        )
    for name, values, colour in series:
        pts = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(i, v or 0) for i, v in enumerate(values))
        )
        parts.append(
            f'<polygon points="{pts}" fill="{colour}" fill-opacity="0.2" stroke="{colour}" '
            f'stroke-width="2"><title>{escape(name)}</title></polygon>'
        )
    for j, (name, _values, colour) in enumerate(series):
        parts.append(
            f'<rect x="10" y="{10 + 18 * j}" width="12" height="12" fill="{colour}"/>'
            f'<text x="28" y="{21 + 18 * j}" font-size="12">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def report_radar(result: dict[str, Any], current: str, target: str) -> str:
    dims = result.get("dimensions", [])
    return radar_svg(
        [d["name"] for d in dims],
        [
            (current, [d["level"] for d in dims], "#1f6feb"),
            (target, [d["target"] for d in dims], "#d97706"),
        ],
    )
