"""Answers to `jupyter_markdown.Resolver` from the Sphinx build of one page: glued values,
equation, figure and theorem numbers, page titles, included source, what a cell printed
when the page was executed, the machine the status page says measured the site, and the
works the page cites (sphinxcontrib-bibtex's domain).

Not a Sphinx extension: ``notebooks.py`` uses it.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from docutils import nodes
from myst_nb.core.variables import format_plain_text
from sphinx.directives.code import LiteralIncludeReader


class SiteReferences:
    """`jupyter_markdown.Resolver` answered from the build of one page."""

    def __init__(self, app, docname: str):
        self.app, self.env, self.docname = app, app.env, docname
        self.folder = Path(app.env.doc2path(docname)).parent

    def _executed(self, docname: str, suffix: str) -> Path:
        """Where myst-nb wrote what the execution of ``docname`` produced."""
        *parts, last = docname.split("/")
        return Path(self.env.mystnb_config.output_folder, *parts, f"{last}{suffix}")

    @functools.cached_property
    def _glued(self) -> dict:
        path = self._executed(self.docname, ".glue.json")
        return json.loads(path.read_text()) if path.exists() else {}

    def recorded(self, source: str) -> str:
        # The page's doctree, not myst-nb's executed .ipynb, which lacks the outputs when
        # they come from the cache.
        for cell in self.env.get_doctree(self.docname).findall(nodes.container):
            parts = {c["classes"][0]: c for c in cell.children
                     if isinstance(c, nodes.container) and c["classes"]}
            if ("cell" in cell["classes"] and "cell_input" in parts
                    and parts["cell_input"].astext().strip() == source.strip()):
                return parts["cell_output"].astext() if "cell_output" in parts else ""
        raise KeyError(f"{self.docname}: no executed cell with the source {source[:60]!r}")

    @functools.cached_property
    def _machine(self) -> str:
        page, _, key = self.app.config.notebooks_machine_glue.partition(":")
        path = self._executed(page, ".glue.json")
        glued = json.loads(path.read_text()) if path.exists() else {}
        if key not in glued:
            raise KeyError(f"{self.docname}: the page {page} glued no {key!r} "
                           "(notebooks_machine_glue) to name the build's machine")
        return format_plain_text(glued[key]["data"]["text/plain"], "")

    def machine(self) -> str:
        return self._machine

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

    def citation(self, key: str) -> tuple[str, str]:
        entries = self.env.get_domain("cite").bibdata.data.entries
        if key not in entries:
            raise KeyError(f"{self.docname}: no entry {key!r} in the bibliography files")
        names = [" ".join(p.last_names) for p in entries[key].persons.get("author", [])]
        authors = (" and ".join(names) if len(names) <= 2 else f"{names[0]} et al.")
        return authors, entries[key].fields["year"]

    def bibliography(self) -> list[str]:
        return [c.formatted_entry.text.render_as("text")
                for c in self.env.get_domain("cite").citations
                if c.bibliography_key.docname == self.docname]

    def include(self, path: str, options: dict[str, str]) -> tuple[str, str]:
        typed = {k: int(v) if k in {"dedent", "tab-width"} else v for k, v in options.items()}
        code, _ = LiteralIncludeReader(str(self.folder / path), typed, self.app.config).read()
        return code, options.get("language", "python")
