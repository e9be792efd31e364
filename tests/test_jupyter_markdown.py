"""MyST markup rewritten into the Markdown Jupyter renders (`_ext/jupyter_markdown.py`)."""

import pytest

from jupyter_markdown import to_jupyter_markdown  # on the pythonpath set in pyproject.toml


class Build:
    """A stand-in for the build: fixed glued values, numbers and included files."""

    def __init__(self):
        self.includes = []

    def glue(self, key, fmt):
        return format({"k_star": 6.2402515, "steps": 1_000_000}[key], fmt)

    def reference(self, role, target):
        return {("eq", "solow"): "(1)", ("numref", "fig-path"): "Fig. 2",
                ("prf:ref", "steady"): "Proposition 3",
                ("numref", "ex-pi"): "Exercise 4", ("doc", "job_search"): "Job search",
                ("doc", "status page <status>"): "status page"}[role, target]

    def include(self, path, options):
        self.includes.append((path, options))
        return "\n\ndef f(x):\n    return x\n\n", options.get("language", "python")


def render(text):
    return to_jupyter_markdown(text, Build(), "book/page")


def test_targets_notes_and_breaks_vanish_and_fragments_keep_their_content():
    text = """(page)=
# Title

```{revealjs-notes}
Say this aloud.
```

```{revealjs-break}
```

```{revealjs-fragments}
- one
- two
```
"""
    assert render(text) == "# Title\n\n- one\n- two"


def test_glued_values_are_formatted_as_on_the_page():
    text = "$k^* =$ {glue:text}`k_star:.3f` after {glue:text}`steps:,` steps"
    assert render(text) == "$k^* =$ 6.240 after 1,000,000 steps"


def test_references_become_the_numbers_and_titles_the_site_shows():
    text = ("By {eq}`solow`, {numref}`fig-path` and {prf:ref}`steady`; "
            "see {doc}`job_search` and the {doc}`status page <status>`.")
    assert render(text) == ("By (1), Fig. 2 and Proposition 3; "
                            "see Job search and the status page.")


def test_a_labelled_equation_keeps_its_number_as_a_tag():
    text = "```{math}\n:label: solow\nk' = s k^\\alpha\n```\n"
    assert render(text) == "$$\nk' = s k^\\alpha\n\\tag{1}\n$$"


def test_an_unlabelled_equation_has_no_tag():
    assert render("```{math}\nx = 1\n```") == "$$\nx = 1\n$$"


def test_theorems_and_proofs_become_bold_headed_paragraphs():
    text = """```{prf:proposition} Steady state
:label: steady

There is one fixed point, by {eq}`solow`.
```

```{prf:proof}
Contraction.
```

```{prf:algorithm} VFI
Iterate.
```
"""
    assert render(text) == ("**Proposition 3 (Steady state).** There is one fixed point, by (1)."
                            "\n\n*Proof.* Contraction. $\\square$\n\n**Algorithm (VFI).** Iterate.")


def test_admonitions_become_quotes_with_a_bold_title():
    text = "```{admonition} Exercise\nEstimate $\\pi$.\n\nSay how well.\n```"
    assert render(text) == "> **Exercise**\n>\n> Estimate $\\pi$.\n>\n> Say how well."


def test_included_source_becomes_a_fenced_block_with_unquoted_options():
    build = Build()
    text = ('```{literalinclude} ../code/native/solow.c\n:language: c\n'
            ':start-at: "double solow"\n:lines: 7-26\n```\n')
    out = to_jupyter_markdown(text, build, "book/page")
    assert out == "```c\ndef f(x):\n    return x\n```"
    assert build.includes == [("../code/native/solow.c",
                               {"language": "c", "start-at": "double solow", "lines": "7-26"})]


def test_markup_inside_included_code_is_left_alone():
    class Quoting(Build):
        def include(self, path, options):
            return 'print(f"{x}`y`")', "python"

    out = to_jupyter_markdown("```{literalinclude} a.py\n```", Quoting(), "book/page")
    assert out == '```python\nprint(f"{x}`y`")\n```'


@pytest.mark.parametrize("text, name", [("```{youtube} abc\n```", "{youtube}"),
                                        ("see {footcite}`knuth`", "{footcite}")])
def test_unknown_markup_is_an_error_naming_the_page_and_the_markup(text, name):
    with pytest.raises(ValueError, match=f"book/page: .*\\{name}"):
        render(text)


def test_slide_only_text_is_dropped_and_the_page_prose_stays():
    text = (":::{slide}\n- short bullet\n\n```{revealjs-fragments}\n- built up\n```\n:::\n"
            "\nThe page's prose.")
    assert render(text).strip() == "The page's prose."


def test_a_stepped_include_is_an_include():
    build = Build()
    text = '```{revealjs-literalinclude} a.py\n:pyobject: f\n:data-line-numbers: "|2"\n```\n'
    out = to_jupyter_markdown(text, build, "book/page")
    assert out == "```python\ndef f(x):\n    return x\n```"


def test_exercises_and_solutions_become_bold_headed_paragraphs():
    text = """```{exercise} Monte Carlo
:label: ex-pi

Estimate $\\pi$ by {eq}`solow`.
```

```{solution} ex-pi
:class: dropdown

Count the points.
```
"""
    assert render(text) == ("**Exercise 4 (Monte Carlo).** Estimate $\\pi$ by (1).\n\n"
                            "**Solution to Exercise 4.** Count the points.")


def test_a_gated_solution_keeps_a_heading_and_its_end_marker_vanishes():
    start = "```{solution-start} ex-pi\n:class: dropdown\n```\n\nFirst, draw."
    assert render(start) == "**Solution to Exercise 4.**\n\nFirst, draw."
    assert render("```{solution-end}\n```\n") == ""


def test_the_notebook_keeps_what_the_page_shows_not_the_decks_excerpt():
    build = Build()
    text = ("::::{only} not revealjs\n```{literalinclude} whole.py\n```\n::::\n\n"
            "::::{only} revealjs\n```{revealjs-literalinclude} excerpt.py\n:lines: 2-3\n```\n"
            "::::\n")
    out = to_jupyter_markdown(text, build, "book/page")
    assert out == "```python\ndef f(x):\n    return x\n```"
    assert [path for path, _ in build.includes] == ["whole.py"]
    with pytest.raises(ValueError, match=r"\{only\}"):
        render("::::{only} latex\ntext\n::::\n")


class CitingBuild(Build):
    """The build's answers about the works a page cites."""

    def citation(self, key):
        return {"ez": ("Epstein and Zin", "1989"), "by": ("Bansal and Yaron", "2004"),
                "jax": ("Bradbury et al.", "2018")}[key]

    def bibliography(self):
        return ["Larry G. Epstein and Stanley E. Zin. Substitution. Econometrica, 1989.",
                "James Bradbury and others. JAX. 2018."]


def test_citations_read_author_and_year_textual_or_in_parentheses():
    text = "As {cite:t}`ez` show, and JAX {cite:p}`jax`; see {cite}`ez, by`."
    assert to_jupyter_markdown(text, CitingBuild(), "book/page") == (
        "As Epstein and Zin (1989) show, and JAX (Bradbury et al., 2018); "
        "see (Epstein and Zin, 1989; Bansal and Yaron, 2004).")


def test_a_bibliography_is_the_plain_list_of_the_pages_references():
    text = "## References\n\n```{bibliography}\n:filter: docname in docnames\n```\n"
    assert to_jupyter_markdown(text, CitingBuild(), "book/page") == (
        "## References\n\n"
        "- Larry G. Epstein and Stanley E. Zin. Substitution. Econometrica, 1989.\n"
        "- James Bradbury and others. JAX. 2018.")
