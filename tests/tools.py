"""Outside tools the tests use, and the shared rule for when one is missing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

NODE_TOOLS = Path(__file__).parent / "node"
VNU = NODE_TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ZBARIMG = shutil.which("zbarimg")
RSVG_CONVERT = shutil.which("rsvg-convert")

# The smallest valid schedule, for tests about something else.
MINIMAL_SCHEDULE = """\
calendar:
  id: demo
  name: Demo
sessions:
  - week: 1
    date: 2026-07-06
    title: One
"""


def wide(digits: str) -> str:
    """Write digits as the full-width ones a Japanese or Chinese keyboard types."""
    return digits.translate({ord(digit): 0xFF10 + int(digit) for digit in "0123456789"})


def require(available: bool, what: str, how: str) -> None:
    """Skip when a tool is missing on a developer's machine; fail in CI, which skips none."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI: {how}")
    pytest.skip(f"{what} is not installed: {how}")


def run_node(script: str, package: str, *args: str) -> str:
    """Run one of the scripts in tests/node with its npm package; give its output."""
    node = shutil.which("node")
    installed = node is not None and (NODE_TOOLS / "node_modules" / package).is_dir()
    require(installed, package, "npm ci --ignore-scripts --prefix tests/node")
    assert node is not None
    command = [node, str(NODE_TOOLS / script), *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def read_qr_codes(image: bytes) -> list[str]:
    """Read the QR codes in an image (PNG, or any format ImageMagick knows) with zbar."""
    require(ZBARIMG is not None, "zbar", "apt-get install zbar-tools")
    assert ZBARIMG is not None
    command = [ZBARIMG, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", "-"]
    done = subprocess.run(command, input=image, capture_output=True, check=False)
    assert done.returncode in (0, 4), done.stderr  # 4: the image holds no code
    return done.stdout.decode("utf-8").splitlines()


def rasterise_svg(svg: bytes, *, width: int | None = None) -> bytes:
    """Draw an SVG image as PNG with librsvg, at its own size unless a width is given."""
    require(RSVG_CONVERT is not None, "rsvg-convert", "apt-get install librsvg2-bin")
    assert RSVG_CONVERT is not None
    command = [RSVG_CONVERT, *(["--width", str(width)] if width else [])]
    return subprocess.run(command, input=svg, capture_output=True, check=True).stdout


def html_errors(pages: Iterable[Path]) -> list[dict[str, Any]]:
    """Give the errors the Nu Html Checker, the W3C's validator, finds in the pages."""
    java = shutil.which("java")
    require(java is not None and VNU.is_file(), "the Nu Html Checker", "java, and npm ci")
    assert java is not None
    command = [java, "-jar", str(VNU), "--format", "json", *map(str, pages)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    messages: list[dict[str, Any]] = json.loads(result.stderr)["messages"]
    return [message for message in messages if message["type"] == "error"]
