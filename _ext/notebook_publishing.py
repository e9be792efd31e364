"""Where the lecture notebooks are published and how a notebook installs the package.

Colab opens notebooks stored on GitHub: the publish workflow pushes the notebooks
folder to a branch, and the first cell of each notebook pins the package to the commit
the site was built from. The repository is the configured one, else
``GITHUB_REPOSITORY`` (set in GitHub Actions), else the ``origin`` remote when it is on
GitHub. Not a Sphinx extension: ``notebooks.py`` uses it.
"""

from __future__ import annotations

import json
import re
import subprocess

from sphinx.errors import ConfigError

PACKAGE = "jaxecon[lectures]"
COLAB = "https://colab.research.google.com/github"
REPOSITORY = re.compile(r"[\w.-]+/[\w.-]+")
REMOTE = re.compile(r"(?:https://github\.com/|git@github\.com:|ssh://git@github\.com/)"
                    r"(?P<repo>[\w.-]+/[\w.-]+?)(?:\.git)?/?")

INSTALL = """\
# Fresh environments (Colab, a new virtualenv) need the lecture package first.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("jaxecon") is None:
{action}"""


def install_requirement(repository: str, commit: str | None) -> str:
    """The pip requirement of the package at ``commit`` of a GitHub ``repository``."""
    at = f"@{commit}" if commit else ""
    return f"{PACKAGE} @ git+https://github.com/{repository}{at}"


def install_cell(requirement: str) -> str:
    """Source of the first cell: install ``requirement`` if ``jaxecon`` is missing."""
    if requirement:
        # pip in a subprocess, not %pip, which reports a failed install without failing.
        command = f'[sys.executable, "-m", "pip", "install", "--quiet", {json.dumps(requirement)}]'
        return INSTALL.format(action=f"    subprocess.run({command}, check=True)\n"
                                     "    importlib.invalidate_caches()")
    return INSTALL.format(action='    raise ImportError("install the lecture package first: '
                          'pip install -e <the project\'s folder>")')


def colab_url(repository: str, branch: str, path: str) -> str:
    """Colab's address for the notebook at ``path`` on ``branch`` of ``repository``."""
    return f"{COLAB}/{repository}/blob/{branch}/{path}"


def github_repository(configured: str, environ: dict, remote: str | None) -> str | None:
    """``owner/name`` from the config, else from GitHub Actions, else the origin remote.

    Raises:
        ConfigError: if ``notebooks_repository`` is set but is not ``owner/name``.
    """
    if configured:
        if not REPOSITORY.fullmatch(configured):
            raise ConfigError("notebooks_repository must be 'owner/name' on GitHub; "
                              f"got {configured!r}")
        return configured
    if environ.get("GITHUB_REPOSITORY"):
        return environ["GITHUB_REPOSITORY"]
    match = REMOTE.fullmatch(remote.strip()) if remote else None
    return match["repo"] if match else None


def git(root: str, *args: str) -> str | None:
    """The output of ``git args`` in ``root``; None if git fails or is missing."""
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    except FileNotFoundError:
        return None
    return (result.stdout.strip() or None) if result.returncode == 0 else None
