"""The tree shows the course: a sub-package per topic, a small top level, layers that keep to
themselves (rnn_core never uses Streamlit; no page script reaches into another)."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

CORE = ROOT / "rnn_core"
TOP_LEVEL_LIMIT = 12  # course-wide modules only; everything else lives in its topic's package
STREAMLIT_DRIVERS = {"bench"}  # the benchmark starts and times a real Streamlit server


def _imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_the_core_keeps_only_course_wide_modules_at_its_top():
    modules = sorted(p.name for p in CORE.glob("*.py") if p.name != "__init__.py")
    assert len(modules) <= TOP_LEVEL_LIMIT, modules


def test_every_package_says_what_it_holds():
    for init in [*CORE.rglob("__init__.py"), *(ROOT / "rnn_ui").glob("__init__.py")]:
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert docstring and len(docstring) > 40, init.relative_to(ROOT)


def test_the_core_never_uses_streamlit():
    for path in CORE.rglob("*.py"):
        if path.relative_to(CORE).parts[0] in STREAMLIT_DRIVERS:
            continue
        used = {name for name in _imports(path) if name.split(".")[0] == "streamlit"}
        assert not used, (path.relative_to(ROOT), used)


def test_no_page_script_imports_another():
    for path in (ROOT / "views").glob("*.py"):
        reached = {name for name in _imports(path) if name.split(".")[0] in ("views", "router")}
        assert not reached, (path.relative_to(ROOT), reached)
