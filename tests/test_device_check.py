"""The one-command device check: its steps, rehearsed as a dry run on a CPU machine."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / ".ci" / "device-check"


def _dry_run(*args):
    out = subprocess.run([str(SCRIPT), "--dry-run", *args], capture_output=True, text=True,
                         timeout=60, check=True)
    return [line[2:] for line in out.stdout.splitlines() if line.startswith("+ ")]


def test_offline_gpu_check_installs_from_wheels_requires_gpu_builds_afresh_and_records():
    steps = _dry_run("--wheels", "wheels")
    installs = [s for s in steps if " -m pip install " in s]
    assert installs and all("--no-index --find-links wheels" in s for s in installs)
    assert any("-r requirements-lock.txt" in s for s in installs)
    jax_version = next(line.split("==")[1] for line in
                       (ROOT / "requirements-lock.txt").read_text().splitlines()
                       if line.startswith("jax=="))
    assert any(f"jax[cuda12]=={jax_version}" in s for s in installs)
    # the platform is asserted before the first build and after the last record
    require = [i for i, s in enumerate(steps) if s.endswith("-m jaxecon.devices --require gpu")]
    builds = [i for i, s in enumerate(steps) if "/jb build . " in s]
    benches = [s for s in steps if " -m jaxecon bench " in s]
    assert require[0] < builds[0] and require[-1] > builds[-1]
    # fresh execution: its own output and cache folder, removed before the build
    assert all("--path-output _build/device-check" in steps[i] for i in builds)
    assert steps.index("rm -rf _build/device-check") < builds[0]
    assert {s.split(" bench ")[1].split()[0] for s in benches} >= {"solow", "savings", "ez"}
    assert all(s.endswith("--save results") for s in benches)


def test_cpu_rehearsal_skips_the_cuda_wheels():
    steps = _dry_run("--require", "cpu")
    assert not any("cuda" in s for s in steps)
    assert any(s.endswith("-m jaxecon.devices --require cpu") for s in steps)
    assert not any("--no-index" in s for s in steps)


@pytest.mark.parametrize("args", [["--require", "tpu"], ["--bogus"]])
def test_bad_options_are_refused(args):
    out = subprocess.run([str(SCRIPT), "--dry-run", *args], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 2 and "device-check:" in out.stderr


def test_readme_and_makefile_name_the_check():
    assert "make device-check" in (ROOT / "README.md").read_text()
    assert ".ci/device-check" in (ROOT / "Makefile").read_text()
