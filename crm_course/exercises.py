"""Exercises with instant feedback: student editions, worked solutions and grading.

Every notebook in ``notebooks/`` and ``cases/`` is the one source of its exercises, in
otter-grader's format (raw ``# BEGIN QUESTION`` / ``# BEGIN SOLUTION`` / ``# BEGIN TESTS``
cells). From it ``otter assign`` makes

- a **student edition**: solutions replaced by ``...``, public tests stored inside, so
  ``grader.check("q1")`` answers at once; and
- an **autograder** (a zip) with the hidden tests too, which ``otter run`` uses to grade a
  submitted notebook without Docker.

A student's workspace (``workspace/``) receives the student editions, and
``workspace/solutions/`` one small notebook per exercise with its worked solution, linked
from under the exercise. A file the student has changed is never overwritten: a newer
edition is written beside it instead.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOURCE_FOLDERS = ("notebooks", "cases")
BUILD = ROOT / "build" / "editions"
WORKSPACE = ROOT / "workspace"
MANIFEST = ".course-editions.json"
EXERCISE_HEADING = re.compile(r"^###\s+Exercise\s+(\d+)\b", re.MULTILINE)
SOLUTION_MARK = re.compile(r"#\s*(SOLUTION|BEGIN SOLUTION|END SOLUTION)\s*$")


def sources(root: Path = ROOT) -> list[Path]:
    """The course notebooks, in reading order."""
    return sorted(p for folder in SOURCE_FOLDERS for p in (root / folder).glob("*.ipynb"))


def _digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _raw_marker(cell, word: str) -> bool:
    return cell.cell_type == "raw" and cell.source.strip().upper().startswith(f"# {word}")


def solution_cells(master: Path) -> list[str]:
    """Sources of the code cells inside ``# BEGIN SOLUTION`` … ``# END SOLUTION`` blocks."""
    inside, found = False, []
    for cell in nbformat.read(master, as_version=4).cells:
        if _raw_marker(cell, "BEGIN SOLUTION"):
            inside = True
        elif _raw_marker(cell, "END SOLUTION"):
            inside = False
        elif inside and cell.cell_type == "code":
            found.append(cell.source)
    return found


def leaked_lines(master: Path, student: Path) -> list[str]:
    """Solution lines of ``master`` that a student edition would show.

    A line in a solution cell must be marked (``# SOLUTION`` or inside ``# BEGIN/END
    SOLUTION``), or be harmless: blank, a comment, ``...`` or a bare name that displays
    the answer. Any other line, and any marked line found in ``student``, is a leak.
    """
    shown = "\n".join(c.source for c in nbformat.read(student, as_version=4).cells)
    leaks = []
    for source in solution_cells(master):
        block = False
        for line in source.splitlines():
            text = line.strip()
            mark = SOLUTION_MARK.search(text)
            if mark and mark.group(1) != "SOLUTION":
                block = mark.group(1) == "BEGIN SOLUTION"
                continue
            code = SOLUTION_MARK.sub("", text).strip()
            if mark or block:
                if len(code) > 12 and code in shown:
                    leaks.append(line)
            elif text and not (text.startswith("#") or text == "..."
                               or text.isidentifier()):
                leaks.append(line)
    return leaks


def assign(master: Path, out: Path) -> tuple[Path, Path]:
    """Run ``otter assign`` on one source notebook; return (student edition, autograder zip).

    ``otter assign`` runs the solutions against every test, so a wrong solution or a
    broken test stops here with otter's message.
    """
    master = Path(master).resolve()
    if out.exists():
        shutil.rmtree(out)
    result = subprocess.run([sys.executable, "-m", "otter", "assign", str(master), str(out)],
                            cwd=master.parent, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"otter assign failed for {master.name}:\n{result.stderr[-3000:]}")
    student = out / "student" / master.name
    zips = sorted((out / "autograder").glob("*.zip"))
    if not student.exists() or not zips:
        raise RuntimeError(f"otter assign made no student edition or autograder for {master}")
    leaks = leaked_lines(master, student)
    if leaks:
        raise RuntimeError(f"{master.name}: solution lines would reach students: {leaks}")
    return student, zips[-1]


def worked_solutions(master: Path) -> dict[int, nbformat.NotebookNode]:
    """One small notebook per exercise: its prompt and its worked solution, with outputs.

    Built from the source notebook (solution markers removed) so that a reader who is
    stuck opens exactly one exercise's solution, without scrolling through the chapter.
    """
    solutions, number, inside = {}, None, False
    for cell in nbformat.read(master, as_version=4).cells:
        match = EXERCISE_HEADING.search(cell.source) if cell.cell_type == "markdown" else None
        if match:
            number = int(match.group(1))
            solutions[number] = nbformat.v4.new_notebook(metadata={
                "kernelspec": {"name": "python3", "display_name": "Python 3",
                               "language": "python"}})
            solutions[number].cells = [nbformat.v4.new_markdown_cell(cell.source),
                                       nbformat.v4.new_markdown_cell(READ_ONLY_NOTE)]
        elif _raw_marker(cell, "BEGIN SOLUTION"):
            inside = True
        elif _raw_marker(cell, "END SOLUTION"):
            inside = False
        elif inside and number is not None and cell.cell_type == "code":
            shown = nbformat.v4.new_code_cell(_unmark(cell.source))
            shown.outputs = cell.get("outputs", [])
            solutions[number].cells.append(shown)
    return solutions


READ_ONLY_NOTE = (
    "**Worked solution · 参考答案.** The code runs inside the course notebook, where the "
    "cells above the exercise define its variables; the output is from that run. This file "
    "is refreshed by the course: keep your own work in your own notebook.")


def _unmark(source: str) -> str:
    """Solution code as a reader should see it: without otter's solution markers."""
    lines = []
    for line in source.splitlines():
        mark = SOLUTION_MARK.search(line)
        if mark and mark.group(1) != "SOLUTION":
            continue
        lines.append(SOLUTION_MARK.sub("", line).rstrip())
    return "\n".join(lines)


def add_solution_links(student: Path, master_rel: Path) -> None:
    """Under each ``### Exercise N`` heading, link to that exercise's worked solution.

    The solutions live in ``workspace/solutions/<folder>/<notebook>/exercise-N.ipynb``.
    """
    nb = nbformat.read(student, as_version=4)
    base = f"../solutions/{master_rel.with_suffix('').as_posix()}"
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = EXERCISE_HEADING.search(cell.source)
            if match and "worked solution" not in cell.source:
                cell.source += (f"\n\n*Stuck? The [worked solution]({base}/exercise-"
                                f"{match.group(1)}.ipynb) is one click away — try first!*")
    nbformat.write(nb, student)


def build_edition(master: Path, root: Path = ROOT, out: Path = BUILD, *,
                  force: bool = False) -> Path:
    """Student edition and autograder of one notebook, rebuilt only when the notebook changed.

    Returns the folder holding ``student/`` and ``autograder/``.
    """
    rel = Path(master).resolve().relative_to(Path(root).resolve())
    target = out / rel.with_suffix("")
    stamp = target / "source.sha256"
    # The stamp covers this builder too, so a change in how editions are made rebuilds them.
    version = hashlib.sha256(Path(master).read_bytes() + Path(__file__).read_bytes()).hexdigest()
    if force or not stamp.exists() or stamp.read_text() != version:
        print(f"building the student edition of {rel} …", flush=True)
        student, _ = assign(master, target)
        add_solution_links(student, rel)
        for number, solution in worked_solutions(master).items():
            (target / "solutions").mkdir(exist_ok=True)
            nbformat.write(solution, target / "solutions" / f"exercise-{number}.ipynb")
        stamp.write_text(version)
    return target


def build_editions(root: Path = ROOT, out: Path = BUILD, *, force: bool = False,
                   strict: bool = True) -> list[Path]:
    """Student editions of every course notebook (see :func:`build_edition`).

    With ``strict=False`` a notebook whose edition cannot be built is reported and
    skipped, so one broken notebook does not keep a reader out of all the others.
    """
    built = []
    for master in sources(root):
        try:
            built.append(build_edition(master, root, out, force=force) / "student" / master.name)
        except RuntimeError as err:
            if strict:
                raise
            print(f"skipped {master.name}: {str(err).splitlines()[0]}", file=sys.stderr)
    return built


def sync_workspace(root: Path = ROOT, out: Path = BUILD, workspace: Path = WORKSPACE) -> dict:
    """Copy student editions into the workspace without ever overwriting a student's work.

    A workspace file still identical to the edition delivered last time is updated; a file
    the student changed stays as it is and the new edition lands beside it as
    ``<name>.new.ipynb``. Returns what happened to each notebook.
    """
    manifest_path = workspace / MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    report = {}
    for master in sources(root):
        rel = master.relative_to(root)
        edition = out / rel.with_suffix("") / "student" / master.name
        if not edition.exists():
            continue
        mine = workspace / rel
        mine.parent.mkdir(parents=True, exist_ok=True)
        new, delivered = _digest(edition), manifest.get(str(rel))
        if not mine.exists():
            shutil.copyfile(edition, mine)
            report[str(rel)] = "added"
        elif _digest(mine) in (new, delivered):
            report[str(rel)] = "up to date" if _digest(mine) == new else "updated"
            shutil.copyfile(edition, mine)
        else:
            report[str(rel)] = "kept your changes"
            if new != delivered:
                beside = mine.with_suffix(".new.ipynb")
                shutil.copyfile(edition, beside)
                report[str(rel)] += f"; the newer edition is beside it as {beside.name}"
            continue
        manifest[str(rel)] = new
    _copy_solutions(root, out, workspace)
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return report


def _copy_solutions(root: Path, out: Path, workspace: Path) -> None:
    """Refresh ``workspace/solutions/``: course material, replaced on every update."""
    for master in sources(root):
        rel = master.relative_to(root).with_suffix("")
        built = out / rel / "solutions"
        if built.is_dir():
            target = workspace / "solutions" / rel
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(built, target)


def grade(master: Path, submissions: list[Path], results: Path, out: Path = BUILD,
          root: Path = ROOT) -> list[Path]:
    """Grade submitted notebooks with the hidden tests (``otter run``, no Docker needed).

    Each submission's scores land in ``results/<submission name>/results.json``.
    """
    folder = build_edition(Path(master).resolve(), root, out)
    autograder = sorted((folder / "autograder").glob("*.zip"))[-1]
    written = []
    for submission in submissions:
        target = Path(results) / Path(submission).stem
        target.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "otter", "run", "-a", str(autograder),
                        "-o", str(target), str(submission)], check=True)
        written.append(target / "results.json")
    return written
