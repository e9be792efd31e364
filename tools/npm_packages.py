"""Install the book's npm packages as ``package-lock.json`` pins them, without their
dependencies.

The book uses only prebuilt browser files of its two packages: axe-core's
``axe.min.js``, which the accessibility test injects into each page, and Thebe's webpack
bundle in ``lib/``, which ``_ext/deck_live.py`` copies into the decks. ``npm ci`` would
also unpack the hundreds of packages that Thebe's bundle was built from (about 570 MB,
the longest step of a fresh clone's set-up); nothing reads them. So each package named in
``package.json`` is fetched alone with ``npm pack`` (from the registry or npm's cache), its
SHA-512 must equal the lock's ``integrity``, and it is unpacked into ``node_modules/NAME``.

    python3 tools/npm_packages.py [PROJECT_FOLDER]
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path, PurePosixPath


def pinned(root: Path) -> dict[str, tuple[str, str]]:
    """Name -> (version, integrity) of every package that ``package.json`` names, from the
    lock; a range in ``package.json`` or a package missing from the lock is an error."""
    manifest = json.loads((root / "package.json").read_text())
    lock = json.loads((root / "package-lock.json").read_text())["packages"]
    wanted = {**manifest.get("dependencies", {}), **manifest.get("devDependencies", {})}
    found = {}
    for name, spec in sorted(wanted.items()):
        entry = lock.get(f"node_modules/{name}")
        if entry is None or entry.get("version") != spec:
            sys.exit(f"npm_packages: package.json must pin {name} to the version "
                     f"package-lock.json holds; got {spec!r} and "
                     f"{entry and entry.get('version')!r}")
        found[name] = (entry["version"], entry["integrity"])
    return found


def sha512(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def unpack(tarball: Path, target: Path) -> None:
    """The regular files of an npm tarball (all under ``package/``) into ``target``, which
    is emptied first. Read member by member, so no name can point outside ``target``
    whatever Python's tarfile does with links and paths."""
    shutil.rmtree(target, ignore_errors=True)
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            path = PurePosixPath(member.name)
            if path.parts[:1] != ("package",) or ".." in path.parts or path.is_absolute():
                sys.exit(f"npm_packages: {tarball.name} holds {member.name!r}, outside package/")
            if member.isfile():
                out = target.joinpath(*path.parts[1:])
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(archive.extractfile(member).read())


def install(root: Path) -> None:
    packages = pinned(root)
    with tempfile.TemporaryDirectory() as folder:
        specs = [f"{name}@{version}" for name, (version, _) in packages.items()]
        out = subprocess.run(["npm", "pack", *specs, "--json", "--prefer-offline",
                              "--pack-destination", folder],
                             capture_output=True, text=True, check=True, cwd=folder)
        for packed in json.loads(out.stdout):
            name, tarball = packed["name"], Path(folder, packed["filename"])
            version, integrity = packages[name]
            if sha512(tarball) != integrity:
                sys.exit(f"npm_packages: {name}@{version} from npm does not match the "
                         f"integrity in package-lock.json ({integrity})")
            unpack(tarball, root / "node_modules" / name)
            print(f"npm_packages: {name}@{version}")


if __name__ == "__main__":
    install(Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve())
