"""Command line for the dataset generators.

    python -m crm_course.data rebuild                 # every committed dataset, in place
    python -m crm_course.data make starbucks --size 100 --seed 7 --out my_data/starbucks_big
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..datasets import DATA_ROOT
from . import GENERATORS, make


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crm_course.data", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    rebuild = sub.add_parser("rebuild", help="regenerate the committed datasets in datasets/")
    rebuild.add_argument("names", nargs="*", help="datasets to rebuild (default: all)")
    rebuild.add_argument("--root", type=Path, default=DATA_ROOT)
    one = sub.add_parser("make", help="generate one dataset of any size and seed")
    one.add_argument("name", choices=sorted(GENERATORS))
    one.add_argument("--size", type=float, default=1.0, help="1 = the committed size")
    one.add_argument("--seed", type=int, default=None)
    one.add_argument("--out", type=Path, required=True, help="a new folder for the files")
    one.add_argument("--overwrite", action="store_true", help="replace files already there")
    args = parser.parse_args(argv)
    try:
        if args.command == "rebuild":
            for name in args.names or sorted(GENERATORS):
                started = time.perf_counter()
                make(name, args.root / name, overwrite=True)
                print(f"{name}: rebuilt in {time.perf_counter() - started:.1f} s")
        else:
            started = time.perf_counter()
            paths = make(args.name, args.out, args.size, args.seed, args.overwrite,
                         progress=True)
            print(f"{args.name}: {len(paths)} files in {args.out} "
                  f"({time.perf_counter() - started:.1f} s)")
    except (ValueError, FileExistsError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
