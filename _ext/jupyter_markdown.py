"""Turn the MyST markdown of a lecture into the Markdown that Jupyter and Colab render.

Jupyter knows nothing of MyST's directives and roles, so a notebook that kept them
would show ``{glue:text}`` and ``{literalinclude}`` to its reader. This module rewrites
each one into what the site shows in its place: glued numbers as the build measured
them, references as their numbers, included source as a code block, theorems and
admonitions as bold-headed paragraphs and quotes, labelled equations with their tags,
citations as "Author (Year)" or "(Author, Year)" and a ``{bibliography}`` as a plain list
of the works the page cites,
exercises and their solutions as bold-headed paragraphs (a notebook has no dropdowns:
``notebook_cells`` moves the solutions after the exercises). A glued number that the
build's machine measured (a time, a ratio of times, a device or what is installed: its
key matches `MEASURED`) is marked with `MEASURED_MARK`, and ``clean_notebook`` names the
machine under the cell; deterministic results stay unmarked. Speaker notes, slide
breaks, slide-only ``{slide}`` text and ``{only} revealjs`` blocks are dropped;
``{only} not revealjs`` blocks are kept. A directive or role it does not know
is an error, so a new one cannot leak into the notebooks unnoticed.

Not a Sphinx extension: ``notebooks.py`` supplies the `Resolver` from the build.
"""

from __future__ import annotations

import re
from typing import Protocol

DIRECTIVE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}[ \t]*(?P<argument>[^\n]*)\n"
    r"(?P<content>.*?)^(?P=fence)[ \t]*(?:\n|\Z)",
    re.MULTILINE | re.DOTALL,
)
OPTION = re.compile(r":(?P<key>[\w-]+):[ \t]*(?P<value>[^\n]*)")
ROLE = re.compile(r"\{(?P<name>[\w:-]+)\}`(?P<content>[^`]+)`")
TARGET = re.compile(r"^\([\w-]+\)=[ \t]*\n", re.MULTILINE)

DROPPED = {"revealjs-notes", "revealjs-break", "slide", "tableofcontents", "nb-exec-table"}
UNWRAPPED = {"revealjs-fragments"}
PROOF_KINDS = {"prf:algorithm", "prf:definition", "prf:lemma", "prf:proposition",
               "prf:theorem", "prf:corollary", "prf:example", "prf:remark"}
REFERENCE_ROLES = {"eq", "numref", "prf:ref", "doc"}
#: sphinxcontrib-bibtex's citation roles: textual "Author (Year)", parenthetical otherwise.
CITE_ROLES = {"cite", "cite:p", "cite:t", "cite:ps", "cite:ts"}
SOLUTION_MARKERS = {"solution", "solution-start"}
#: Glue keys of numbers that depend on the machine: times, rates, ratios and sentences
#: built from them, devices, core counts, what is installed, what fits in its memory.
MEASURED = re.compile(
    r"(?:^|_)(?:ms|ns|us|seconds|hours|t|step|compile|dispatch|speedup|sentence|verdict|"
    r"compare|device|devices|cpu|cores|threads|backend|missing|version|largest|fits|"
    r"budget|ceiling|gbs|flops|us_\w+|eager|jit)(?:_|$)|_(?:over|vs)_|_ratio|slope_time|"
    r"^proj_")
MEASURED_MARK = "†"


class Resolver(Protocol):
    """What only the build knows: glued values, numbers of references, included files."""

    def glue(self, key: str, fmt: str) -> str:
        """The value glued under ``key``, formatted with ``fmt`` as the page shows it."""

    def reference(self, role: str, target: str) -> str:
        """The text the site shows for ``{role}`target```, e.g. "(2)" or "Fig. 3"."""

    def include(self, path: str, options: dict[str, str]) -> tuple[str, str]:
        """The code a ``literalinclude`` of ``path`` shows, and its language."""

    def recorded(self, source: str) -> str:
        """The text a code cell of this source printed or showed when the page was built."""

    def machine(self) -> str:
        """The machine the site's numbers were measured on, as the status page names it."""

    def citation(self, key: str) -> tuple[str, str]:
        """The authors ("Epstein and Zin", "Bradbury et al.") and the year of ``key``."""

    def bibliography(self) -> list[str]:
        """The full entries of the works the page cites, in the site's order."""


def split_options(content: str) -> tuple[dict[str, str], str]:
    """A directive's ``:key: value`` options (quotes removed) and the body after them."""
    lines = content.split("\n")
    options = {}
    while lines and (match := OPTION.fullmatch(lines[0].strip())):
        value = match["value"].strip()
        quoted = len(value) > 1 and value[0] == value[-1] and value[0] in "'\""
        options[match["key"]] = value[1:-1] if quoted else value
        lines.pop(0)
    return options, "\n".join(lines).strip("\n")


def _quote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.split("\n"))


def _directive(match: re.Match, resolver: Resolver, where: str) -> str:
    name, argument = match["name"], match["argument"].strip()
    options, body = split_options(match["content"])
    if name in DROPPED:
        return ""
    if name in UNWRAPPED or (name, argument) == ("only", "not revealjs"):
        return f"{to_jupyter_markdown(body, resolver, where)}\n"
    if (name, argument) == ("only", "revealjs"):  # a deck's excerpt; the page shows it whole
        return ""
    if name in ("literalinclude", "revealjs-literalinclude"):
        code, language = resolver.include(argument, options)
        return f"```{language}\n{code.strip(chr(10)).rstrip()}\n```\n"
    if name == "math":
        tag = ""
        if "label" in options:
            number = resolver.reference("eq", options["label"]).strip("()")
            tag = f"\n\\tag{{{number}}}"
        return f"$$\n{body}{tag}\n$$\n"
    if name == "admonition":
        inner = to_jupyter_markdown(body, resolver, where)
        return _quote(f"**{argument}**\n\n{inner}") + "\n"
    if name == "prf:proof":
        return f"*Proof.* {to_jupyter_markdown(body, resolver, where)} $\\square$\n"
    if name in PROOF_KINDS:
        kind = name.split(":", 1)[1].title()
        head = resolver.reference("prf:ref", options["label"]) if "label" in options else kind
        title = f" ({argument})" if argument else ""
        return f"**{head}{title}.** {to_jupyter_markdown(body, resolver, where)}\n"
    if name == "exercise":
        head = resolver.reference("numref", options["label"]) if "label" in options else "Exercise"
        title = f" ({argument})" if argument else ""
        return f"**{head}{title}.** {to_jupyter_markdown(body, resolver, where)}\n"
    if name in SOLUTION_MARKERS:
        exercise = resolver.reference("numref", argument)
        inner = to_jupyter_markdown(body, resolver, where)
        return f"**Solution to {exercise}.**" + (f" {inner}" if inner else "") + "\n"
    if name == "solution-end":
        return ""
    if name == "bibliography":
        return "".join(f"- {entry}\n" for entry in resolver.bibliography())
    raise ValueError(f"{where}: the notebook cannot show the directive {{{name}}}; "
                     "teach _ext/jupyter_markdown.py how to render it")


def _role(match: re.Match, resolver: Resolver, where: str) -> str:
    name, content = match["name"], match["content"]
    if name == "glue:text":
        key, _, fmt = content.partition(":")
        value = resolver.glue(key, fmt)
        return f"{value}{MEASURED_MARK}" if MEASURED.search(key) else value
    if name in REFERENCE_ROLES:
        return resolver.reference(name, content)
    if name in CITE_ROLES:
        return _citation(name, content, resolver)
    raise ValueError(f"{where}: the notebook cannot show the role {{{name}}}; "
                     "teach _ext/jupyter_markdown.py how to render it")


def _citation(name: str, content: str, resolver: Resolver) -> str:
    """``{cite:t}`a,b``` as "A (1989); B (2004)", the other roles as "(A, 1989; B, 2004)"."""
    cited = [resolver.citation(key.strip()) for key in content.split(",") if key.strip()]
    if name in ("cite:t", "cite:ts"):
        return "; ".join(f"{authors} ({year})" for authors, year in cited)
    return "(" + "; ".join(f"{authors}, {year}" for authors, year in cited) + ")"


def to_jupyter_markdown(text: str, resolver: Resolver, where: str = "<page>") -> str:
    """``text`` (MyST) as plain Jupyter Markdown; ``where`` names the page in errors.

    Roles are rewritten before directives, so that included source code is never
    mistaken for markup.
    """
    text = TARGET.sub("", text)
    text = ROLE.sub(lambda m: _role(m, resolver, where), text)
    text = DIRECTIVE.sub(lambda m: _directive(m, resolver, where), text)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")
