"""Facts about the environment a notebook ran in: the version record at its end."""

from __future__ import annotations

import platform
from importlib import metadata

import pandas as pd

RECORDED = ("crm-course", "numpy", "pandas", "scipy", "matplotlib", "seaborn", "scikit-learn",
            "statsmodels", "faker", "ipywidgets", "otter-grader")


def version_record(packages=RECORDED) -> pd.DataFrame:
    """The Python version and the versions of the packages the course relies on.

    >>> version_record(["pandas"]).index.tolist()
    ['python', 'pandas']
    """
    versions = {"python": platform.python_version()}
    for name in packages:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return pd.DataFrame({"version": versions}).rename_axis("package")
