"""Dataset generators: one module per chapter or case, all on the shared :mod:`.core`.

>>> "starbucks" in GENERATORS
True

Rebuild every committed dataset, byte for byte: ``python -m crm_course.data rebuild``.
Make a bigger or different one: ``python -m crm_course.data make starbucks --size 100``.
"""

from __future__ import annotations

from pathlib import Path

from . import beareyes, carrefour, chapter01, chapter02, chapter09, chapter10, fedex, starbucks
from .core import Dataset, write

GENERATORS = {
    beareyes.NAME: beareyes.build,
    carrefour.NAME: carrefour.build,
    chapter01.NAME: chapter01.build,
    chapter02.NAME: chapter02.build,
    chapter09.NAME: chapter09.build,
    chapter10.NAME: chapter10.build,
    fedex.NAME: fedex.build,
    starbucks.NAME: starbucks.build,
}


def build(name: str, size: float = 1.0, seed: int | None = None) -> Dataset:
    """Generate dataset ``name`` in memory (``seed=None`` uses the committed seed)."""
    if name not in GENERATORS:
        raise ValueError(f"No generator called {name!r}; choose one of: "
                         + ", ".join(sorted(GENERATORS)))
    return GENERATORS[name](size=size) if seed is None else GENERATORS[name](size=size, seed=seed)


def make(name: str, folder: Path, size: float = 1.0, seed: int | None = None,
         overwrite: bool = False, progress: bool = False) -> list[Path]:
    """Generate dataset ``name`` and write it into ``folder``.

    A folder that already holds files is left alone unless ``overwrite=True``, so a
    dataset someone generated is never replaced by accident. ``progress=True`` reports
    each step, which helps with large sizes.
    """
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()) and not overwrite:
        raise FileExistsError(f"{folder} already holds files; choose another folder or pass "
                              "overwrite=True (--overwrite on the command line) to replace them.")
    if progress:
        print(f"{name}: generating (size {size:g}) …", flush=True)
    dataset = build(name, size, seed)
    if progress:
        rows = ", ".join(f"{t} {len(f):,}" for t, f in dataset.tables.items())
        print(f"{name}: writing {rows} rows to {folder} …", flush=True)
    return write(dataset, folder)


__all__ = ["GENERATORS", "Dataset", "build", "make"]
