"""Compile the message catalogs (.po) into the .mo files gettext reads, and the page's
templates into the code Jinja runs, in every build, editable or not, so that a new
language is one new .po file and no compiled file is committed."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

CATALOGS = "src/seminar_feed/locale"
TEMPLATING = "src/seminar_feed/templating.py"
COMPILED = "src/seminar_feed/compiled"  # where templating.py reads what it compiled


class CompileHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        for source in sorted(Path(self.root, CATALOGS).glob("*/LC_MESSAGES/*.po")):
            with source.open("rb") as po:
                catalog = read_po(po, abort_invalid=True)
            with source.with_suffix(".mo").open("wb") as mo:
                write_mo(mo, catalog)
        # Git ignores the .mo files, and hatchling with it, unless told to ship them.
        build_data["artifacts"].append(f"{CATALOGS}/*/LC_MESSAGES/*.mo")
        templating = _module(Path(self.root, TEMPLATING))
        # Compiled afresh: a file left from an older template or option would never be read.
        for old in templating.COMPILED.glob("*.code"):
            old.unlink()
        templating.compile_templates()
        build_data["artifacts"].append(f"{COMPILED}/*.code")


def _module(path: Path) -> Any:
    """Load the module at `path` without the package, which is not installed yet."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
