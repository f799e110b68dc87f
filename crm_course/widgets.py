"""Interactive explorers for JupyterLab (ipywidgets 8).

>>> calc = clv_calculator(margin=100, retention=0.8, discount=0.12, horizon=10)
>>> calc.summary()["clv"]
241.36
"""

from __future__ import annotations

import ipywidgets as w
import matplotlib.pyplot as plt
from IPython.display import display

from . import value
from .plots import bilingual


class CLVCalculator:
    """Sliders for margin, retention, discount rate and horizon, with a live CLV chart.

    ``summary()`` gives the numbers on display, so what the reader sees can be checked.
    """

    def __init__(self, margin=100.0, retention=0.8, discount=0.1, horizon=10, timing="end"):
        value.clv(margin, retention, discount, horizon, timing)  # bad start values: clear error
        style = {"description_width": "14em"}
        layout = w.Layout(width="36em")
        self.margin = w.FloatSlider(value=margin, min=0, max=max(1000, 2 * margin), step=10,
                                    style=style, layout=layout,
                                    description="Margin / period 每期利润")
        self.retention = w.FloatSlider(value=retention, min=0, max=0.99, step=0.01,
                                       style=style, layout=layout,
                                       description="Retention 保持率")
        self.discount = w.FloatSlider(value=discount, min=0, max=0.5, step=0.01, style=style,
                                      layout=layout, description="Discount rate 贴现率")
        self.horizon = w.IntSlider(value=horizon, min=1, max=40, style=style, layout=layout,
                                   description="Horizon (periods) 期数")
        self.timing = w.ToggleButtons(options=[("end of period", "end"),
                                               ("start of period", "start")],
                                      value=timing, style=style,
                                      description="Margins paid at 利润发生于")
        self.numbers = w.HTML()
        self.chart = w.Output()
        for control in self.controls:
            control.observe(self.redraw, names="value")
        self.view = w.VBox([*self.controls, self.numbers, self.chart])
        self.redraw()

    @property
    def controls(self):
        return [self.margin, self.retention, self.discount, self.horizon, self.timing]

    def summary(self) -> dict:
        """CLV over the horizon and without limit for the current slider values."""
        args = (self.margin.value, self.retention.value, self.discount.value)
        return {
            "clv": round(value.clv(*args, horizon=self.horizon.value,
                                   timing=self.timing.value), 2),
            "clv_unlimited": round(value.clv(*args, timing=self.timing.value), 2),
            "margin_multiple": round(value.margin_multiple(*args[1:],
                                                           timing=self.timing.value), 3),
        }

    def redraw(self, _change=None) -> None:
        s = self.summary()
        self.numbers.value = (
            f"<b>CLV over {self.horizon.value} periods: {s['clv']:,.2f}</b> · "
            f"without limit: {s['clv_unlimited']:,.2f} · margin multiple {s['margin_multiple']}")
        table = value.clv_table(self.margin.value, self.retention.value, self.discount.value,
                                self.horizon.value, self.timing.value)
        self.chart.outputs = ()  # clear the old chart (clear_output prints outside a kernel)
        with self.chart:
            fig, ax = plt.subplots(figsize=(7, 3.2))
            ax.bar(table["period"], table["present_value"], color="#00704A", alpha=0.6,
                   label="present value of the period")
            ax.plot(table["period"], table["cumulative_clv"], color="#C8102E", marker="o",
                    label="cumulative CLV")
            ax.set_xlabel(bilingual("Period", "期"))
            ax.set_ylabel(bilingual("Value", "价值"))
            ax.legend(loc="center right")
            plt.show()

    def _ipython_display_(self):
        display(self.view)


def clv_calculator(**start) -> CLVCalculator:
    """An interactive customer-lifetime-value calculator; display it in a notebook cell."""
    return CLVCalculator(**start)
