"""Code-aware caching: editing a module re-executes exactly the pages that use it, and
the new outputs reach the decks, which share the site's environment."""

import re

import pytest
import yaml

from conftest import GATE, REVEALJS, check, executed_pages, jb_build, plain

pytestmark = pytest.mark.build

USES_PACKAGE = """# Uses the package

## Steady state

```{code-cell} ipython3
from jaxecon import create_solow_model, steady_state

print(f"k* = {steady_state(create_solow_model()):.6f}")
```
"""

OTHER_MODULE = """# Uses another module of the package

```{code-cell} ipython3
import jaxecon

print(float(jaxecon.central_difference(lambda x: x**2, 1.0, h=1e-3)))
```
"""

NO_PACKAGE = """# Plain

```{code-cell} ipython3
print(2 + 2)
```
"""

ORIGINAL = "return (model.a * model.s / model.delta) ** (1.0 / (1.0 - model.alpha))"
EDITED = "return 2.0 * (model.a * model.s / model.delta) ** (1.0 / (1.0 - model.alpha))"


def printed_k_star(root, builder="html") -> str:
    html = (root / "_build" / builder / "book" / "uses.html").read_text()
    return re.search(r"k\* = ([0-9.]+)", html).group(1)


def test_module_edit_reexecutes_only_pages_using_it_and_revert_hits_cache(make_book):
    root = make_book({"book/index.md": "# Home\n", "book/uses.md": USES_PACKAGE,
                      "book/other.md": OTHER_MODULE, "book/plain.md": NO_PACKAGE})
    config = yaml.safe_load((root / "_config.yml").read_text())
    config["sphinx"]["config"]["deck_pdf_enabled"] = False  # decks' PDFs are not the point
    (root / "_config.yml").write_text(yaml.safe_dump(config))
    env = {"PYTHONPATH": str(root / "code")}  # the kernel imports this copy of the package
    solow = root / "code" / "jaxecon" / "solow.py"
    assert ORIGINAL in solow.read_text()

    first = check(jb_build(root, *GATE, env=env))
    assert executed_pages(first.stdout, root) == {"book/index.md", "book/uses.md",
                                                  "book/other.md", "book/plain.md"}
    assert printed_k_star(root) == "6.240251"
    check(jb_build(root, *GATE, *REVEALJS, env=env))
    assert printed_k_star(root, "revealjs") == "6.240251"

    unchanged = check(jb_build(root, *GATE, env=env))
    assert executed_pages(unchanged.stdout, root) == set()

    solow.write_text(solow.read_text().replace(ORIGINAL, EDITED))
    edited = check(jb_build(root, *GATE, env=env))
    assert executed_pages(edited.stdout, root) == {"book/uses.md"}
    assert printed_k_star(root) == "12.480503"
    # The decks' build finds the page current in the shared environment (re-reads
    # nothing) and its source older than its deck, and still writes the deck anew.
    decks = check(jb_build(root, *GATE, *REVEALJS, env=env))
    assert "updating environment: 0 added, 0 changed, 0 removed" in plain(decks.stdout)
    assert printed_k_star(root, "revealjs") == "12.480503"

    solow.write_text(solow.read_text().replace(EDITED, ORIGINAL))
    reverted = check(jb_build(root, *GATE, env=env))
    assert executed_pages(reverted.stdout, root) == set()
    assert "Using cached notebook" in reverted.stdout
    assert printed_k_star(root) == "6.240251"
