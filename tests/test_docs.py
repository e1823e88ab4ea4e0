"""The README stays true: its commands are the ones CI runs, and it documents everything."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from seminar_feed.cli import main
from seminar_feed.fields import FIELDS, KINDS

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, re.S)


def test_quick_start_is_two_commands_and_ci_runs_the_test_one() -> None:
    commands = quick_start()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    assert "seminar-feed build" in commands[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[1] in ci


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_and_option_is_documented(name: str) -> None:
    command = main.commands[name]
    assert f"`seminar-feed {name}" in README
    for parameter in command.params:
        if isinstance(parameter, click.Option):
            assert any(f"`{flag}" in README for flag in parameter.opts), parameter.opts


def reference(headings: dict[str, str]) -> str:
    """The key reference the README should hold: a table per place, under its heading."""
    tables = []
    for where, heading in headings.items():
        rows = [f"{heading}:", "", "| key | value | if left out | what for |", "|---|---|---|---|"]
        for field in (field for field in FIELDS if field.where == where):
            left_out = "required" if field.required else (field.default or "nothing")
            rows.append(f"| `{field.name}` | {KINDS[field.kind]} | {left_out} | {field.help} |")
        tables.append("\n".join(rows))
    return "\n\n".join(tables)


def test_the_key_reference_is_the_format_table() -> None:
    """The README lists every key of the table, in its order, with its kind, its default
    and its help, and no other."""
    headings = {"calendar": "In `calendar`", "session": "In each session",
                "material": "In each of a session's `materials`"}  # fmt: skip
    written = README.split("<!-- key reference -->\n", 1)[1].split("\n<!-- end", 1)[0]
    assert written == reference(headings)


def test_the_group_key_reference_is_the_format_table() -> None:
    headings = {"group_file": "At the top of `group.yaml`", "group": "In `group`"}
    written = README.split("<!-- group key reference -->\n", 1)[1].split("\n<!-- end", 1)[0]
    assert written == reference(headings)


def test_the_key_reference_spells_out_the_new_keys() -> None:
    assert (
        "| `online` | an https URL of up to 2,000 characters, or `none` | calendar.online |"
        in README
    )
    assert "| `materials` | a list of up to 100 `{title, url}` | nothing |" in README
    assert "| `language` | one of `en`, `ko` | en |" in README


def test_the_readmes_example_of_mistakes_is_real_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = (ROOT / "schedule.yaml").read_text(encoding="utf-8")
    broken = shipped.replace("    presenter: Kyeongtae Ko", "    presentr: Kyeongtae Ko").replace(
        "    date: 2026-07-13", "    date: Jul 13, 2026"
    )
    (tmp_path / "schedule.yaml").write_text(broken, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    example = README.split("$ seminar-feed check\n", 1)[1].split("```", 1)[0]
    assert result.stderr == example


def test_the_readmes_example_of_a_rebuild_is_real_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "dist", tmp_path / "dist")
    shipped = (ROOT / "schedule.yaml").read_text(encoding="utf-8")
    moved = shipped.replace("    date: 2026-08-24", "    date: 2026-08-31")
    (tmp_path / "schedule.yaml").write_text(moved, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    example = README.split("$ seminar-feed build\n", 1)[1].split("```", 1)[0]
    assert result.stderr == example


def term_steps() -> list[tuple[str, str]]:
    """The walk-through's blocks in order, each as its kind and its text."""
    section = README.split("## A term, step by step\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```(console|diff)\n(.*?)```", section, re.S)


def test_the_walk_through_of_a_term_runs_as_the_readme_shows(tmp_path: Path) -> None:
    steps = term_steps()
    assert [kind for kind, _ in steps] == ["console", "diff", "console", "diff", "diff", "console"]
    schedule = tmp_path / "schedule.yaml"
    for kind, text in steps:
        if kind == "diff":
            edit(schedule, text)
            continue
        for command, expected in re.findall(r"^\$ (.*)\n((?:[^$].*\n)*)", text, re.M):
            words = shlex.split(command)
            assert words[0] == "seminar-feed"
            done = subprocess.run(
                [sys.executable, "-m", "seminar_feed", *words[1:]],
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
            assert (command, done.returncode, done.stdout) == (command, 0, expected)
    assert b"STATUS:CANCELLED" in (tmp_path / "dist" / "flow-matching-seminar.ics").read_bytes()


def edit(schedule: Path, diff: str) -> None:
    """Apply a diff's one change to the schedule; its context must find one place."""
    lines = diff.splitlines(keepends=True)
    old = "".join(line[1:] for line in lines if line[0] in " -")
    new = "".join(line[1:] for line in lines if line[0] in " +")
    text = schedule.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    schedule.write_text(text.replace(old, new), encoding="utf-8")
