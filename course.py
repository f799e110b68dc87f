"""Set up the course environment if needed, then open JupyterLab or run the tests.

    python course.py lab     # opens JupyterLab on your workspace copy of 00_start_here
    python course.py test    # runs the whole test suite (lint, unit tests, every notebook)
    python course.py bench   # runs the benchmarks (developers; installs lifetimes aside)

Needs only Python 3.11 or newer. The first run creates ``.venv/`` beside this file and
installs the exact versions in ``requirements.lock``; later runs reuse it, and reinstall
only when the lock changes. Nothing is downloaded once the environment exists.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
START = "workspace/notebooks/00_start_here.ipynb"


BENCH_VENV = ROOT / ".venv-bench"
# The baseline of the BG/NBD benchmark: installed beside the course, never a dependency of it.
BENCH_EXTRA = ["lifetimes==0.11.3"]


def venv_python(folder: Path = VENV) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment(folder: Path = VENV, extra: tuple[str, ...] = ()) -> Path:
    """Create ``folder`` and install the locked versions unless already done for this lock."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs before any check
        sys.exit(f"The course needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    python = venv_python(folder)
    stamp = folder / "course-lock.sha256"
    digest = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()
                            + " ".join(extra).encode())
    if python.exists() and stamp.exists() and stamp.read_text() == digest.hexdigest():
        return python
    if not python.exists():
        print(f"Creating the course environment in {folder.name} …", flush=True)
        venv.create(folder, with_pip=True)
    print("Installing the locked package versions (first run only; a few minutes) …",
          flush=True)
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-r", str(LOCK), *extra], check=True)
    subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
    stamp.write_text(digest.hexdigest())
    return python


def quiet_news() -> None:
    """Stop JupyterLab asking about its news feed (the course runs offline)."""
    settings = VENV / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    if not settings.exists():
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text(json.dumps(
            {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false"}}))


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("lab", "test", "bench"):
        print(__doc__)
        return 2
    python = str(ensure_environment())
    os.chdir(ROOT)
    if argv[0] == "bench":
        bench = str(ensure_environment(BENCH_VENV, tuple(BENCH_EXTRA)))
        widget = subprocess.run([python, "benchmarks/widget_redraw.py"])
        bgnbd = subprocess.run([bench, "benchmarks/bgnbd_vs_lifetimes.py", *argv[1:]])
        return widget.returncode or bgnbd.returncode
    if argv[0] == "test":
        lint = subprocess.run([python, "-m", "ruff", "check", "."])
        tests = subprocess.run([python, "-m", "pytest", *argv[1:]])
        return lint.returncode or tests.returncode
    subprocess.run([python, "-m", "crm_course.cli", "workspace"], check=True)
    quiet_news()
    return subprocess.run([python, "-m", "jupyterlab", "--ServerApp.root_dir=" + str(ROOT),
                           "--LabApp.news_url=None", *argv[1:], START]).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
