"""The build-machine description and the command line that prints it."""

import json

import jax

from jaxecon.__main__ import main
from jaxecon.machine import (
    KEY_PACKAGES,
    ProvenanceNote,
    describe_machine,
    package_versions,
    provenance_note,
)


def test_machine_reports_the_jax_backend_and_every_device():
    machine = describe_machine()
    assert machine.jax_backend == jax.default_backend()
    assert len(machine.devices) == jax.device_count()
    assert machine.cores >= 1
    assert machine.memory_gib > 0


def test_cpu_label_names_the_processor_and_cores():
    machine = describe_machine()._replace(jax_backend="cpu", cpu="Some CPU", cores=2)
    assert machine.label == "Some CPU (2 cores)"


def test_gpu_label_names_the_first_device():
    machine = describe_machine()._replace(jax_backend="gpu", devices=("cuda:0 NVIDIA H100",))
    assert machine.label == "cuda:0 NVIDIA H100"


def test_versions_cover_the_key_packages_and_flag_missing_ones():
    versions = package_versions((*KEY_PACKAGES, "no-such-distribution-xyz"))
    assert versions["jax"] == jax.__version__
    assert versions["no-such-distribution-xyz"] == "not installed"


def test_cli_prints_the_machine_as_json(capsys):
    assert main(["machine", "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["jax_backend"] == jax.default_backend()
    assert facts["versions"]["jax"] == jax.__version__


def test_provenance_note_names_device_backend_and_time():
    note = provenance_note()
    machine = describe_machine()
    assert note.device == machine.label and note.backend == machine.jax_backend
    assert note.executed.endswith(" UTC")
    assert str(note).startswith(f"Built on {machine.label}")


def test_cpu_note_warns_that_gpu_timings_differ_and_gpu_note_does_not():
    cpu = ProvenanceNote(device="Some CPU (2 cores)", backend="cpu",
                         executed="2026-01-01 00:00 UTC")
    gpu = cpu._replace(device="cuda:0 NVIDIA H100", backend="gpu")
    assert "CPU timings" in str(cpu) and "CPU timings" not in str(gpu)
    assert cpu._repr_markdown_().startswith(":::{note}")
