"""Measure seminar-feed against the floor its libraries set, and against yaml2ics.

    python benchmarks/bench.py [--rounds N] [--commands-only | --group-only]

Every figure is a median over alternating rounds, so that both sides of a
ratio see the same machine load: single timings here swing by a third.

1. `build` of the shipped schedule, and `check` and `--help`, each divided by
   the time Python takes to import a floor of libraries and do nothing, in
   processor time (user and system), which other work on the machine disturbs
   less than wall time. `build` is held to the libraries a build of the
   shipped schedule imports; `check` and `--help` to the runtime dependencies
   without those only some commands import (Babel for pages, segno for QR
   codes), so that a library added for one command cannot loosen their
   targets. Each is also shown against the libraries it cannot do without,
   a floor it cannot go under. The commands end their process without the
   interpreter's teardown, which the floors go through; `build` is also shown
   against its floor ended the same way, so that what that saves is not taken
   for the build's own speed. With --commands-only, only this, which needs no
   yaml2ics.
2. Building generated schedules of 1,000 and 10,000 sessions, with peak
   memory, against yaml2ics on the same sessions in its own format. Each
   round rebuilds over the last round's output with --previous none, so every
   file is written again. Processor time (user and system) is shown beside
   wall time: a build that writes 10,000 files also waits on the disk, which
   other work on the machine slows.
3. A group of 50 series of 20 sessions against one schedule of the same 1,000
   sessions: a first build into an empty folder, and a rebuild over it. With
   --group-only, only this, which needs no yaml2ics.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time as clock
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import NamedTuple

import yaml

import seminar_feed

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# What a build of the shipped schedule imports: Babel's dates, not only its core; no segno,
# since the schedule draws no QR code.
BUILD_FLOOR = "babel.dates, click, jinja2, pytz, yaml"
# The runtime dependencies that every command could once need, before Babel and segno
# came for pages and QR codes only.
IMPORT_FLOOR = "click, jinja2, pytz, yaml"
CHECK_NEEDS = "click, pytz, yaml"  # a schedule cannot be read and judged without these
HELP_NEEDS = "click"
FLOORS = {"build": BUILD_FLOOR, "import": IMPORT_FLOOR, "check needs": CHECK_NEEDS,
          "--help needs": HELP_NEEDS}  # fmt: skip
# Each command's target, as a multiple of the named floor; and the floor it cannot go under.
TARGETS = {"build": (1.2, "build"), "check": (0.8, "import"), "--help": (0.8, "import")}
NEEDS = {"check": "check needs", "--help": "--help needs"}
ENDED_AT_ONCE = "floor build, ended at once"
BIG_TIME_TARGET = 0.5  # of yaml2ics's time, at 10,000 sessions
GROUP_TARGET = 2.0  # a group's build, of the time one schedule of its sessions takes
GROUP_SERIES, GROUP_SESSIONS = 50, 20


class Run(NamedTuple):
    wall: float  # seconds
    processor: float  # seconds of user and system time
    memory: int  # peak resident MB


def run(command: Sequence[str]) -> Run:
    """Run a command; give its times and its peak memory."""
    started = clock.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=sink)
        _, status, usage = os.wait4(process.pid, 0)
    elapsed = clock.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024)


def rounds(commands: dict[str, list[str]], count: int) -> dict[str, list[Run]]:
    results: dict[str, list[Run]] = {name: [] for name in commands}
    for number in range(count):
        names = list(commands)
        if number % 2:
            names.reverse()  # neither side always runs first
        for name in names:
            results[name].append(run(commands[name]))
    return results


def median_ratio(results: dict[str, list[Run]], name: str, base: str, field: str = "wall") -> float:
    pairs = zip(results[name], results[base], strict=True)
    return statistics.median(getattr(a, field) / getattr(b, field) for a, b in pairs)


def write_group(folder: Path, series: int, sessions: int) -> Path:
    """A group of `series` schedules of `sessions` sessions each, one after another, made
    as write_schedules makes one; give its folder."""
    group = folder / f"group-{series}x{sessions}"
    group.mkdir()
    (group / "group.yaml").write_text(
        "group:\n  id: bench-group\n  name: Bench Group\n", encoding="utf-8"
    )
    for number in range(series):
        first = date(1990, 1, 1) + timedelta(days=number * sessions)
        calendar = {"id": f"bench-{number}", "name": f"Bench {number}", "timezone": "Asia/Seoul",
                    "time": "19:00", "duration": "90m"}  # fmt: skip
        ours = [session for session, _ in _sessions(sessions, first)]
        (group / f"bench-{number}.yaml").write_text(
            yaml.safe_dump({"calendar": calendar, "sessions": ours}), encoding="utf-8"
        )
    return group


def _sessions(count: int, first: date) -> list[tuple[dict[str, object], dict[str, object]]]:
    """Sessions in our format and in yaml2ics's, one a day from `first`."""
    made = []
    for week in range(1, count + 1):
        day = first + timedelta(days=week - 1)
        title, presenter = f"Chapter {week}: A Title of Typical Length", f"Presenter {week}"
        description = "This chapter develops one view of the subject, step by step. " * 3
        url = f"https://example.org/seminar/week-{week}/"
        made.append((
            {"week": week, "date": day.isoformat(), "title": title, "presenter": presenter,
             "description": description, "url": url},
            {"summary": f"Week {week}: {title} ({presenter})",
             "begin": datetime.combine(day, time(19)), "duration": {"minutes": 90},
             "description": description, "url": url},
        ))  # fmt: skip
    return made


def write_schedules(folder: Path, sessions: int) -> tuple[Path, Path]:
    """The same sessions in our format and in yaml2ics's, one a day to fit the supported dates."""
    pairs = _sessions(sessions, date(1990, 1, 1))
    ours, theirs = [ours for ours, _ in pairs], [theirs for _, theirs in pairs]
    calendar = {
        "id": "bench", "name": "Bench", "timezone": "Asia/Seoul", "time": "19:00", "duration": "90m"
    }  # fmt: skip
    our_path, their_path = folder / f"ours-{sessions}.yaml", folder / f"yaml2ics-{sessions}.yaml"
    our_path.write_text(yaml.safe_dump({"calendar": calendar, "sessions": ours}), encoding="utf-8")
    their_path.write_text(
        yaml.dump({"name": "Bench", "timezone": "Asia/Seoul", "events": theirs}), encoding="utf-8"
    )
    return our_path, their_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30, help="rounds for the small commands")
    parser.add_argument("--big-rounds", type=int, default=5, help="rounds for 1k and 10k")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--commands-only", action="store_true",
                      help="measure only build, check and --help against their floors")  # fmt: skip
    only.add_argument("--group-only", action="store_true", help="measure only the group")
    options = parser.parse_args()
    feed = str(BIN / "seminar-feed")
    if options.group_only:
        with tempfile.TemporaryDirectory() as temporary:
            measure_group(Path(temporary), feed, options.big_rounds)
        return
    # pip compiles an installed package; an editable one compiles on each run
    # where PYTHONDONTWRITEBYTECODE is set, so compile it as pip would.
    subprocess.run([sys.executable, "-m", "compileall", "-q", seminar_feed.__path__[0]], check=True)
    if options.commands_only:
        with tempfile.TemporaryDirectory() as temporary:
            measure_commands(Path(temporary), feed, options.rounds)
        return
    yaml2ics = shutil.which("yaml2ics", path=str(BIN)) or shutil.which("yaml2ics")
    if yaml2ics is None:
        raise SystemExit("yaml2ics is not installed: pip install -e '.[bench]'")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        measure_commands(folder, feed, options.rounds)
        sizes = {}
        for sessions in (1_000, 10_000):
            ours, theirs = write_schedules(folder, sessions)
            out = str(folder / f"out-{sessions}" / "bench.ics")  # one feed to a folder
            big = rounds(
                {
                    "ours": [feed, "build", str(ours), "-o", out, "--previous", "none"],
                    "yaml2ics": [yaml2ics, str(theirs)],
                },
                options.big_rounds,
            )
            our_runs, their_runs = big["ours"], big["yaml2ics"]
            ours_time = statistics.median(r.wall for r in our_runs)
            ours_memory = max(r.memory for r in our_runs)
            their_memory = max(r.memory for r in their_runs)
            ours_processor = statistics.median(r.processor for r in our_runs)
            sizes[sessions] = (ours_time, ours_processor, ours_memory)
            print(
                f"{sessions:>6} sessions: seminar-feed {ours_time:.2f} s "
                f"({ours_processor:.2f} s processor), "
                f"{ours_memory} MB; yaml2ics {statistics.median(r.wall for r in their_runs):.2f} s "
                f"({statistics.median(r.processor for r in their_runs):.2f} s processor), "
                f"{their_memory} MB"
            )
            ratio = median_ratio(big, "ours", "yaml2ics")
            processor = median_ratio(big, "ours", "yaml2ics", "processor")
            print(f"        time {ratio:.2f}x yaml2ics, processor time {processor:.2f}x", end="")
            if sessions == 10_000:
                time_verdict = "meets" if ratio <= BIG_TIME_TARGET else "MISSES"
                memory_verdict = "meets" if ours_memory <= their_memory else "MISSES"
                print(f" (target <= {BIG_TIME_TARGET}x, {time_verdict}); "
                      f"peak memory target <= yaml2ics's, {memory_verdict}", end="")  # fmt: skip
            print()
        (t1, p1, m1), (t10, p10, m10) = sizes[1_000], sizes[10_000]
        print(f"growth 1k -> 10k: time x{t10 / t1:.1f}, processor time x{p10 / p1:.1f}, "
              f"peak memory x{m10 / m1:.1f}")  # fmt: skip
        measure_group(folder, feed, options.big_rounds)


def measure_commands(folder: Path, feed: str, count: int) -> None:
    """Time build, check and --help against the floors of libraries they are held to."""
    shutil.copy(ROOT / "schedule.yaml", folder / "schedule.yaml")
    schedule = str(folder / "schedule.yaml")
    run([feed, "build", schedule])  # a rebuild over a published feed, as in daily use
    floors = {f"floor {name}": [sys.executable, "-c", f"import {imports}"]
              for name, imports in FLOORS.items()}  # fmt: skip
    floors[ENDED_AT_ONCE] = [sys.executable, "-c", f"import {BUILD_FLOOR}, os; os._exit(0)"]
    commands = {"build": [feed, "build", schedule], "check": [feed, "check", schedule],
                "--help": [feed, "--help"]}  # fmt: skip
    results = rounds({**floors, **commands}, count)
    load = os.getloadavg()[0]
    print(f"python {sys.version.split()[0]} on {os.uname().machine}, {os.cpu_count()} cores, "
          f"load average {load:.1f}; processor time, median of {count} rounds")  # fmt: skip
    for name, imports in FLOORS.items():
        median = statistics.median(r.processor for r in results[f"floor {name}"])
        print(f"  floor '{name}' (import {imports}): {median * 1000:.0f} ms")
    for name, (target, floor) in TARGETS.items():
        median = statistics.median(r.processor for r in results[name])
        ratio = median_ratio(results, name, f"floor {floor}", "processor")
        verdict = "meets" if ratio <= target else "MISSES"
        line = (f"{name:>8}: {median * 1000:.0f} ms, {ratio:.2f}x floor '{floor}' "
                f"(target <= {target}x, {verdict})")  # fmt: skip
        if name in NEEDS:
            needs = median_ratio(results, name, f"floor {NEEDS[name]}", "processor")
            line += f"; {needs:.2f}x floor '{NEEDS[name]}'"
        if name == "build":
            ended = median_ratio(results, name, ENDED_AT_ONCE, "processor")
            line += f"; {ended:.2f}x that floor ended without teardown, as the command ends"
        print(line)


def measure_group(folder: Path, feed: str, count: int) -> None:
    """Time a group's build against one schedule of as many sessions, both first builds
    into an empty folder and rebuilds over the last one."""
    group = write_group(folder, GROUP_SERIES, GROUP_SESSIONS)
    single, _ = write_schedules(folder, GROUP_SERIES * GROUP_SESSIONS)
    group_out, single_out = folder / "out-group", folder / "out-single" / "bench.ics"
    commands = {
        "group": [feed, "build", str(group), "-o", str(group_out)],
        "single": [feed, "build", str(single), "-o", str(single_out)],
    }
    fresh = {  # every file written, as on a first build
        "group": ["sh", "-c", f'rm -rf "{group_out}" && exec "$@"', "sh", *commands["group"]],
        "single": ["sh", "-c", f'rm -rf "{single_out.parent}" && exec "$@"', "sh",
                   *commands["single"]],
    }  # fmt: skip
    sessions = GROUP_SERIES * GROUP_SESSIONS
    for label, measured in (("first build", fresh), ("rebuild", commands)):
        results = rounds(measured, count)
        ratio = median_ratio(results, "group", "single")
        group_time = statistics.median(r.wall for r in results["group"])
        single_time = statistics.median(r.wall for r in results["single"])
        memory = max(r.memory for r in results["group"]), max(r.memory for r in results["single"])
        verdict = "meets" if ratio <= GROUP_TARGET else "MISSES"
        print(f"group of {GROUP_SERIES}x{GROUP_SESSIONS}, {label}: {group_time:.2f} s, "
              f"{memory[0]} MB vs one schedule of {sessions:,} sessions {single_time:.2f} s, "
              f"{memory[1]} MB: {ratio:.2f}x (target <= {GROUP_TARGET}x, {verdict})")  # fmt: skip


if __name__ == "__main__":
    main()
