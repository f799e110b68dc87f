"""Course style, Chinese labels, and the CLV calculator widget."""

import importlib
import warnings

import matplotlib
import pytest

import crm_course as crm

matplotlib.use("Agg")  # tests only: render without a display
import matplotlib.pyplot as plt  # noqa: E402


def test_importing_the_package_changes_no_global_style():
    before = dict(matplotlib.rcParams)
    importlib.reload(crm.plots)
    assert dict(matplotlib.rcParams) == before


def test_chinese_text_renders_without_missing_glyphs(tmp_path):
    crm.plots.use_course_style()
    fig, ax = plt.subplots()
    ax.set_title(crm.plots.bilingual("Customer lifetime value", "客户终生价值"))
    ax.set_xlabel("客户关系时长（月）")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a UserWarning
        fig.savefig(tmp_path / "chinese.png")
    plt.close(fig)
    assert (tmp_path / "chinese.png").stat().st_size > 1000


def test_lifecycle_plot_shades_every_stage():
    crm.plots.use_course_style()
    tables = crm.load("ch01_concepts")
    stages = crm.lifecycle_stages(crm.lifecycle_curve(tables.transactions, tables.customers))
    ax = crm.plots.lifecycle(stages)
    assert len(ax.patches) == stages.stage.nunique()
    plt.close("all")


def test_clv_calculator_shows_the_value_clv_computes():
    calc = crm.widgets.clv_calculator(margin=100, retention=0.8, discount=0.12, horizon=10)
    assert calc.summary()["clv_unlimited"] == pytest.approx(250.0)
    calc.retention.value = 0.9
    calc.timing.value = "start"
    expected = crm.clv(100, 0.9, 0.12, horizon=10, timing="start")
    assert calc.summary()["clv"] == pytest.approx(round(expected, 2))
    assert f"{expected:,.2f}" in calc.numbers.value
    plt.close("all")


def test_clv_calculator_rejects_impossible_start_values():
    with pytest.raises(ValueError, match="retention must lie"):
        crm.widgets.clv_calculator(retention=1.2)
