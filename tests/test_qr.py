"""The QR code of the feed's subscribe address, read back by zbar, a decoder of its own."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from seminar_feed.cli import main
from tools import MINIMAL_SCHEDULE, rasterise_svg, read_qr_codes

FEED_URL = "https://example.org/feeds/demo.ics"
SUBSCRIBE = "webcal://example.org/feeds/demo.ics"  # what a phone's camera should open
WITH_FEED_URL = MINIMAL_SCHEDULE.replace("name: Demo\n", f"name: Demo\n  feed_url: {FEED_URL}\n")
COLOURED = "\x1b[97m\x1b[40m"  # bright white text on black


def run(*args: str, env: dict[str, str | None] | None = None, color: bool = False) -> Result:
    return CliRunner().invoke(main, list(args), env=env, color=color, catch_exceptions=False)


@pytest.fixture
def schedule(write_schedule: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    path = write_schedule(WITH_FEED_URL)
    monkeypatch.chdir(path.parent)
    return path


def terminal_image(lines: list[str]) -> bytes:
    """Draw the terminal's code as a PBM image, as a terminal with light text on a dark
    background shows it: a character's upper and lower halves are two modules, and the
    text's colour marks the light ones."""
    rows = []
    for line in lines:
        rows += [[char in "█▀" for char in line], [char in "█▄" for char in line]]
    scale = 4
    pixels = [
        " ".join("0" if light else "1" for light in row for _ in range(scale))
        for row in rows
        for _ in range(scale)
    ]
    header = f"P1\n{len(rows[0]) * scale} {len(rows) * scale}\n"
    return (header + "\n".join(pixels) + "\n").encode("ascii")


@pytest.mark.parametrize("name", ["code.svg", "code.png", "POSTER.PNG"])
def test_qr_writes_an_image_of_the_subscribe_address(schedule: Path, name: str) -> None:
    result = run("qr", "-o", name)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"wrote {name} ({SUBSCRIBE})\n"
    image = (schedule.parent / name).read_bytes()
    if name.endswith(".svg"):
        assert image.startswith(b"<?xml")
        image = rasterise_svg(image)  # at the size it says it is
    else:
        assert image.startswith(b"\x89PNG")
    assert read_qr_codes(image) == [SUBSCRIBE]


def test_qr_draws_the_code_in_plain_text_when_not_on_a_terminal(schedule: Path) -> None:
    result = run("qr")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    lines = result.stdout.splitlines()
    assert set("".join(lines)) <= set(" ▀▄█")
    assert read_qr_codes(terminal_image(lines)) == [SUBSCRIBE]


def test_qr_draws_white_on_black_on_a_terminal_unless_no_color_is_set(schedule: Path) -> None:
    coloured = run("qr", color=True)
    assert coloured.exit_code == 0
    lines = coloured.stdout.splitlines()
    assert all(line.startswith(COLOURED) and line.endswith("\x1b[0m") for line in lines)
    plain = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in lines]
    assert read_qr_codes(terminal_image(plain)) == [SUBSCRIBE]
    uncoloured = run("qr", color=True, env={"NO_COLOR": "1"})
    assert uncoloured.stdout == "\n".join(plain) + "\n"


def test_qr_without_a_feed_url_says_which_key_to_set(
    write_schedule: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(write_schedule(MINIMAL_SCHEDULE).parent)
    result = run("qr", "-o", "code.svg")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "schedule.yaml: a QR code needs the feed's address, and calendar.feed_url is not set: "
        "set it to the https URL where demo.ics is served, like https://example.org/demo.ics\n"
    )
    assert not Path("code.svg").exists()


def test_qr_names_only_images_it_can_write(schedule: Path) -> None:
    result = run("qr", "-o", "code.pdf")
    assert result.exit_code == 2
    assert "code.pdf is neither .svg nor .png; name an image, like qr.svg or qr.png" in (
        result.stderr
    )
    assert not (schedule.parent / "code.pdf").exists()


def test_qr_reports_a_file_it_cannot_write(schedule: Path) -> None:
    result = run("qr", "-o", "missing/code.png")
    assert (result.exit_code, result.stderr) == (
        1, "missing/code.png: cannot write: No such file or directory\n"
    )  # fmt: skip


def imported(*args: str, cwd: Path) -> set[str]:
    """The modules a real run of the command imports, from Python's -X importtime."""
    command = [sys.executable, "-X", "importtime", "-m", "seminar_feed", *args]
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=True)
    return {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if "|" in line}


def test_only_the_commands_that_draw_a_code_import_segno(
    write_schedule: Callable[[str], Path],
) -> None:
    folder = write_schedule(MINIMAL_SCHEDULE).parent
    for command in (["--help"], ["check"], ["build", "-q"]):
        assert "segno" not in imported(*command, cwd=folder), command
    (folder / "schedule.yaml").write_text(WITH_FEED_URL, encoding="utf-8")
    assert "segno" in imported("qr", "-o", "code.png", cwd=folder)


def test_the_readmes_example_of_a_code_is_real_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    command, expected = re.findall(r"\$ seminar-feed (qr .*)\n  (.*)\n", readme)[0]
    feed_url = expected.split("(webcal://", 1)[1].rstrip(")")
    shipped = (Path(__file__).parent.parent / "schedule.yaml").read_text(encoding="utf-8")
    name = "  name: Diffusion Seminar\n"
    named = shipped.replace(name, f"{name}  feed_url: https://{feed_url}\n")
    (tmp_path / "schedule.yaml").write_text(named, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run(*command.split())
    assert (result.exit_code, result.stderr) == (0, expected + "\n")
    code = rasterise_svg(Path("poster.svg").read_bytes())
    assert read_qr_codes(code) == [f"webcal://{feed_url}"]


# -- a group ---------------------------------------------------------------------

GROUP = """\
group:
  id: lab
  name: Lab Seminars
"""
SITE = "  site_url: https://example.org/lab/\n"
SERIES = MINIMAL_SCHEDULE  # calendar id demo


@pytest.fixture
def group(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "seminars"
    folder.mkdir()
    (folder / "group.yaml").write_text(GROUP + SITE, encoding="utf-8")
    (folder / "demo.yaml").write_text(SERIES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return folder


@pytest.mark.parametrize(
    ("args", "address"),
    [
        pytest.param((), "webcal://example.org/lab/lab.ics", id="combined"),
        pytest.param(("--series", "demo"), "webcal://example.org/lab/demo.ics", id="series"),
    ],
)
def test_qr_of_a_group_draws_the_combined_feed_or_one_series(
    group: Path, args: tuple[str, ...], address: str
) -> None:
    result = run("qr", "-o", "code.png", *args, "seminars")
    assert (result.exit_code, result.stderr) == (0, f"wrote code.png ({address})\n")
    assert read_qr_codes(Path("code.png").read_bytes()) == [address]


def test_qr_of_a_series_prefers_its_own_feed_url(group: Path) -> None:
    (group / "demo.yaml").write_text(WITH_FEED_URL, encoding="utf-8")
    result = run("qr", "--series", "demo", "-o", "code.png", "seminars/group.yaml")
    assert (result.exit_code, result.stderr) == (0, f"wrote code.png ({SUBSCRIBE})\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param((), "seminars/group.yaml: a QR code needs the combined feed's address, and "
                     "group.site_url is not set: set it to the https URL where the published "
                     "folder (with lab.ics) is served, like https://example.org/seminars/",
                     id="combined"),
        pytest.param(("--series", "demo"), "seminars/group.yaml: a QR code needs the feed's "
                     "address, and neither group.site_url nor demo.yaml's calendar.feed_url is "
                     "set: set group.site_url to the https URL the published folder is served "
                     "at, like https://example.org/seminars/", id="series"),
    ],
)  # fmt: skip
def test_qr_of_a_group_that_does_not_say_where_it_is_served_says_which_key_to_set(
    group: Path, args: tuple[str, ...], message: str
) -> None:
    (group / "group.yaml").write_text(GROUP, encoding="utf-8")
    result = run("qr", "-o", "code.svg", *args, "seminars")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message + "\n")
    assert not Path("code.svg").exists()


def test_qr_of_a_series_the_group_does_not_have_names_those_it_has(group: Path) -> None:
    result = run("qr", "--series", "dmeo", "seminars")
    assert (result.exit_code, result.stderr) == (
        1, "seminars/group.yaml: no series of the group has the calendar id 'dmeo'; "
        "its series: demo\n",
    )  # fmt: skip


def test_qr_series_is_refused_for_a_single_schedule(schedule: Path) -> None:
    result = run("qr", "--series", "demo")
    assert result.exit_code == 2
    assert "schedule.yaml is a single schedule; --series names a series of a group's" in (
        result.stderr
    )


def test_the_hub_shows_the_combined_feeds_code_only_when_its_address_is_known(
    group: Path,
) -> None:
    assert run("build", "-q", "seminars").exit_code == 0
    hub = (group / "dist" / "index.html").read_text(encoding="utf-8")
    (svg,) = re.findall(r"<svg.*?</svg>", hub, re.S)
    assert read_qr_codes(rasterise_svg(svg.encode(), width=400)) == [
        "webcal://example.org/lab/lab.ics"
    ]
    (group / "group.yaml").write_text(GROUP, encoding="utf-8")
    assert run("build", "-q", "seminars").exit_code == 0
    hub = (group / "dist" / "index.html").read_text(encoding="utf-8")
    assert "<svg" not in hub
    assert "QR code" not in hub


def test_the_longest_feed_url_allowed_builds_and_its_code_reads_back(
    write_schedule: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    feed_url = "https://example.org/" + "a/" * 786 + "demo.ics"
    assert len(feed_url) == 1_600  # the limit the README states
    text = MINIMAL_SCHEDULE.replace("name: Demo\n", f"name: Demo\n  feed_url: {feed_url}\n")
    monkeypatch.chdir(write_schedule(text).parent)
    assert run("build", "-q").exit_code == 0
    html = Path("dist/index.html").read_text(encoding="utf-8")
    (svg,) = re.findall(r"<svg.*?</svg>", html, re.S)
    expected = ["webcal://" + feed_url.removeprefix("https://")]
    assert read_qr_codes(rasterise_svg(svg.encode(), width=1_800)) == expected
    result = run("qr", "-o", "code.png")
    assert result.exit_code == 0
    assert read_qr_codes(Path("code.png").read_bytes()) == expected
