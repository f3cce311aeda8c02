"""Chart data for web/app.js, one shape for every chart.

A series carries a tone when its meaning is one of the four (ok, bad, warn, neutral) or
info: "done" is always green, "overdue" always red, whatever the series' order. Series
without a tone take the quiet series colours in order.
"""

from collections.abc import Sequence

TONES = ("ok", "bad", "warn", "neutral", "info")


def series(label, data: Sequence, tone: str = "") -> tuple:
    if tone and tone not in TONES:
        raise ValueError(f"unknown tone {tone!r}; one of {TONES}")
    return (label, list(data), tone)


def chart_data(
    kind: str,
    labels: Sequence,
    series_list: Sequence[tuple],
    *,
    stacked: bool = False,
    tones: Sequence[str] = (),
) -> dict:
    """{kind, labels, datasets: [{label, data, tone}], stacked}; for a doughnut, `tones`
    gives one tone per slice."""
    datasets = []
    for item in series_list:
        label, data, tone = (*item, "")[:3]
        dataset = {"label": str(label), "data": list(data), "tone": tone}
        if tones:
            dataset["tones"] = list(tones)
        datasets.append(dataset)
    return {
        "kind": kind,
        "labels": [str(label) for label in labels],
        "datasets": datasets,
        "stacked": stacked,
    }
