"""How long the CLV calculator takes to redraw, against a bare matplotlib chart.

    .venv/bin/python benchmarks/widget_redraw.py

Prints the median time of one redraw of the widget (numbers, table and chart) and of the
baseline (one empty figure drawn to PNG the way the notebook backend does), and their ratio.
"""

import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import crm_course as crm  # noqa: E402


def median_seconds(action, repeats=20):
    times = []
    for i in range(repeats):
        started = time.perf_counter()
        action(i)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def baseline(_):
    fig, ax = plt.subplots(figsize=(7, 3.2))
    ax.plot([0, 1], [0, 1])
    fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


def main():
    crm.plots.use_course_style()
    calc = crm.widgets.clv_calculator()
    original = plt.show

    def show_as_png(*_args, **_kwargs):  # what the inline backend does on plt.show()
        plt.gcf().savefig(io.BytesIO(), format="png")
        plt.close("all")

    plt.show = show_as_png
    try:
        widget = median_seconds(lambda i: setattr(calc.retention, "value", 0.5 + (i % 40) / 100))
    finally:
        plt.show = original
    base = median_seconds(baseline)
    print(f"CLV calculator redraw: {widget * 1000:.1f} ms (median of 20)")
    print(f"baseline empty chart:  {base * 1000:.1f} ms")
    print(f"ratio: {widget / base:.2f}x the baseline")


if __name__ == "__main__":
    main()
