"""Records measured elsewhere: provenance added in one place, refused without it, shown apart."""

import json

import pytest

from jaxecon.__main__ import main
from jaxecon.results import (
    PROVENANCE_FIELDS,
    RESULTS_DIR,
    load_results,
    other_hardware,
    provenance,
)


def _line(machine="NVIDIA H100 80GB HBM3", date="2026-01-02 03:04 UTC", **record):
    origin = {"machine": machine, "backend": "gpu", "devices": ["gpu:0 NVIDIA H100"],
              "cpu": "Xeon (16 cores)", "versions": {"jax": "0.0"}, "commit": "a" * 40,
              "date": date}
    record = record or {"method": "vfi", "backend": "jax", "m": None, "seconds_min": 0.5,
                        "seconds_median": 0.6}
    return {"bench": "savings", "provenance": origin, "record": record}


def _write(path, *lines):
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_cli_wraps_every_record_with_provenance_and_saves_it(capsys, tmp_path):
    argv = ["bench", "solow", "--steps", "200", "--repeats", "1", "--json", "--save",
            str(tmp_path)]
    assert main(argv) == 0
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {line["bench"] for line in printed} == {"solow"}
    for line in printed:
        assert set(PROVENANCE_FIELDS) <= line["provenance"].keys()
        assert line["provenance"]["commit"] and line["provenance"]["versions"]["jax"]
    assert len(list(tmp_path.glob("solow-*.jsonl"))) == 1
    assert [r.record for r in load_results(tmp_path)] == [line["record"] for line in printed]


def test_provenance_names_machine_versions_commit_and_date():
    origin = provenance()
    assert set(origin) == set(PROVENANCE_FIELDS)
    assert origin["date"].endswith("UTC") and origin["devices"]


@pytest.mark.parametrize("field", PROVENANCE_FIELDS)
def test_a_record_without_provenance_is_refused_naming_file_line_and_field(tmp_path, field):
    bad = _line()
    del bad["provenance"][field]
    _write(tmp_path / "savings-h100.jsonl", _line(), bad)
    with pytest.raises(ValueError, match=rf"savings-h100.jsonl, line 2: .*'{field}'"):
        load_results(tmp_path)


def test_a_bare_record_is_refused(tmp_path):
    _write(tmp_path / "old.jsonl", {"method": "vfi", "seconds_min": 1.0})
    with pytest.raises(ValueError, match=r"old.jsonl, line 1: record lacks 'bench'"):
        load_results(tmp_path)


def test_other_hardware_is_a_labelled_table_without_this_machine(tmp_path):
    _write(tmp_path / "savings-h100.jsonl", _line(),
           _line(machine="this box", date="2026-02-02 00:00 UTC",
                 method="vfi", backend="numpy", m=None, seconds_min=9.0, seconds_median=9.5))
    text = other_hardware("savings", tmp_path, machine="this box")
    assert "Measured on NVIDIA H100 80GB HBM3" in text and "2026-01-02 03:04 UTC" in text
    assert "| vfi jax | 0.5 | 0.6 |" in text
    assert "this box" not in text and "9.5" not in text  # never mixed with this build's


def test_only_this_machine_is_said_so(tmp_path):
    _write(tmp_path / "savings-box.jsonl", _line(machine="this box"))
    text = other_hardware("savings", tmp_path, machine="this box")
    assert "all measured on this build's hardware (this box" in text
    assert "No records of `solow`" in other_hardware("solow", tmp_path, machine="this box")


def test_committed_records_carry_provenance():
    results = load_results(RESULTS_DIR)
    assert {"solow", "savings"} <= {r.bench for r in results}
