"""The device check that keeps CPU numbers from being published as GPU numbers."""

import re
from types import SimpleNamespace

import jax
import pytest

from jaxecon.devices import describe_device, main, require_platform


def _device(platform, index, kind):
    return SimpleNamespace(platform=platform, id=index, device_kind=kind)


CPU = [_device("cpu", 0, "cpu")]
GPUS = [_device("gpu", 0, "NVIDIA H100 80GB HBM3"), _device("gpu", 1, "NVIDIA H100 80GB HBM3")]
TPUS = [_device("tpu", 0, "TPU v5 lite")]


@pytest.mark.parametrize(
    ("devices", "platform"),
    [(GPUS, "gpu"), (CPU, "cpu"), (TPUS, "tpu"), (CPU + GPUS, "gpu")],
    ids=["two-gpus", "cpu", "tpu", "cpu-and-gpus"],
)
def test_require_platform_returns_exactly_the_devices_on_the_platform(devices, platform):
    found = require_platform(devices, platform)
    assert found == [d for d in devices if d.platform == platform]
    assert found


@pytest.mark.parametrize(
    ("devices", "platform", "seen"),
    [
        (CPU, "gpu", "cpu:0 cpu"),
        (CPU * 2, "tpu", "cpu:0 cpu, cpu:0 cpu"),
        (GPUS, "cpu", "gpu:0 NVIDIA H100 80GB HBM3, gpu:1 NVIDIA H100 80GB HBM3"),
        ([], "gpu", "none"),
    ],
    ids=["cpu-only-wants-gpu", "cpus-want-tpu", "gpus-want-cpu", "no-devices"],
)
def test_missing_platform_raises_naming_it_and_the_devices_seen(devices, platform, seen):
    message = f"no JAX device on the required platform '{platform}'; devices seen: {seen}"
    with pytest.raises(RuntimeError, match=f"^{re.escape(message)}$"):
        require_platform(devices, platform)


@pytest.mark.parametrize(
    "platform", ["xpu", "GPU", "cuda", ""], ids=["xpu", "upper-case", "cuda", "empty"]
)
def test_unknown_platform_raises_value_error_naming_the_parameter(platform):
    message = f"`platform` must be one of 'cpu', 'gpu', 'tpu'; got '{platform}'."
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        require_platform(GPUS, platform)


def test_require_platform_accepts_any_iterable_once():
    assert require_platform(iter(GPUS), "gpu") == GPUS


def test_describe_device_names_platform_id_and_kind():
    assert describe_device(GPUS[1]) == "gpu:1 NVIDIA H100 80GB HBM3"
    assert describe_device(SimpleNamespace(platform="cpu", id=3)) == "cpu:3"


@pytest.mark.skipif(jax.default_backend() != "cpu", reason="needs a machine where JAX runs on CPU")
def test_cli_fails_when_gpu_required_on_a_cpu_only_machine(capsys):
    assert main(["--require", "gpu"]) == 1
    captured = capsys.readouterr()
    assert "no JAX device on the required platform 'gpu'; devices seen: cpu:0" in captured.err
    assert captured.out == ""


@pytest.mark.skipif(jax.default_backend() != "cpu", reason="needs a machine where JAX runs on CPU")
def test_cli_succeeds_and_lists_the_devices_when_cpu_required(capsys):
    assert main(["--require", "cpu"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == jax.device_count()
    assert [line.split()[0] for line in lines] == [f"cpu:{d.id}" for d in jax.devices()]


def test_cli_rejects_an_unknown_platform(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--require", "xpu"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'xpu'" in capsys.readouterr().err
