"""The templates compiled when the package is built: used while they match, never after."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from seminar_feed import templating
from seminar_feed.templating import CompiledTemplates, compile_templates, template_environment

ROOT = Path(__file__).parent.parent


def _environment(loader: jinja2.BaseLoader, folder: Path) -> jinja2.Environment:
    environment = template_environment(loader, CompiledTemplates(folder))
    environment.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    return environment


def _compiling_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def compile_template(*_: object, **__: object) -> None:
        raise AssertionError("a template was compiled at run time")

    monkeypatch.setattr(jinja2.Environment, "compile", compile_template)


def test_the_installed_package_runs_its_templates_as_compiled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    names = sorted(path.name for path in templating.TEMPLATES.glob("*.html"))
    assert names, "no templates found"
    environment = _environment(jinja2.PackageLoader("seminar_feed"), templating.COMPILED)
    _compiling_fails(monkeypatch)
    for name in names:
        environment.get_template(name)


@pytest.fixture
def compiled(tmp_path: Path) -> tuple[Path, Path]:
    """A template and the folder it was compiled into."""
    source, target = tmp_path / "templates", tmp_path / "compiled"
    source.mkdir()
    (source / "page.html").write_text("{% trans %}Hello{% endtrans %} {{ name }}\n")
    assert len(compile_templates(source, target)) == 1
    return source, target


def test_compiled_templates_render_as_their_source(
    compiled: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = compiled
    environment = _environment(jinja2.FileSystemLoader(source), target)
    _compiling_fails(monkeypatch)
    assert environment.get_template("page.html").render(name="you") == "Hello you\n"


def test_an_edited_template_is_compiled_afresh(compiled: tuple[Path, Path]) -> None:
    source, target = compiled
    before = {path: path.read_bytes() for path in target.iterdir()}
    (source / "page.html").write_text("Goodbye {{ name }}\n")
    environment = _environment(jinja2.FileSystemLoader(source), target)
    assert environment.get_template("page.html").render(name="you") == "Goodbye you\n"
    # Nothing is written at run time: the package's folder may be read-only.
    assert {path: path.read_bytes() for path in target.iterdir()} == before


def test_templates_compiled_under_other_options_are_passed_by(
    compiled: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = compiled
    (source / "page.html").write_text("{% if name %}\n{{ name }}\n{% endif %}\n")
    compile_templates(source, target)
    monkeypatch.setitem(templating.OPTIONS, "trim_blocks", False)
    environment = _environment(jinja2.FileSystemLoader(source), target)
    assert environment.get_template("page.html").render(name="you") == "\nyou\n\n"


def _imported_by(*command: str) -> set[str]:
    """The modules a run of the command, in a fresh interpreter, leaves imported."""
    script = (
        "import sys\n"
        "from seminar_feed.cli import main\n"
        f"main({list(command)!r}, standalone_mode=False)\n"
        "print(' '.join(sys.modules))\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(ran.stdout.splitlines()[-1].split())


@pytest.mark.parametrize("command", [["--help"], ["check", "schedule.yaml"]])
def test_check_and_help_load_no_templates(command: list[str]) -> None:
    assert {"jinja2", "seminar_feed.templating"} & _imported_by(*command) == set()


def test_a_schedules_build_loads_no_hub() -> None:
    imported = _imported_by("build", "--check", "-q", "schedule.yaml")
    assert "seminar_feed.page" in imported
    assert "seminar_feed.hub" not in imported


def test_a_schedules_check_reads_no_published_feed() -> None:
    imported = _imported_by("check", "schedule.yaml")
    assert "seminar_feed.load" in imported
    assert "seminar_feed.previous" not in imported
