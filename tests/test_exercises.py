"""Exercises: student editions build, leak no solution, and grading works offline."""

import json
from pathlib import Path

import nbformat
import pytest

from crm_course import exercises

SOURCES = exercises.sources()


@pytest.mark.parametrize("master", SOURCES, ids=[p.stem for p in SOURCES])
def test_otter_assign_builds_a_student_edition_without_solutions(master, tmp_path):
    student, autograder = exercises.assign(master, tmp_path / "out")
    assert autograder.suffix == ".zip"
    nb = nbformat.read(student, as_version=4)
    sources = "\n".join(c.source for c in nb.cells)
    assert 'grader.check("q1")' in sources, "every notebook has at least one exercise"
    assert "# SOLUTION" not in sources and "BEGIN SOLUTION" not in sources
    questions = sum(c.source.startswith("# BEGIN QUESTION")
                    for c in nbformat.read(master, as_version=4).cells if c.cell_type == "raw")
    solutions = exercises.worked_solutions(master)
    assert sorted(solutions) == list(range(1, questions + 1)), "one '### Exercise N' per question"
    for solution in solutions.values():
        code = [c.source for c in solution.cells if c.cell_type == "code"]
        assert code and not any("SOLUTION" in c for c in code)


def _notebook(cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    return nb


def test_an_unmarked_solution_line_counts_as_a_leak(tmp_path):
    raw, code = nbformat.v4.new_raw_cell, nbformat.v4.new_code_cell
    master = _notebook([raw("# BEGIN SOLUTION"),
                        code("answer = 6 * 7\nq1 = answer  # SOLUTION\nq1"),
                        raw("# END SOLUTION")])
    student = _notebook([code("answer = 6 * 7\nq1 = ...\nq1")])
    nbformat.write(master, tmp_path / "m.ipynb")
    nbformat.write(student, tmp_path / "s.ipynb")
    assert exercises.leaked_lines(tmp_path / "m.ipynb", tmp_path / "s.ipynb") == [
        "answer = 6 * 7"]


def test_workspace_never_overwrites_a_students_changes(tmp_path):
    root, editions, workspace = tmp_path / "course", tmp_path / "build", tmp_path / "ws"
    (root / "notebooks").mkdir(parents=True)
    master = root / "notebooks" / "demo.ipynb"
    edition = editions / "notebooks" / "demo" / "student" / "demo.ipynb"
    edition.parent.mkdir(parents=True)
    master.write_text("{}")
    edition.write_text("edition 1")
    assert exercises.sync_workspace(root, editions, workspace) == {
        "notebooks/demo.ipynb": "added"}
    mine = workspace / "notebooks" / "demo.ipynb"
    edition.write_text("edition 2")  # the course is updated; the student has not started
    exercises.sync_workspace(root, editions, workspace)
    assert mine.read_text() == "edition 2"
    mine.write_text("my answers")  # the student works...
    edition.write_text("edition 3")  # ...and the course is updated again
    report = exercises.sync_workspace(root, editions, workspace)
    assert mine.read_text() == "my answers"
    assert (workspace / "notebooks" / "demo.new.ipynb").read_text() == "edition 3"
    assert "kept your changes" in report["notebooks/demo.ipynb"]


def test_grading_gives_full_marks_to_a_solution_and_fewer_to_a_wrong_answer(tmp_path):
    master = next(p for p in SOURCES if p.stem == "00_start_here")
    root = master.parents[1]
    out = tmp_path / "editions"
    folder = exercises.build_edition(master, root, out)
    student = folder / "student" / master.name
    assert (folder / "solutions" / "exercise-1.ipynb").exists()
    nb = nbformat.read(student, as_version=4)
    assert "../solutions/notebooks/00_start_here/exercise-1.ipynb" in "".join(
        c.source for c in nb.cells)
    for cell in nb.cells:
        cell.source = cell.source.replace("q1 = ...", "q1 = int(tables.customers.member.sum())")
    submission = tmp_path / "alice.ipynb"
    nbformat.write(nb, submission)
    wrong = tmp_path / "bob.ipynb"
    for cell in nb.cells:
        cell.source = cell.source.replace("int(tables.customers.member.sum())", "7")
    nbformat.write(nb, wrong)
    results = exercises.grade(master, [submission, wrong], tmp_path / "graded", out=out,
                              root=root)
    scores = [{t["name"]: t for t in json.loads(Path(r).read_text())["tests"]}["q1"]
              for r in results]
    assert scores[0]["score"] == scores[0]["max_score"] == 1
    assert scores[1]["score"] < scores[1]["max_score"]  # the value test fails
