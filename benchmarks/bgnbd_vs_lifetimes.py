"""Benchmark: our BG/NBD fit (crm_course.clv_models.BetaGeo) against lifetimes' BetaGeoFitter.

Simulates customers from known BG/NBD parameters, fits both models on the same
frequency/recency/T arrays in this one run, and prints fit time, peak traced memory
(tracemalloc, in a second fit so that tracing does not slow the timed one), their
ratios, and both parameter sets beside the truth.

lifetimes is not a course dependency: run this in its own environment, see
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc

import numpy as np
import pandas as pd
import scipy
from lifetimes import BetaGeoFitter
from lifetimes import __version__ as lifetimes_version

from crm_course.clv_models import BetaGeo

TRUE = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}   # CDNOW values, weekly


def simulate(n: int, seed: int = 20261204, max_T: float = 78.0) -> pd.DataFrame:
    """frequency, recency, T (weeks) of ``n`` customers under the BG/NBD story.

    Customers are acquired uniformly over the first 12 weeks of a ``max_T``-week window.
    """
    rng = np.random.default_rng(seed)
    lam = rng.gamma(TRUE["r"], 1 / TRUE["alpha"], n)
    p = rng.beta(TRUE["a"], TRUE["b"], n)
    big_t = max_T - rng.uniform(0, 12, n)
    x = np.zeros(n)
    tx = np.zeros(n)
    t = np.zeros(n)
    alive = np.ones(n, dtype=bool)      # BG/NBD: dropout only after a repeat purchase
    idx = np.arange(n)
    while idx.size:
        idx = idx[alive[idx]]
        t[idx] += rng.exponential(1.0, idx.size) / lam[idx]
        inside = t[idx] <= big_t[idx]
        idx = idx[inside]
        x[idx] += 1
        tx[idx] = t[idx]
        alive[idx] = rng.random(idx.size) >= p[idx]
    return pd.DataFrame({"frequency": x, "recency": tx, "T": big_t})


def fit_ours(data):
    model = BetaGeo().fit(data)
    return model.params_[["r", "alpha", "a", "b"]].to_numpy()


def fit_lifetimes(data):
    model = BetaGeoFitter().fit(data["frequency"], data["recency"], data["T"])
    return model.params_[["r", "alpha", "a", "b"]].to_numpy()


def measure(fit, data):
    """Wall and CPU seconds of one fit, then peak traced memory (MB) of a second, traced fit.

    CPU time is the steadier measure on a shared machine; both are printed.
    """
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    params = fit(data)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    gc.collect()
    tracemalloc.start()
    fit(data)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return wall, cpu, peak, params


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261204)
    args = parser.parse_args(argv)
    data = simulate(args.customers, args.seed)
    print(f"{len(data):,} simulated customers, mean frequency {data['frequency'].mean():.3f}; "
          f"numpy {np.__version__}, pandas {pd.__version__}, scipy {scipy.__version__}, "
          f"lifetimes {lifetimes_version}")
    ours = measure(fit_ours, data)
    theirs = measure(fit_lifetimes, data)
    table = pd.DataFrame([TRUE.values(), ours[3], theirs[3]], columns=list(TRUE),
                         index=["truth", "crm_course BetaGeo", "lifetimes BetaGeoFitter"])
    print(table.round(4).to_string())
    same = np.array_equal(np.round(ours[3], 3), np.round(theirs[3], 3))
    print(f"max |difference| of parameters: {np.max(np.abs(ours[3] - theirs[3])):.2e} "
          f"(same to 3 decimals: {same})")
    print(f"fit wall time : crm_course {ours[0]:8.2f} s   lifetimes {theirs[0]:8.2f} s   "
          f"lifetimes/crm_course = {theirs[0] / ours[0]:.1f}x")
    print(f"fit CPU time  : crm_course {ours[1]:8.2f} s   lifetimes {theirs[1]:8.2f} s   "
          f"lifetimes/crm_course = {theirs[1] / ours[1]:.1f}x")
    print(f"peak memory   : crm_course {ours[2]:8.1f} MB  lifetimes {theirs[2]:8.1f} MB  "
          f"crm_course/lifetimes = {ours[2] / theirs[2]:.2f}")

if __name__ == "__main__":
    main()
