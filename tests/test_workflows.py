"""The GitHub Actions workflows: linted by actionlint and zizmor, and read as YAML for
the invariants that matter (pinned actions, least privilege, timeouts, the platform
asserted before the build, an execution cache keyed on content digests); what each
step runs is not restated here."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
SHA = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
EXPRESSION = re.compile(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.([\w-]+)\s*\}\}")


def _tool(name: str) -> str:
    """The linter `name` of this environment: beside the interpreter, else on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; it comes with the lock (requirements-lock.txt)")
    return found


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def _triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the key `on` as the boolean True.
    return workflow.get("on", workflow.get(True))


def _jobs():
    return [(path, name) for path in FILES for name in _load(path)["jobs"]]


def _step(steps: list[dict], *, uses: str | None = None, run: str | None = None) -> int:
    """Index of the only step that uses the action `uses`, or whose script has `run`."""
    found = [
        i
        for i, step in enumerate(steps)
        if (uses and step.get("uses", "").startswith(f"{uses}@"))
        or (run and run in step.get("run", ""))
    ]
    assert len(found) == 1, f"expected one step with uses={uses!r} run={run!r}; got {found}"
    return found[0]


def _expand(text: str, steps: list[dict]) -> str:
    """`text` with each `steps.<id>.outputs.<name>` that a step writes from its own
    env (`echo "name=${VAR}" >> "$GITHUB_OUTPUT"`) replaced by the env's expression."""

    def replace(match):
        step = next(s for s in steps if s.get("id") == match[1])
        written = dict(re.findall(r"(\w+)=\$\{(\w+)\}", step.get("run", "")))
        variable = written.get(match[2])
        return step["env"][variable] if variable else match[0]

    return EXPRESSION.sub(replace, text)


@pytest.fixture(scope="module")
def publish():
    return _load(WORKFLOWS / "publish.yml")


@pytest.fixture(scope="module")
def build_steps(publish):
    return publish["jobs"]["build"]["steps"]


def test_both_workflows_exist():
    assert [p.name for p in FILES] == ["checks.yml", "publish.yml"]


def test_actionlint_finds_nothing():
    result = subprocess.run(
        [_tool("actionlint"), "-no-color", "-format", "{{json .}}", *map(str, FILES)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stderr == ""
    assert json.loads(result.stdout or "[]") == []
    assert result.returncode == 0


def test_zizmor_finds_nothing_at_any_severity():
    result = subprocess.run(
        [_tool("zizmor"), "--offline", "--format", "json", "--no-progress", str(WORKFLOWS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    findings = json.loads(result.stdout)
    assert findings == [], json.dumps(findings, indent=2)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_uses_is_pinned_to_a_commit_sha_with_its_version_in_a_comment(path):
    workflow = _load(path)
    parsed = [
        value
        for job in workflow["jobs"].values()
        for value in [job.get("uses")] + [s.get("uses") for s in job.get("steps", [])]
        if value
    ]
    lines = re.findall(r"^\s*(?:-\s*)?uses:\s*(\S+)(.*)$", path.read_text(), re.MULTILINE)
    assert parsed and [ref for ref, _ in lines] == parsed
    for ref, comment in lines:
        assert SHA.match(ref), f"{path.name}: {ref} is not pinned to a 40-hex commit SHA"
        assert re.fullmatch(r"\s*# v\d+(\.\d+)*", comment), f"{path.name}: {ref} lacks # vX.Y.Z"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_workflow_grants_no_permission_by_default(path):
    assert _load(path)["permissions"] == {}


@pytest.mark.parametrize(("path", "job"), _jobs(), ids=[f"{p.stem}-{job}" for p, job in _jobs()])
def test_every_job_has_a_timeout_and_its_own_permissions(path, job):
    spec = _load(path)["jobs"][job]
    assert 0 < spec["timeout-minutes"] <= 120
    assert isinstance(spec["permissions"], dict)
    assert "write-all" not in spec["permissions"].values()


@pytest.mark.parametrize(("path", "job"), _jobs(), ids=[f"{p.stem}-{job}" for p, job in _jobs()])
def test_jobs_read_the_repository_and_only_the_two_publishing_jobs_write(path, job):
    writes = {"deploy": {"pages": "write", "id-token": "write"},  # to GitHub Pages
              "notebooks": {"contents": "write"}}  # to the branch Colab reads
    expected = writes.get(job, {"contents": "read"}) if path.name == "publish.yml" else None
    assert _load(path)["jobs"][job]["permissions"] == (expected or {"contents": "read"})


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_checkouts_do_not_persist_credentials(path):
    for job in _load(path)["jobs"].values():
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_run_scripts_expand_no_expressions(path):
    # Values reach scripts through env, never through `${{ }}` pasted into the shell.
    for job in _load(path)["jobs"].values():
        for step in job.get("steps", []):
            assert "${{" not in step.get("run", ""), step


def test_publish_builds_on_the_named_gpu_runner_or_else_on_a_hosted_cpu_one(publish):
    """A fork with no GPU runner still publishes, from a CPU, and says so."""
    build = publish["jobs"]["build"]
    assert build["runs-on"] == "${{ vars.GPU_RUNNER_LABEL || 'ubuntu-latest' }}"
    assert build["env"]["PLATFORM"] == "${{ vars.GPU_RUNNER_LABEL && 'gpu' || 'cpu' }}"
    steps = build["steps"]
    # JAX for that platform is asserted (the same target as .ci/device-check) before any
    # page is executed, so CPU timings are never published as GPU timings.
    platform = _step(steps, run='make jax-platform PLATFORM="${PLATFORM}"')
    assert platform < _step(steps, run="make book")


def test_publish_digests_the_sources_right_after_checkout(build_steps):
    # Later steps write bytecode and build output into the tree, which would change
    # hashFiles('code/**') between the restore and the save.
    digests = next(i for i, s in enumerate(build_steps) if s.get("id") == "digests")
    assert digests == _step(build_steps, uses="actions/checkout") + 1


@pytest.mark.parametrize("action", ["actions/cache/restore", "actions/cache/save"])
def test_publish_cache_key_covers_lectures_package_lock_config_and_device(build_steps, action):
    step = build_steps[_step(build_steps, uses=action)]
    assert step["with"]["path"] == "_build/.jupyter_cache"
    key = _expand(step["with"]["key"], build_steps)
    digests = re.findall(r"hashFiles\(([^)]*)\)", key)
    covered = {p.strip(" '") for d in digests for p in d.split(",")}
    assert {"book/**", "_config.yml", "_toc.yml", "code/**", "requirements-lock.txt"} <= covered
    for device in ("env.PLATFORM", "runner.os", "runner.arch", "steps.device.outputs.kind"):
        assert device in key


def test_publish_restore_and_save_use_one_key_and_partial_matches_keep_the_lock(build_steps):
    restore = build_steps[_step(build_steps, uses="actions/cache/restore")]["with"]
    save = build_steps[_step(build_steps, uses="actions/cache/save")]["with"]
    assert restore["key"] == save["key"]
    key = _expand(restore["key"], build_steps)
    prefixes = [_expand(p, build_steps) for p in restore["restore-keys"].splitlines()]
    assert len(prefixes) == 2
    for prefix in prefixes:
        # A partial match may cross edits of the lectures or the package (myst-nb and
        # codedigest re-execute what changed), never a change of the lock file.
        assert key.startswith(prefix)
        assert "hashFiles('requirements-lock.txt')" in prefix
