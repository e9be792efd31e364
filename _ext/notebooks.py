"""Offer each lecture as a clean Jupyter notebook, linked from its page and from Colab.

For the html builder, every page written as a MyST notebook is converted to ``.ipynb``
with myst-nb's own reader: without outputs, without the build's plumbing (cells tagged
``remove-cell``), its Markdown rewritten by ``jupyter_markdown`` into what Jupyter
renders (``site_references`` answers it from the build), a caption under each figure
cell, and a first cell that installs the package where it is missing
(``notebook_publishing``). A "Notebook" link and, when the repository is on GitHub, an
"Open in Colab" link join the deck links under the page title. Pages listed in
``notebooks_exclude`` are left out.

Config keys: ``notebooks_dir`` (output folder inside the html output),
``notebooks_exclude`` (docnames), ``notebooks_repository`` ("owner/name" on GitHub),
``notebooks_branch`` (the branch that holds the published notebooks),
``notebooks_machine_glue`` ("page:key" of the glued name of the machine that measured
the site, which labels the build's numbers in the notebooks).
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from docutils import nodes
from myst_nb.core.read import is_myst_markdown_notebook
from sphinx.util import logging
from sphinx_revealjs.builders import RevealjsHTMLBuilder

from clean_notebook import clean_notebook
from notebook_publishing import colab_url, git, github_repository, install_requirement
from site_references import SiteReferences

logger = logging.getLogger(__name__)
#: Where this build publishes its notebooks: source folder -> (repository, commit).
PUBLISHED: dict[str, tuple[str | None, str | None]] = {}


def _wanted(app, docname: str) -> bool:
    if docname in app.config.notebooks_exclude:
        return False
    return is_myst_markdown_notebook(Path(app.env.doc2path(docname)).read_text())


def find_repository(app):
    """Fix where the notebooks are published, once per build."""
    repository = github_repository(app.config.notebooks_repository, os.environ,
                                   git(app.srcdir, "remote", "get-url", "origin"))
    commit = os.environ.get("GITHUB_SHA") or git(app.srcdir, "rev-parse", "HEAD")
    PUBLISHED[str(app.srcdir)] = (repository, commit)
    if repository is None:
        logger.info("notebooks: no GitHub repository (notebooks_repository, "
                    "GITHUB_REPOSITORY or an origin on github.com): no Colab links")


def link_notebook(app, doctree, docname):
    if isinstance(app.builder, RevealjsHTMLBuilder) or not _wanted(app, docname):
        return
    target = "../" * docname.count("/") + f"{app.config.notebooks_dir}/{docname}.ipynb"
    links = [nodes.reference("", "Notebook", refuri=target, classes=["notebook-link"])]
    repository, _ = PUBLISHED[str(app.srcdir)]
    if repository:
        url = colab_url(repository, app.config.notebooks_branch, f"{docname}.ipynb")
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
    repository, commit = PUBLISHED[str(app.srcdir)]
    requirement = install_requirement(repository, commit) if repository else ""
    for docname in sorted(app.env.found_docs):
        if _wanted(app, docname):
            text = Path(app.env.doc2path(docname)).read_text()
            notebook = clean_notebook(text, requirement, SiteReferences(app, docname))
            out = Path(app.outdir, app.config.notebooks_dir, f"{docname}.ipynb")
            out.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, out)


def setup(app):
    app.setup_extension("myst_nb")
    app.setup_extension("deck_links")  # the links join the line deck_links puts under the title
    app.add_config_value("notebooks_dir", "_notebooks", "html", types=[str])
    app.add_config_value("notebooks_exclude", [], "html", types=[list])
    app.add_config_value("notebooks_repository", "", "html", types=[str])
    app.add_config_value("notebooks_branch", "notebooks", "html", types=[str])
    app.add_config_value("notebooks_machine_glue", "", "html", types=[str])
    app.connect("builder-inited", find_repository)
    app.connect("doctree-resolved", link_notebook)
    app.connect("build-finished", write_notebooks)
    return {"version": "2.0", "env_version": 1, "parallel_read_safe": True,
            "parallel_write_safe": True}
