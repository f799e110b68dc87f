"""One look for every chart in the course, with Chinese labels that always render.

Nothing changes at import. Call :func:`use_course_style` once at the top of a notebook:

>>> use_course_style()
>>> import matplotlib.pyplot as plt
>>> plt.rcParams["font.family"][:2]
['DejaVu Sans', 'Noto Sans CJK SC']

Chinese glyphs come from the Noto Sans CJK SC font file that the ``mplfonts`` package
ships (SIL Open Font License), registered with matplotlib directly, so no system font
is needed. Latin text keeps DejaVu Sans; matplotlib falls back glyph by glyph.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib import font_manager

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
CJK_FONT_NAME = "Noto Sans CJK SC"
PALETTE = ["#00704A", "#C8102E", "#1F4E79", "#E0A526", "#6B4C9A", "#3A9D9D", "#8C8C8C"]


def chinese_font_path() -> Path:
    """Path of the bundled Noto Sans CJK SC font (found without importing ``mplfonts``)."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("The 'mplfonts' package (which ships the Chinese font) is missing; "
                           "reinstall the course environment: python course.py test")
    return Path(spec.submodule_search_locations[0]) / "fonts" / CJK_FONT_FILE


def use_course_style(context: str = "notebook") -> None:
    """Apply the course's seaborn theme and make Chinese text render in every chart."""
    path = chinese_font_path()
    if CJK_FONT_NAME not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))
    sns.set_theme(context=context, style="whitegrid", palette=PALETTE, rc={
        # A list of families (not the generic "sans-serif") makes matplotlib fall back
        # glyph by glyph: Latin from DejaVu Sans, Chinese from Noto Sans CJK SC.
        "font.family": ["DejaVu Sans", CJK_FONT_NAME],
        "font.sans-serif": ["DejaVu Sans", CJK_FONT_NAME],
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.figsize": (7.5, 4.2),
        "figure.dpi": 100,
        "savefig.bbox": "tight",
    })


def bilingual(english: str, chinese: str) -> str:
    """A title or label in both languages: ``'Lifetime value · 客户终生价值'``.

    >>> bilingual("Lifetime value", "客户终生价值")
    'Lifetime value · 客户终生价值'
    """
    return f"{english} · {chinese}"


def lifecycle(stages, column: str = "spend_per_order", ax=None):
    """Plot a lifecycle curve with its stages shaded (see ``value.lifecycle_stages``)."""
    ax = ax or plt.subplots()[1]
    ax.plot(stages["tenure_month"], stages[column], color="#8C8C8C", lw=1, label="observed")
    ax.plot(stages["tenure_month"], stages["smoothed"], color=PALETTE[0], lw=2.5,
            label="smoothed")
    for i, (name, group) in enumerate(stages.groupby("stage", sort=False)):
        ax.axvspan(group["tenure_month"].min() - 0.5, group["tenure_month"].max() + 0.5,
                   color=PALETTE[i % len(PALETTE)], alpha=0.10)
        top = ax.get_ylim()[1] * (0.97 if i % 2 == 0 else 0.86)  # stagger narrow stages
        ax.text(group["tenure_month"].mean(), top,
                f"{name}\n{group['stage_zh'].iloc[0]}", ha="center", va="top", fontsize=9)
    ax.set_xlabel(bilingual("Months since acquisition", "客户关系时长（月）"))
    ax.set_ylabel(column.replace("_", " "))
    ax.legend(loc="lower right")
    return ax
