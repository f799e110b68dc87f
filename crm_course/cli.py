"""``crm-course``: the instructor's and student's commands around the notebooks.

    crm-course workspace                      # student editions into workspace/
    crm-course editions [--force]             # rebuild student editions and autograders
    crm-course grade notebooks/01_concepts.ipynb submissions/*.ipynb --results graded/
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import exercises


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="crm-course", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("workspace", help="put the student editions into workspace/")
    editions = sub.add_parser("editions", help="build student editions and autograders")
    editions.add_argument("--force", action="store_true", help="rebuild even if unchanged")
    grade = sub.add_parser("grade", help="grade submitted notebooks with the hidden tests")
    grade.add_argument("notebook", type=Path, help="the course notebook the exercises are from")
    grade.add_argument("submissions", type=Path, nargs="+")
    grade.add_argument("--results", type=Path, default=Path("graded"))
    args = parser.parse_args(argv)
    if args.command == "editions":
        for path in exercises.build_editions(force=args.force):
            print(path)
    elif args.command == "workspace":
        exercises.build_editions(strict=False)
        for name, what in exercises.sync_workspace().items():
            print(f"workspace/{name}: {what}")
    else:
        missing = [p for p in [args.notebook, *args.submissions] if not p.exists()]
        if missing:
            print(f"error: no such file: {', '.join(map(str, missing))}", file=sys.stderr)
            return 2
        for path in exercises.grade(args.notebook, args.submissions, args.results):
            print(f"scores: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
