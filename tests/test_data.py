"""Every dataset generator: byte-identical rebuilds, sizes, seeds, and safe writing."""

import filecmp
import json

import pandas as pd
import pytest

import crm_course as crm
from crm_course import data
from crm_course.data.core import CN_CITIES
from crm_course.datasets import DATA_ROOT


@pytest.mark.parametrize("name", sorted(data.GENERATORS))
def test_rebuild_is_byte_identical_to_the_committed_dataset(name, tmp_path):
    data.make(name, tmp_path / name)
    committed = DATA_ROOT / name
    files = sorted(p.name for p in committed.iterdir())
    assert files == sorted(p.name for p in (tmp_path / name).iterdir())
    match, mismatch, errors = filecmp.cmpfiles(committed, tmp_path / name, files, shallow=False)
    assert mismatch == [] and errors == [], f"{name}: rebuild differs in {mismatch or errors}"


@pytest.mark.parametrize("name", sorted(data.GENERATORS))
def test_every_column_is_in_the_dictionary_and_truth_is_json(name):
    tables = crm.load(name)
    described = crm.describe(name)
    for table, frame in tables.items():
        assert list(frame.columns) == described[described.table == table].column.tolist()
    assert json.loads((DATA_ROOT / name / "truth.json").read_text())


def test_size_and_seed_change_the_data():
    small = data.build("ch01_concepts", size=0.1)
    other = data.build("ch01_concepts", size=0.1, seed=7)
    assert len(small.tables["customers"]) == 200
    assert not small.tables["transactions"].equals(other.tables["transactions"])


def test_chinese_identities_are_consistent():
    customers = crm.load("ch01_concepts").customers
    pairs = set(zip(customers.province, customers.city, strict=True))
    assert pairs <= {(p, c) for p, c, _ in CN_CITIES}
    assert customers.name.str.len().between(2, 4).all()


def test_chinese_csv_files_carry_a_bom_for_excel():
    raw = (DATA_ROOT / "ch01_concepts" / "customers.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert not (DATA_ROOT / "starbucks" / "customers.csv").read_bytes().startswith(b"\xef")


def test_make_never_overwrites_a_dataset_someone_generated(tmp_path):
    folder = tmp_path / "mine"
    data.make("starbucks", folder, size=0.05)
    (folder / "notes.txt").write_text("my work")
    with pytest.raises(FileExistsError, match="already holds files"):
        data.make("starbucks", folder, size=0.05, seed=9)
    assert (folder / "notes.txt").read_text() == "my work"
    assert crm.load(folder).customers.shape[0] == 75


def test_bad_generator_name_and_size():
    with pytest.raises(ValueError, match="choose one of: .*starbucks"):
        data.build("starbuck")
    with pytest.raises(ValueError, match="size must be a positive number"):
        data.build("starbucks", size=0)


def test_command_line_make_and_refusal(tmp_path, capsys):
    from crm_course.data.__main__ import main

    out = tmp_path / "big"
    assert main(["make", "ch01_concepts", "--size", "0.05", "--out", str(out)]) == 0
    assert main(["make", "ch01_concepts", "--size", "0.05", "--out", str(out)]) == 2
    assert "already holds files" in capsys.readouterr().err


def test_loader_lists_names_when_a_name_is_wrong():
    with pytest.raises(ValueError, match="No dataset called 'starbuck'. Available: .*starbucks"):
        crm.load("starbuck")
    tables = crm.load("starbucks")
    with pytest.raises(AttributeError, match="no table 'visit'; this dataset has"):
        tables.visit  # noqa: B018
    assert isinstance(tables.visits, pd.DataFrame)
