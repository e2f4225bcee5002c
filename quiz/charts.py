"""Charts drawn as SVG on the server: no chart library, no script, nothing from the network.
Each chart's numbers are also rendered as a table for screen readers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Point:
    x: float
    y: float
    label: str
    value: float


def line_chart(
    values: list[tuple[str, float]],
    width: int = 640,
    height: int = 220,
    low: float = 0.0,
    high: float = 100.0,
    ticks: list[float] | None = None,
) -> dict:
    """A polyline of ``values`` (label, value between low and high), oldest first."""
    pad_left, pad_right, pad_top, pad_bottom = 52, 12, 12, 28
    inner_w = width - pad_left - pad_right
    inner_h = height - pad_top - pad_bottom
    span = (high - low) or 1.0
    n = len(values)
    points = []
    for i, (label, value) in enumerate(values):
        x = pad_left + (inner_w * i / (n - 1) if n > 1 else inner_w / 2)
        clamped = min(max(value, low), high)
        y = pad_top + inner_h * (1 - (clamped - low) / span)
        points.append(Point(round(x, 1), round(y, 1), label, value))
    ticks = ticks if ticks is not None else [low + span * step / 4 for step in range(5)]
    grid = [
        {"y": round(pad_top + inner_h * (1 - (value - low) / span), 1), "label": f"{value:g}"}
        for value in ticks
    ]
    zero_y = None
    if low < 0 < high:
        zero_y = round(pad_top + inner_h * (1 - (0 - low) / span), 1)
    return {
        "width": width,
        "height": height,
        "points": points,
        "path": " ".join(f"{p.x},{p.y}" for p in points),
        "grid": grid,
        "left": pad_left,
        "right": width - pad_right,
        "bottom": height - pad_bottom,
        "zero_y": zero_y,
    }


def bar_chart(
    rows: list[tuple[str, float, str]],
    width: int = 640,
    bar: int = 22,
    gap: int = 10,
    label_width: int = 230,
) -> dict:
    """Horizontal bars for (label, percent 0–100, caption) rows."""
    inner = width - label_width - 60
    bars = []
    for i, (label, percent, caption) in enumerate(rows):
        y = i * (bar + gap)
        bars.append(
            {
                "label": label,
                "caption": caption,
                "y": y,
                "text_y": y + bar * 0.7,
                "width": round(inner * max(0.0, min(percent, 100.0)) / 100, 1),
                "percent": percent,
            }
        )
    return {
        "width": width,
        "height": max(1, len(rows) * (bar + gap)),
        "bars": bars,
        "bar": bar,
        "x0": label_width,
        "value_x": label_width + 6,
    }
