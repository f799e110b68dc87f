"""The environment files agree, and CI runs exactly the README's test command."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pins(text, pattern):
    return {m.group(1).lower(): m.group(2) for m in re.finditer(pattern, text, re.MULTILINE)}


def test_environment_yml_pins_the_same_versions_as_the_lock():
    lock = _pins((ROOT / "requirements.lock").read_text(), r"^([A-Za-z0-9_.\-]+)==([^\s;]+)")
    env = _pins((ROOT / "environment.yml").read_text(), r"^\s+- ([A-Za-z0-9_.\-]+)==(\S+)")
    assert env, "environment.yml pins nothing"
    for name, version in env.items():
        assert lock.get(name) == version, f"{name}: {version} here, {lock.get(name)} in the lock"
    assert "faker" in env, "Faker must be pinned exactly: its output changes between releases"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    command = re.search(r"^python3 course\.py test$", readme, re.MULTILINE)
    assert command, "the README gives no test command"
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert command.group(0) in ci_lines
