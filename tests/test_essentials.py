"""The course teaches the JAX it uses: the essentials page shows each tool in visible code.

Static checks on the MyST source of ``book/jax_essentials.md``: every essential named
below appears in a code cell a student sees and types (not tagged ``hide-input``,
``remove-input`` or ``remove-cell``, and not inside an exercise's solution); the page
sits in the table of contents right after the introduction to JAX; and the pages that
use a structured loop or ``in_axes`` first point to it.
"""

import re
from pathlib import Path

import pytest
import yaml
from myst_nb.core.read import read_myst_markdown_notebook
from sphinx.config import Config
from sphinx.directives.code import LiteralIncludeReader

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "book" / "jax_essentials.md"
ESSENTIALS = ["block_until_ready", "lax.while_loop", "lax.fori_loop", "lax.scan", "tree_map",
              "static_argnames", "in_axes",
              "_cache_size",  # when a function recompiles, counted
              "_replace"]  # a new parameter without recompiling
HIDDEN = {"hide-input", "remove-input", "remove-cell"}
POINTING = ["intro_jax", "dp_theory", "autodiff", "job_search"]


def visible_code(text: str) -> str:
    """The source of the code cells a reader sees, outside exercises' solutions."""
    shown, in_solution = [], False
    for cell in read_myst_markdown_notebook(text).cells:
        if cell.cell_type == "markdown":
            for directive in re.findall(r"\{(solution-start|solution-end)\}", cell.source):
                in_solution = directive == "solution-start"
            continue
        if in_solution or HIDDEN & set(cell.get("metadata", {}).get("tags", [])):
            continue
        shown.append(cell.source)
    return "\n".join(shown)


@pytest.mark.parametrize("essential", ESSENTIALS)
def test_each_essential_is_in_visible_code(essential):
    assert essential in visible_code(PAGE.read_text(encoding="utf-8"))


def test_the_essentials_follow_the_introduction_to_jax_in_the_toc():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]
    assert files[files.index("book/intro_jax") + 1] == "book/jax_essentials"


def test_why_jax_shows_the_training_loop_the_package_runs():
    # the index promises a network fitted with jax.grad: the loop is on the page, and
    # train_mlp's compiled loop is shown from the package, calling the same step
    text = (ROOT / "book" / "why_jax.md").read_text(encoding="utf-8")
    code = visible_code(text)
    assert re.search(r"for \w+ in range\(.*\):\n\s+theta, loss = jaxecon.mlp.gradient_descent_step",
                     code)
    for function in ("gradient_descent_step", "gradient_descent"):
        found = re.search(rf"literalinclude\}} \.\./code/jaxecon/mlp\.py\n:pyobject: {function}\n"
                          r":lines: (\S+)\n", text)
        assert found, f"why_jax does not show {function}"
        shown = LiteralIncludeReader(str(ROOT / "code" / "jaxecon" / "mlp.py"),
                                     {"pyobject": function, "lines": found[1]}, Config()).read()[0]
        # the def line and the body, without the docstring the lines skip
        assert f"def {function}(" in shown and '"""' not in shown and "return" in shown


@pytest.mark.parametrize("page", POINTING)
def test_pages_that_use_the_essentials_point_to_them(page):
    assert "{doc}`jax_essentials`" in (ROOT / "book" / f"{page}.md").read_text(encoding="utf-8")


def test_the_check_does_not_count_hidden_cells_or_solutions():
    page = "\n".join([
        "# Page", "",
        "```{code-cell} ipython3", ":tags: [hide-input]", "", "x.block_until_ready()", "```", "",
        "```{code-cell} ipython3", ":tags: [remove-cell]", "", "jax.lax.scan(f, 0, xs)", "```", "",
        "```{solution-start} ex", ":class: dropdown", "```", "",
        "```{code-cell} ipython3", "jax.lax.fori_loop(0, 3, f, 0)", "```", "",
        "```{solution-end}", "```", "",
        "```{code-cell} ipython3", "jax.vmap(f, in_axes=(0, None))", "```", ""])
    code = visible_code(page)
    assert "in_axes" in code
    assert not any(hidden in code for hidden in ("block_until_ready", "lax.scan", "fori_loop"))
