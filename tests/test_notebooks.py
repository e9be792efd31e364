"""The clean notebooks and Colab links of `_ext/notebooks.py`, without Sphinx."""

import contextlib
import io
import shutil
from unittest import mock

import pytest
from sphinx.errors import ConfigError

import clean_notebook  # build extension modules, on the pythonpath set in pyproject.toml
import notebook_publishing
from myst_page import HEADER

PAGE = HEADER + """
# Title

```{code-cell} ipython3
:tags: [remove-cell]

from myst_nb import glue
```

```{code-cell} ipython3
x = 1 + 1
```
"""


def test_plumbing_cells_and_outputs_are_dropped_and_an_install_cell_leads():
    notebook = clean_notebook.clean_notebook(PAGE, "jaxecon @ git+https://example.org/repo")
    sources = [cell.source for cell in notebook.cells]
    assert sources[0].startswith("# Fresh environments")
    assert ('[sys.executable, "-m", "pip", "install", "--quiet", '
            '"jaxecon @ git+https://example.org/repo"], check=True)') in sources[0]
    compile(sources[0], "<cell>", "exec")
    assert not any("myst_nb" in source for source in sources)
    assert "x = 1 + 1" in sources
    assert all(cell.get("outputs", []) == [] for cell in notebook.cells)
    assert "jupytext" not in notebook.metadata


def test_without_a_requirement_the_install_cell_explains_instead():
    cell = notebook_publishing.install_cell("")
    assert "raise ImportError(\"install the lecture package first" in cell
    compile(cell, "<cell>", "exec")


FIGURE_PAGE = PAGE + """
See {numref}`fig-x`.

```{revealjs-notes}
Only for the presenter.
```

```{code-cell} ipython3
---
tags: [hide-input]
mystnb:
  figure:
    caption: The value of {glue:text}`k:.1f`.
    name: fig-x
---
print(1)
```
"""


class Build:
    docname = "book/page"

    def glue(self, key, fmt):
        return format(2.0, fmt)

    def reference(self, role, target):
        assert (role, target) == ("numref", "fig-x")
        return "Fig. 1"

    def include(self, path, options):
        raise AssertionError("nothing is included")


def test_markdown_is_rewritten_and_figure_cells_get_their_caption_below():
    notebook = clean_notebook.clean_notebook(FIGURE_PAGE, "", Build())
    kinds = [(cell.cell_type, cell.source) for cell in notebook.cells[1:]]
    assert kinds[-3:] == [("markdown", "See Fig. 1."), ("code", "print(1)"),
                          ("markdown", "**Fig. 1.** The value of 2.0.")]
    assert notebook.cells[-2].metadata == {"tags": ["hide-input"]}
    assert not any("revealjs" in cell.source for cell in notebook.cells)


def test_the_install_requirement_pins_the_commit_and_takes_the_lectures_extra():
    assert (notebook_publishing.install_requirement("octo/lectures", "abc123")
            == "jaxecon[lectures] @ git+https://github.com/octo/lectures@abc123")
    assert (notebook_publishing.install_requirement("octo/lectures", None)
            == "jaxecon[lectures] @ git+https://github.com/octo/lectures")


def test_colab_opens_the_notebook_from_the_published_branch():
    assert (notebook_publishing.colab_url("octo/lectures", "notebooks", "book/history.ipynb")
            == "https://colab.research.google.com/github/octo/lectures/blob/notebooks/"
               "book/history.ipynb")


@pytest.mark.parametrize("remote", ["https://github.com/octo/lectures.git",
                                    "https://github.com/octo/lectures",
                                    "git@github.com:octo/lectures.git",
                                    "ssh://git@github.com/octo/lectures.git\n"])
def test_the_repository_is_read_from_a_github_remote(remote):
    assert notebook_publishing.github_repository("", {}, remote) == "octo/lectures"


def test_the_config_wins_over_actions_which_wins_over_the_remote():
    environ = {"GITHUB_REPOSITORY": "ci/repo"}
    remote = "https://github.com/octo/lectures.git"
    assert notebook_publishing.github_repository("me/mine", environ, remote) == "me/mine"
    assert notebook_publishing.github_repository("", environ, remote) == "ci/repo"


@pytest.mark.parametrize("remote", [None, "/srv/git/lectures.git",
                                    "https://gitlab.com/octo/lectures.git"])
def test_no_github_repository_means_none(remote):
    assert notebook_publishing.github_repository("", {}, remote) is None


def test_a_malformed_repository_setting_is_an_error_naming_it():
    with pytest.raises(ConfigError, match=r"notebooks_repository .*'lectures'"):
        notebook_publishing.github_repository("lectures", {}, None)


EXERCISES = PAGE + """
## Exercises

```{exercise} First
:label: ex-first

Do the first thing.
```

```{solution-start} ex-first
:class: dropdown
```

The first answer:

```{code-cell} ipython3
answer = 1
```

```{code-cell} ipython3
:tags: [remove-cell]

glue("first", answer, display=False)
```

It is one.

```{solution-end}
```

```{exercise} Second
:label: ex-second

Do the second thing.
```

```{solution} ex-second
:class: dropdown

Only words.
```

## After the exercises

```{code-cell} ipython3
after = 2
```
"""


class ExerciseBuild(Build):
    def reference(self, role, target):
        return {"ex-first": "Exercise 1", "ex-second": "Exercise 2"}[target]


def test_solutions_follow_the_last_exercise_with_their_code_collapsed():
    cells = clean_notebook.clean_notebook(EXERCISES, "", ExerciseBuild()).cells
    text = [cell.source for cell in cells]
    solutions = text.index("## Solutions")
    assert text[solutions - 2] == "## Exercises\n\n**Exercise 1 (First).** Do the first thing."
    assert text[solutions - 1] == "**Exercise 2 (Second).** Do the second thing."
    assert not any("answer" in t or "Solution" in t for t in text[:solutions])
    moved = text[solutions + 1:]
    assert moved[0] == "**Solution to Exercise 1.**\n\nThe first answer:"
    assert moved[1] == "answer = 1"
    assert cells[solutions + 2].metadata["jupyter"] == {"source_hidden": True}
    assert moved[2] == "It is one."
    assert moved[3] == "**Solution to Exercise 2.** Only words."
    assert moved[4] == "## After the exercises"
    assert moved[5] == "after = 2" and "jupyter" not in cells[solutions + 6].metadata


MEASURED_PAGE = PAGE + """
The loop takes {glue:text}`page_loop_ms:.1f` ms and $k^*$ is {glue:text}`page_k_star:.1f`.

## Next

The steady state is {glue:text}`page_k_star:.1f`.

```{code-cell} ipython3
:tags: [needs-octave]

out = run_octave()
out, 2
```
"""


class MeasuredBuild(Build):
    def recorded(self, source):
        assert source.startswith("out = run_octave()")
        return "(3, 2)\n"

    def machine(self):
        return "Some CPU (2 cores)"


def test_numbers_measured_by_the_build_are_labelled_with_its_machine():
    notebook = clean_notebook.clean_notebook(MEASURED_PAGE, "", MeasuredBuild())
    text = [cell.source for cell in notebook.cells]
    # The time is marked and the machine named; the steady state, deterministic, is not.
    # The note follows the marked paragraph, before the next heading.
    assert text[3] == ("The loop takes 2.0† ms and $k^*$ is 2.0.\n\n"
                       "† *Measured on Some CPU (2 cores) when the site was built; run the "
                       "notebook's cells to measure your own machine.*\n\n"
                       "## Next\n\nThe steady state is 2.0.")


def test_a_cell_that_needs_a_missing_tool_says_so_and_shows_the_build_output():
    cells = clean_notebook.clean_notebook(MEASURED_PAGE, "", MeasuredBuild()).cells
    guarded = cells[-1].source
    compile(guarded, "<cell>", "exec")
    shell = {"run_octave": lambda: 3}
    for which, printed in [(lambda tool: None, "octave is not installed here, so this cell "
                            "does not run; when the site was built on Some CPU (2 cores), it "
                            "printed:\n(3, 2)\n"),
                           (lambda tool: "/bin/" + tool, "(3, 2)\n")]:
        out = io.StringIO()
        with mock.patch.object(shutil, "which", which), contextlib.redirect_stdout(out), \
                mock.patch("IPython.display.display", lambda value: print(value)):
            exec(guarded, dict(shell))
        assert out.getvalue() == printed


def test_a_guarded_cell_with_a_triple_quoted_string_is_an_error_naming_the_page():
    page = MEASURED_PAGE.replace("out = run_octave()", 'out = run_octave("""x""")')

    class Triple(MeasuredBuild):
        def recorded(self, source):
            return ""

    with pytest.raises(ValueError, match="book/page: a cell tagged needs-octave"):
        clean_notebook.clean_notebook(page, "", Triple())
