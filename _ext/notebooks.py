"""Offer each lecture as a clean Jupyter notebook, linked from its page and from Colab.

For the html builder, every page written as a MyST notebook is converted to ``.ipynb``
with myst-nb's own reader: without outputs, without the build's plumbing (cells tagged
``remove-cell``, which only glue numbers into the prose), with its Markdown rewritten
by ``jupyter_markdown`` into what Jupyter renders, a caption under each figure cell,
and a first cell that installs the package where it is missing. A "Notebook" link and,
when the repository is on GitHub, an "Open in Colab" link join the line under the
page title. Pages listed in ``notebooks_exclude`` are left out.

Colab opens notebooks stored on GitHub: the publish workflow pushes the notebooks
folder to the branch ``notebooks_branch``, and the install cell pins the package to
the commit the site was built from. The repository is ``notebooks_repository``, else
``GITHUB_REPOSITORY`` (set in GitHub Actions), else the ``origin`` remote when it is on
GitHub; without one the pages have no Colab link and the install cell says how to
install the package by hand.

Config keys: ``notebooks_dir`` (output folder inside the html output),
``notebooks_exclude`` (docnames), ``notebooks_repository`` ("owner/name" on GitHub),
``notebooks_branch`` (the branch that holds the published notebooks).
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
from pathlib import Path

import nbformat
from docutils import nodes
from myst_nb.core.read import is_myst_markdown_notebook, read_myst_markdown_notebook
from myst_nb.core.variables import format_plain_text
from sphinx.directives.code import LiteralIncludeReader
from sphinx.errors import ConfigError
from sphinx.util import logging
from sphinx_revealjs.builders import RevealjsHTMLBuilder

from jupyter_markdown import to_jupyter_markdown

logger = logging.getLogger(__name__)
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


def _git(root: str, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    except FileNotFoundError:
        return None
    return (result.stdout.strip() or None) if result.returncode == 0 else None


class SiteReferences:
    """`jupyter_markdown.Resolver` answered from the build of one page."""

    def __init__(self, app, docname: str):
        self.app, self.env, self.docname = app, app.env, docname
        self.folder = Path(app.env.doc2path(docname)).parent

    @functools.cached_property
    def _glued(self) -> dict:
        *parts, last = self.docname.split("/")
        path = Path(self.env.mystnb_config.output_folder, *parts, f"{last}.glue.json")
        return json.loads(path.read_text()) if path.exists() else {}

    def glue(self, key: str, fmt: str) -> str:
        if key not in self._glued:
            raise KeyError(f"{self.docname}: nothing was glued under {key!r}")
        return format_plain_text(self._glued[key]["data"]["text/plain"], fmt)

    def _numbered(self, ident: str, kinds=None) -> tuple[str, str] | None:
        """(kind, number) Sphinx gave ``ident`` on any page, among ``kinds`` if given."""
        for numbers in self.env.toc_fignumbers.values():
            for kind, by_id in numbers.items():
                if ident in by_id and (kinds is None or kind in kinds):
                    return kind, ".".join(map(str, by_id[ident]))
        return None

    def _numbered_label(self, target: str) -> tuple[str, str] | None:
        """(kind, number) of a figure's or an exercise's (sphinx-exercise) label."""
        label = self.env.domaindata["std"]["labels"].get(target)
        return label and self._numbered(label[1], {"figure", "exercise"})

    def reference(self, role: str, target: str) -> str:
        found = None
        if role == "eq":
            found = self._numbered(f"equation-{target}", {"displaymath"})
            text = found and self.app.config.math_eqref_format.format(number=found[1])
        elif role == "numref":
            found = self._numbered_label(target)
            text = found and self.app.config.numfig_format[found[0]] % found[1]
        elif role == "prf:ref":
            found = self._numbered(target)  # sphinx-proof numbers each kind by its label
            text = found and f"{found[0].title()} {found[1]}"
        elif role == "doc":
            title, _, name = target.rpartition(" <")
            docname = (Path(self.docname).parent / (name.rstrip(">") if title else target))
            found = title or self.env.titles.get(docname.as_posix())
            text = title or (found and found.astext())
        if not found:
            raise KeyError(f"{self.docname}: cannot resolve {{{role}}}`{target}` "
                           "for the notebook")
        return text

    def include(self, path: str, options: dict[str, str]) -> tuple[str, str]:
        typed = {k: int(v) if k in {"dedent", "tab-width"} else v for k, v in options.items()}
        code, _ = LiteralIncludeReader(str(self.folder / path), typed, self.app.config).read()
        return code, options.get("language", "python")


def _caption_cell(cell, references: SiteReferences) -> nbformat.NotebookNode | None:
    figure = cell.get("metadata", {}).get("mystnb", {}).get("figure")
    if not figure or "caption" not in figure:
        return None
    number = references.reference("numref", figure["name"]) if "name" in figure else ""
    caption = to_jupyter_markdown(figure["caption"], references, references.docname)
    return nbformat.v4.new_markdown_cell(f"**{number}.** {caption}" if number else caption)


def clean_notebook(text: str, requirement: str, references=None) -> nbformat.NotebookNode:
    """A MyST notebook as an output-free ``.ipynb`` that Jupyter renders as the site does.

    ``references`` (a `jupyter_markdown.Resolver`) rewrites the MyST markup; without it
    the Markdown is kept as written.
    """
    notebook = read_myst_markdown_notebook(text)
    where = getattr(references, "docname", "<page>")
    cells = [nbformat.v4.new_code_cell(install_cell(requirement))]
    for cell in notebook.cells:
        metadata = cell.get("metadata", {})
        if "remove-cell" in metadata.get("tags", []):
            continue
        if cell.cell_type == "markdown" and references is not None:
            cell.source = to_jupyter_markdown(cell.source, references, where)
            if not cell.source:
                continue
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        caption = _caption_cell(cell, references) if references is not None else None
        metadata.pop("mystnb", None)
        cells += [cell, caption] if caption else [cell]
    notebook.cells = cells
    notebook.metadata.pop("jupytext", None)
    return notebook


def _wanted(app, docname: str) -> bool:
    if docname in app.config.notebooks_exclude:
        return False
    return is_myst_markdown_notebook(Path(app.env.doc2path(docname)).read_text())


def find_repository(app):
    """Fix where the notebooks are published, once per build."""
    remote = _git(app.srcdir, "remote", "get-url", "origin")
    app.notebooks_repository = github_repository(
        app.config.notebooks_repository, os.environ, remote)
    app.notebooks_commit = os.environ.get("GITHUB_SHA") or _git(app.srcdir, "rev-parse", "HEAD")
    if app.notebooks_repository is None:
        logger.info("notebooks: no GitHub repository (notebooks_repository, "
                    "GITHUB_REPOSITORY or an origin on github.com): no Colab links")


def link_notebook(app, doctree, docname):
    if isinstance(app.builder, RevealjsHTMLBuilder) or not _wanted(app, docname):
        return
    target = "../" * docname.count("/") + f"{app.config.notebooks_dir}/{docname}.ipynb"
    links = [nodes.reference("", "Notebook", refuri=target, classes=["notebook-link"])]
    if app.notebooks_repository:
        url = colab_url(app.notebooks_repository, app.config.notebooks_branch,
                        f"{docname}.ipynb")
        links += [nodes.Text(" · "),
                  nodes.reference("", "Open in Colab", refuri=url, classes=["colab-link"])]
    for line in doctree.findall(nodes.paragraph):
        if "deck-links" in line["classes"]:
            line += [nodes.Text(" · "), *links]
            return
    section = next(iter(doctree.findall(nodes.section)))
    section.insert(1, nodes.paragraph("", "", *links, classes=["deck-links"]))


def write_notebooks(app, exception):
    if exception is not None or isinstance(app.builder, RevealjsHTMLBuilder):
        return
    requirement = (install_requirement(app.notebooks_repository, app.notebooks_commit)
                   if app.notebooks_repository else "")
    for docname in sorted(app.env.found_docs):
        if _wanted(app, docname):
            text = Path(app.env.doc2path(docname)).read_text()
            notebook = clean_notebook(text, requirement, SiteReferences(app, docname))
            out = Path(app.outdir, app.config.notebooks_dir, f"{docname}.ipynb")
            out.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, out)


def setup(app):
    app.add_config_value("notebooks_dir", "_notebooks", "html", types=[str])
    app.add_config_value("notebooks_exclude", [], "html", types=[list])
    app.add_config_value("notebooks_repository", "", "html", types=[str])
    app.add_config_value("notebooks_branch", "notebooks", "html", types=[str])
    app.connect("builder-inited", find_repository)
    app.connect("doctree-resolved", link_notebook)
    app.connect("build-finished", write_notebooks)
    return {"version": "2.0", "env_version": 1, "parallel_read_safe": True,
            "parallel_write_safe": True}
