"""Re-run course notebooks top to bottom in a fresh kernel and save their outputs.

    .venv/bin/python tools/run_notebooks.py                 # every notebook
    .venv/bin/python tools/run_notebooks.py cases/fedex.ipynb

Cell timing metadata is dropped so that a re-run changes a notebook's file only where
its outputs change. Prints each notebook's run time.
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def run(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - started
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    return seconds


def main(argv):
    paths = [Path(p) for p in argv] or sorted(
        [*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("cases/*.ipynb")])
    for path in paths:
        print(f"{path.relative_to(ROOT) if path.is_absolute() else path}: {run(path):.1f} s",
              flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
