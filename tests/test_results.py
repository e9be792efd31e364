"""Benchmark records: one type, provenance added in one place, refused without it, shown apart."""

import json

import pytest

from jaxecon.__main__ import main
from jaxecon.bench import BENCHMARKS
from jaxecon.results import (
    PROVENANCE_FIELDS,
    RESULTS_DIR,
    Record,
    load_results,
    other_hardware,
    provenance,
)
from jaxecon.timing import Timing


def _timing(lo, mid, hi=None):
    return Timing("t", lo, mid, hi, 0.0, 5, 1, 1, "float64", "gpu:0", {"jax": "0.0"})


def _line(machine="NVIDIA H100 80GB HBM3", date="2026-01-02 03:04 UTC", record=None):
    origin = {"machine": machine, "backend": "gpu", "devices": ["gpu:0 NVIDIA H100"],
              "cpu": "Xeon (16 cores)", "versions": {"jax": "0.0"}, "commit": "a" * 40,
              "date": date}
    record = record or Record(_timing(0.5, 0.6), {"method": "vfi", "backend": "jax", "m": None})
    return {"bench": "opt_savings", "provenance": origin, "record": record.as_json()}


def _write(path, *lines):
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_cli_wraps_every_record_with_provenance_and_saves_it(capsys, tmp_path):
    argv = ["bench", "history", "--steps", "200", "--repeats", "1", "--json", "--save",
            str(tmp_path)]
    assert main(argv) == 0
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {line["bench"] for line in printed} == {"history"}
    for line in printed:
        assert set(PROVENANCE_FIELDS) <= line["provenance"].keys()
        assert line["provenance"]["commit"] and line["provenance"]["versions"]["jax"]
    assert len(list(tmp_path.glob("history-*.jsonl"))) == 1
    assert [r.record.as_json() for r in load_results(tmp_path)] == [
        line["record"] for line in printed]


def test_provenance_names_machine_versions_commit_and_date():
    origin = provenance()
    assert set(origin) == set(PROVENANCE_FIELDS)
    assert origin["date"].endswith("UTC") and origin["devices"]


@pytest.mark.parametrize("field", PROVENANCE_FIELDS)
def test_a_record_without_provenance_is_refused_naming_file_line_and_field(tmp_path, field):
    bad = _line()
    del bad["provenance"][field]
    _write(tmp_path / "opt_savings-h100.jsonl", _line(), bad)
    with pytest.raises(ValueError, match=rf"opt_savings-h100.jsonl, line 2: .*'{field}'"):
        load_results(tmp_path)


def test_a_bare_record_is_refused(tmp_path):
    _write(tmp_path / "old.jsonl", {"method": "vfi", "seconds_min": 1.0})
    with pytest.raises(ValueError, match=r"old.jsonl, line 1: record lacks 'bench'"):
        load_results(tmp_path)


def test_other_hardware_is_a_labelled_table_without_this_machine(tmp_path):
    numpy = Record(_timing(9.0, 9.5), {"method": "vfi", "backend": "numpy", "m": None})
    _write(tmp_path / "opt_savings-h100.jsonl", _line(),
           _line(machine="this box", date="2026-02-02 00:00 UTC", record=numpy))
    text = other_hardware("opt_savings", tmp_path, machine="this box")
    assert "Measured on NVIDIA H100 80GB HBM3" in text and "2026-01-02 03:04 UTC" in text
    assert "| vfi jax | 0.5 | 0.6 |" in text
    assert "this box" not in text and "9.5" not in text  # never mixed with this build's


def test_only_this_machine_is_said_so(tmp_path):
    _write(tmp_path / "opt_savings-box.jsonl", _line(machine="this box"))
    text = other_hardware("opt_savings", tmp_path, machine="this box")
    assert "all measured on this build's hardware (this box" in text
    assert "No records of `history`" in other_hardware("history", tmp_path, machine="this box")


def test_committed_records_carry_provenance():
    results = load_results(RESULTS_DIR)
    assert {"history", "opt_savings", "opt_savings.big"} <= {r.bench for r in results}
    assert {r.bench for r in results} <= set(BENCHMARKS)  # every record names a benchmark


def test_a_record_of_the_old_schema_is_refused_naming_file_and_line(tmp_path):
    old = _line()
    old["record"] = {"method": "vfi", "seconds_min": 0.5, "seconds_median": 0.6}
    _write(tmp_path / "opt_savings-h100.jsonl", old)
    with pytest.raises(ValueError, match=r"h100.jsonl, line 1: record lacks 'record.facts'"):
        load_results(tmp_path)


def test_a_record_reads_as_one_row_and_survives_json():
    record = Record(_timing(0.5, 0.6, 0.7), {"method": "hpi", "num_iter": 8})
    assert (record.method, record.num_iter, record.seconds_min, record.device) == (
        "hpi", 8, 0.5, "gpu:0")
    assert record.available and Record.from_json(json.loads(json.dumps(
        record.as_json()))) == record
    missing = Record(None, {"backend": "julia", "note": "julia is not installed"})
    assert not missing.available and missing.seconds_min is None
    with pytest.raises(AttributeError, match="'no_such_field'"):
        record.no_such_field  # noqa: B018


def test_per_step_records_say_their_unit_and_the_table_shows_it(tmp_path):
    step = Record(_timing(2e-6, 3e-6).scaled(1000), {"backend": "c", "unit": "step"})
    _write(tmp_path / "history-h100.jsonl", _line(record=step) | {"bench": "history"})
    text = other_hardware("history", tmp_path, machine="this box")
    assert "| run | min (ns per step) | median (ns per step) |" in text
    assert "| c | 2 | 3 |" in text


def test_the_big_solve_is_read_by_the_same_loader_as_every_benchmark():
    (big,) = load_results(RESULTS_DIR, bench="opt_savings.big")
    r = big.record
    assert r.stored_u_bytes > r.machine_memory_bytes  # u could not have been stored
    assert r.seconds_min == r.seconds_median == r.seconds_max and r.timing.repeats == 1
    assert r.num_iter >= 1 and r.error <= r.tol and r.min_consumption > 0
    assert big.provenance["commit"] and big.provenance["date"].endswith("UTC")


def test_format_records_aligns_headers_to_their_columns_and_shows_a_missing_value():
    from jaxecon.results import format_records
    rows = [{"name": "a", "t": 1.23456}, {"name": "bb", "t": None}]
    table = format_records(rows, [("name", "<5", lambda r: r["name"]),
                                  ("seconds", ">9.2f", lambda r: r["t"])])
    expected = ["name   seconds", "a         1.23", "bb" + " " * 3 + " " * 8 + "–"]
    assert table.splitlines() == expected
