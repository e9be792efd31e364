"""The npm set-up: the packages package.json names, at the lock's versions, verified by
the lock's hashes, each alone; what the book reads from them is there."""

import importlib.util
import io
import json
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("npm_packages", ROOT / "tools" / "npm_packages.py")
npm_packages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(npm_packages)


def project(tmp_path, spec="1.0.0", locked="1.0.0"):
    (tmp_path / "package.json").write_text(json.dumps({"dependencies": {"pkg": spec}}))
    (tmp_path / "package-lock.json").write_text(json.dumps({"packages": {
        "": {}, "node_modules/pkg": {"version": locked, "integrity": "sha512-x"},
        "node_modules/dep-of-pkg": {"version": "2.0.0", "integrity": "sha512-y"}}}))
    return tmp_path


def test_the_packages_are_those_package_json_names_at_the_locked_versions():
    found = npm_packages.pinned(ROOT)
    manifest = json.loads((ROOT / "package.json").read_text())
    assert set(found) == set(manifest["dependencies"]) | set(manifest["devDependencies"])


def test_only_the_named_packages_are_installed_not_their_dependencies(tmp_path):
    assert npm_packages.pinned(project(tmp_path)) == {"pkg": ("1.0.0", "sha512-x")}


@pytest.mark.parametrize(("spec", "locked"), [("^1.0.0", "1.0.0"), ("1.0.0", "1.0.1")])
def test_a_range_or_a_version_the_lock_does_not_hold_is_refused(tmp_path, spec, locked):
    with pytest.raises(SystemExit, match=r"package.json must pin pkg to the version "
                                         r"package-lock.json holds"):
        npm_packages.pinned(project(tmp_path, spec, locked))


def test_the_hash_is_the_lock_format_of_sha512(tmp_path):
    (tmp_path / "f").write_bytes(b"abc")
    assert npm_packages.sha512(tmp_path / "f") == (
        "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==")


def fake_npm_pack(monkeypatch, files):
    """``npm pack`` as npm runs it, writing a tarball of ``files`` under package/."""
    def run(command, cwd, **kwargs):
        assert command[:2] == ["npm", "pack"] and command[2] == "pkg@1.0.0"
        folder = Path(command[command.index("--pack-destination") + 1])
        with tarfile.open(folder / "pkg-1.0.0.tgz", "w:gz") as archive:
            for name, data in files.items():
                info = tarfile.TarInfo(f"package/{name}")
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
        out = json.dumps([{"name": "pkg", "filename": "pkg-1.0.0.tgz"}])
        return subprocess.CompletedProcess(command, 0, out, "")
    monkeypatch.setattr(npm_packages.subprocess, "run", run)


def test_a_package_is_unpacked_alone_when_its_hash_is_the_locks(tmp_path, monkeypatch):
    root = project(tmp_path)
    fake_npm_pack(monkeypatch, {"lib/index.js": b"bundle"})
    with pytest.raises(SystemExit, match=r"pkg@1.0.0 from npm does not match the integrity"):
        npm_packages.install(root)  # the lock says sha512-x
    assert not (root / "node_modules" / "pkg").exists()
    lock = json.loads((root / "package-lock.json").read_text())
    monkeypatch.setattr(npm_packages, "sha512", lambda path: "sha512-x")  # now it matches
    npm_packages.install(root)
    assert (root / "node_modules" / "pkg" / "lib" / "index.js").read_bytes() == b"bundle"
    assert sorted(p.name for p in (root / "node_modules").iterdir()) == ["pkg"]
    assert "node_modules/dep-of-pkg" in lock["packages"]  # in the lock, never installed


def test_a_tarball_member_outside_package_is_refused(tmp_path, monkeypatch):
    root = project(tmp_path)
    fake_npm_pack(monkeypatch, {"../escape.js": b"x"})
    monkeypatch.setattr(npm_packages, "sha512", lambda path: "sha512-x")
    with pytest.raises(SystemExit, match=r"holds 'package/../escape.js', outside package/"):
        npm_packages.install(root)
    assert not (root / "node_modules" / "escape.js").exists()
