"""Compile the message catalogs (.po) into the .mo files gettext reads, in every build,
editable or not, so that a new language is one new .po file and no compiled file is
committed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

CATALOGS = "src/seminar_feed/locale"


class CatalogHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        for source in sorted(Path(self.root, CATALOGS).glob("*/LC_MESSAGES/*.po")):
            with source.open("rb") as po:
                catalog = read_po(po, abort_invalid=True)
            with source.with_suffix(".mo").open("wb") as mo:
                write_mo(mo, catalog)
        # Git ignores the .mo files, and hatchling with it, unless told to ship them.
        build_data["artifacts"].append(f"{CATALOGS}/*/LC_MESSAGES/*.mo")
