"""crm_course: the support package of the CRM casebook.

Notebooks read like the book; this package does the computing::

    import crm_course as crm
    tables = crm.load("starbucks")
    crm.clv(margin=120, retention=0.8, discount=0.1)

One module per idea of the book: ``value`` (lifetime value, retention economics,
lifecycle), ``database`` (SQLite customer database), ``olap`` (cubes), ``mining``
(classifier, clusters, basket rules), ``callcenter`` (Erlang C, queue simulation),
``loyalty`` and ``retention`` (loyalty programmes, loyalty matrix, cohorts),
``clv_models`` (BG/NBD, Gamma-Gamma), ``churn`` (survival, churn models, win-back),
``plots``, ``widgets``, ``datasets`` (loading), ``data`` (the generators of the synthetic
datasets) and ``exercises`` (student editions and grading).
"""

from . import (
    callcenter,
    churn,
    clv_models,
    database,
    loyalty,
    mining,
    olap,
    plots,
    retention,
    value,
    widgets,
)
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
    "available", "callcenter", "churn", "clv", "clv_models", "clv_table", "database",
    "delivered_value", "describe", "lifecycle_curve", "lifecycle_stages", "load", "load_truth",
    "loyalty", "margin_multiple", "mining", "olap", "plots", "retention", "retention_economics",
    "value", "version_record", "widgets", "word_of_mouth_value",
]
