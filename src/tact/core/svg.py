"""Geometry for the server-rendered SVG pictures (target boards, rings)."""

from __future__ import annotations

import math


def polar(cx: float, cy: float, radius: float, angle: float) -> tuple[float, float]:
    """The point at ``angle`` (radians, 0 = east, clockwise on screen) on a circle."""
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def point(cx: float, cy: float, radius: float, angle: float) -> str:
    x, y = polar(cx, cy, radius, angle)
    return f"{x:.1f} {y:.1f}"


def ring_sector(cx: float, cy: float, inner: float, outer: float, start: float, end: float) -> str:
    """SVG path of the part of a ring between two angles (less than half a turn)."""
    return (
        f"M {point(cx, cy, inner, start)} L {point(cx, cy, outer, start)} "
        f"A {outer} {outer} 0 0 1 {point(cx, cy, outer, end)} L {point(cx, cy, inner, end)} "
        f"A {inner} {inner} 0 0 0 {point(cx, cy, inner, start)} Z"
    )


def wedge_angles(index: int, count: int) -> tuple[float, float]:
    """Start and end angle of the ``index``-th of ``count`` equal wedges, the first at the top."""
    start = -math.pi / 2 + 2 * math.pi * index / count
    return start, start + 2 * math.pi / count
