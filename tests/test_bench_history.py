"""The Solow benchmark and the `python -m jaxecon bench history` command line."""

import json
import re
import shutil
from pathlib import Path

import pytest

from jaxecon import create_solow_model, steady_state
from jaxecon.__main__ import main
from jaxecon.bench import history as bench
from jaxecon.results import Record
from tolerance import assert_agree, solow_k

FIELDS = {"backend", "seconds_min", "seconds_median", "compile_seconds", "result", "steps",
          "unit", "device", "versions"}
UNAVAILABLE_FIELDS = {"backend", "steps", "unit", "device", "note"}  # no timing: why not


@pytest.fixture(scope="module")
def records():
    return bench.bench_solow(steps=2000, repeats=2, backends=("python", "numpy", "numba",
                                                              "jax", "c", "fortran"))


def test_every_backend_agrees_with_the_steady_state(records):
    model = create_solow_model()
    k_star = steady_state(model)
    assert [r.backend for r in records if not r.available] == []
    # 2000 steps leave only the path's rounding and k*'s (8, test_solow)
    assert_agree([r.result for r in records], k_star, k=solow_k(model, k_star) + 8,
                 scale=k_star, err_msg=" ".join(r.backend for r in records))


def test_records_carry_timings_device_and_versions(records):
    assert [r.backend for r in records if not (
        0 < r.seconds_min <= r.seconds_median and r.compile_seconds >= 0
        and r.steps == 2000 and r.device)] == []
    versions = {r.backend: r.versions for r in records}
    assert "gcc" in versions["c"] and "gfortran" in versions["fortran"]
    assert "numba" in versions["numba"] and "jax" in versions["jax"]


def test_a_missing_toolchain_is_reported_not_raised(monkeypatch):
    real_which = bench.shutil.which
    monkeypatch.setattr(bench.shutil, "which",
                        lambda tool: None if tool in ("gfortran", "julia") else real_which(tool))
    records = bench.bench_solow(steps=100, repeats=1, backends=("fortran", "julia", "c"))
    by_name = {r.backend: r for r in records}
    assert not by_name["fortran"].available and "gfortran is not installed" in by_name[
        "fortran"].note
    assert not by_name["julia"].available and by_name["julia"].result is None
    assert by_name["c"].available  # the others still run
    assert "not available: gfortran is not installed" in bench.format_table(records)


@pytest.mark.parametrize(("kwarg", "bad"), [("steps", 0), ("repeats", 0), ("k0", -1.0),
                                            ("backends", ("cobol",))], ids=str)
def test_bad_benchmark_arguments_raise_naming_them(kwarg, bad):
    with pytest.raises(ValueError, match=f"`{kwarg}`"):
        bench.bench_solow(**{kwarg: bad})


@pytest.mark.slow
def test_cli_json_prints_one_record_per_backend_with_the_documented_fields(capsys):
    assert main(["bench", "history", "--steps", "500", "--repeats", "1", "--json"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    records = [Record.from_json(json.loads(line)["record"]) for line in lines]
    assert [r.backend for r in records] == list(bench.SOLOW_BACKENDS)
    assert [r.backend for r in records if r.steps != 500 or r.unit != "step" or not (
        FIELDS if r.available else UNAVAILABLE_FIELDS) <= r.row().keys()] == []


@pytest.mark.slow
def test_cli_table_names_the_machine_and_every_backend(capsys):
    assert main(["bench", "history", "--steps", "500", "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    assert "500 steps, float64, on" in out
    assert [label for label, _ in bench.SOLOW_BACKENDS.values() if label not in out] == []


def test_the_setup_installs_octave():
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    packages = re.search(r"^APT_PACKAGES := (.*)$", makefile, re.MULTILINE)[1].split()
    assert "octave" in packages


@pytest.mark.skipif(shutil.which("octave") is None,
                    reason="GNU Octave is not installed (make system installs it)")
def test_octave_is_an_available_backend_that_agrees_with_python():
    records = bench.bench_solow(steps=2000, repeats=1, backends=("octave", "python"))
    octave, python = records
    assert octave.available, octave.note
    model = create_solow_model()
    assert_agree(octave.result, python.result, k=solow_k(model, python.result),
                 scale=python.result)
    assert "octave" in octave.versions["octave"].lower()
