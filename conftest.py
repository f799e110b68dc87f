"""Test settings shared by doctests and tests: a fixed, wide pandas display."""

import pandas as pd
import pytest


@pytest.fixture(autouse=True)
def _wide_pandas_display():
    """Doctest tables print the same on every terminal and pytest worker."""
    with pd.option_context("display.width", 200, "display.max_columns", 30):
        yield
