"""crm_course: the support package of the CRM casebook.

Notebooks read like the book; this package does the computing::

    import crm_course as crm
    tables = crm.load("starbucks")
    crm.clv(margin=120, retention=0.8, discount=0.1)

One module per idea of the book: ``value`` (lifetime value, retention economics,
lifecycle), ``loyalty``, ``plots``, ``widgets``, ``datasets`` (loading), ``data`` (the
generators of the synthetic datasets) and ``exercises`` (student editions and grading).
"""

from . import churn, loyalty, plots, value, widgets
from .about import version_record
from .datasets import available, describe, load, load_truth
from .value import (
    clv,
    clv_table,
    delivered_value,
    lifecycle_curve,
    lifecycle_stages,
    margin_multiple,
    retention_economics,
    word_of_mouth_value,
)

__version__ = "0.1.0"

__all__ = [
    "available", "churn", "clv", "clv_table", "delivered_value", "describe", "lifecycle_curve",
    "lifecycle_stages", "load", "load_truth", "loyalty", "margin_multiple", "plots",
    "retention_economics", "value", "version_record", "widgets", "word_of_mouth_value",
]
