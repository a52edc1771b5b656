"""The README's two commands, CI and the two dependency lists stay in step."""

import re
import tomllib

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\s*```bash\n(.+?)\n```", README, re.S)
    assert match, f"README lost its {marker} block"
    return match.group(1).strip()


def test_ci_runs_exactly_the_readme_test_command():
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert _command("test-command") in ci_lines


def test_readme_commands_install_then_run():
    assert _command("app-command").endswith("streamlit run app.py")
    assert "requirements.txt" in _command("app-command")
    assert _command("test-command").endswith("pytest")
    assert '".[dev]"' in _command("test-command")


def _pins(lines: list[str]) -> dict[str, str]:
    pins = {}
    for line in lines:
        line = line.split("#")[0].strip()
        if line:
            name, version = re.fullmatch(r"([A-Za-z0-9_.-]+(?:\[[a-z,]+\])?)==([^\s;]+)",
                                         line).groups()
            pins[name.lower()] = version  # an extra ("psycopg[binary]") is part of the pin
    return pins


def test_requirements_and_pyproject_pin_the_same_versions():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = (ROOT / "requirements.txt").read_text().splitlines()
    assert _pins(requirements) == _pins(project["dependencies"])
    assert {"streamlit", "tensorflow", "keras", "plotly", "pandas", "numpy"} <= set(
        _pins(requirements))
