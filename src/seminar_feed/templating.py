"""The pages' template environment, and its templates compiled when the package is built:
compiling the page's template takes longer than a build of a weekly schedule does
everything else, so `build` loads code that `hatch_build.py` wrote.

This module imports nothing of the package: the build hook loads it by its path,
before the package is installed.
"""

from __future__ import annotations

from hashlib import sha1
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES = Path(__file__).parent / "templates"
COMPILED = Path(__file__).parent / "compiled"  # written by every build of the package
# Everything that shapes the code a template compiles to.
OPTIONS: dict[str, Any] = {
    "autoescape": True,
    "undefined": jinja2.StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
    "extensions": ["jinja2.ext.i18n"],
}
NEWSTYLE_GETTEXT = True  # the i18n extension compiles {% trans %} for it


class CompiledTemplates(jinja2.BytecodeCache):
    """Read templates compiled when the package was built. Jinja uses one only while its
    source is unchanged (it keeps the source's checksum) and under the same Python; the
    file's name holds Jinja's version and the options, so a change to either passes it
    by too. What is passed by is compiled afresh, and never written: an installed
    package's folder may be read-only, and the next build of the package writes it."""

    def __init__(self, folder: Path = COMPILED) -> None:
        self.folder = folder

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        # By the template's name, not its path: the package is compiled in one place and
        # runs from another.
        settings = f"{name}\0{jinja2.__version__}\0{sorted(OPTIONS.items())}\0{NEWSTYLE_GETTEXT}"
        return sha1(settings.encode("utf-8")).hexdigest()

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            with (self.folder / f"{bucket.key}.code").open("rb") as file:
                bucket.load_bytecode(file)
        except FileNotFoundError:
            pass

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        pass


def template_environment(
    loader: jinja2.BaseLoader, bytecode_cache: jinja2.BytecodeCache | None = None
) -> jinja2.Environment:
    """Make the environment the pages are rendered in, without translations yet."""
    return jinja2.Environment(loader=loader, bytecode_cache=bytecode_cache, **OPTIONS)


def compile_templates(source: Path = TEMPLATES, target: Path = COMPILED) -> list[Path]:
    """Compile every template in `source` into `target`, for CompiledTemplates to read;
    give the files written."""
    environment = template_environment(jinja2.FileSystemLoader(source))
    environment.install_null_translations(newstyle=NEWSTYLE_GETTEXT)  # type: ignore[attr-defined]
    cache = CompiledTemplates(target)
    target.mkdir(exist_ok=True)
    written = []
    for name in environment.list_templates():
        text = (source / name).read_bytes().decode("utf-8")  # line ends as the loader reads them
        bucket = cache.get_bucket(environment, name, None, text)
        # Named as the package names it, so that the compiled file is the same wherever
        # the package is built.
        bucket.code = environment.compile(text, name, f"seminar_feed/templates/{name}")
        path = target / f"{bucket.key}.code"
        with path.open("wb") as file:
            bucket.write_bytecode(file)
        written.append(path)
    return written
