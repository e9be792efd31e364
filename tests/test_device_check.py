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
    # JAX for the GPU as the publish workflow gets it: one make target, from the wheels
    platform = [i for i, s in enumerate(steps) if s.startswith("make ") and " jax-platform " in s]
    assert len(platform) == 1
    assert "PLATFORM=gpu PIP_FLAGS=--no-index --find-links wheels" in steps[platform[0]]
    # the platform is asserted before the first build and after the last record
    # the site and the decks by tools/build.py, the script make book runs
    builds = [i for i, s in enumerate(steps) if " tools/build.py html revealjs -- . " in s]
    assert len(builds) == 1
    benches = [s for s in steps if " -m jaxecon bench " in s]
    assert platform[0] < builds[0]
    assert steps[-1].endswith("-m jaxecon.devices --require gpu")
    # fresh execution: its own output and cache folder, removed before the build
    assert all("--path-output _build/device-check" in steps[i] for i in builds)
    assert steps.index("rm -rf _build/device-check") < builds[0]
    assert {s.split(" bench ")[1].split()[0] for s in benches} >= {
        "history", "opt_savings", "epstein_zin"}
    assert all(s.endswith("--save results") for s in benches)


def test_the_jax_platform_target_installs_the_locked_cuda_jax_only_for_a_gpu():
    def commands(platform):
        out = subprocess.run(["make", "--no-print-directory", "-n", "jax-platform",
                              f"PLATFORM={platform}"], cwd=ROOT, capture_output=True,
                             text=True, check=True)
        return out.stdout
    jax_version = next(line.split("==")[1] for line in
                       (ROOT / "requirements-lock.txt").read_text().splitlines()
                       if line.startswith("jax=="))
    assert f'"jax[cuda12]=={jax_version}"' in commands("gpu")
    assert "cuda" not in commands("cpu")
    for platform in ("gpu", "cpu"):
        assert commands(platform).rstrip().endswith(f"-m jaxecon.devices --require {platform}")


def test_cpu_rehearsal_skips_the_cuda_wheels():
    steps = _dry_run("--require", "cpu")
    assert any("jax-platform" in s and "PLATFORM=cpu" in s for s in steps)
    assert steps[-1].endswith("-m jaxecon.devices --require cpu")
    assert not any("--no-index" in s for s in steps)


@pytest.mark.parametrize("args", [["--require", "tpu"], ["--bogus"]])
def test_bad_options_are_refused(args):
    out = subprocess.run([str(SCRIPT), "--dry-run", *args], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 2 and "device-check:" in out.stderr


def test_readme_and_makefile_name_the_check():
    assert "make device-check" in (ROOT / "README.md").read_text()
    assert ".ci/device-check" in (ROOT / "Makefile").read_text()
