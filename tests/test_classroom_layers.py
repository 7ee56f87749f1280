"""``sim`` is the model: importing it brings in none of the classroom's libraries.

The page (Solara), its drawings (matplotlib) and its team graph (networkx) live in
``experiments.classroom``. Each check runs in a fresh interpreter, so that modules
imported by other tests cannot hide an import.
"""

from __future__ import annotations

import json
import subprocess
import sys

PRESENTATION = {"solara", "matplotlib", "networkx"}
EVERY_MODULE = ("import pkgutil, importlib, sim\n"
                "for m in pkgutil.walk_packages(sim.__path__, 'sim.'):\n"
                "    importlib.import_module(m.name)")


def imported_after(code: str) -> set[str]:
    """Top-level packages in ``sys.modules`` after running ``code`` in a new interpreter."""
    probe = (f"{code}\nimport json, sys\n"
             "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True,
                         text=True).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_importing_sim_imports_no_presentation_library():
    assert not imported_after("import sim") & PRESENTATION


def test_no_module_of_sim_imports_a_presentation_library_or_the_classroom():
    """Every module of sim, the Mesa classes included; networkx only as Mesa's own import."""
    found = imported_after(EVERY_MODULE)
    assert "mesa" in found and "experiments" not in found
    assert not (found - imported_after("import mesa")) & PRESENTATION
