"""The list of equivalent mutants stays in step with the code and with mutmut's results.

Mutmut runs by hand, not in CI (see "Mutation testing" in the README). Its results stay in
`mutants/`, one `.meta` file of JSON per module; where they exist, every mutant that
survived must be listed in `tests/mutants-equivalent.txt` with a reason, and every listed
one must have survived. The list's form is checked everywhere, CI included.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
LIST = Path(__file__).parent / "mutants-equivalent.txt"
RESULTS = ROOT / "mutants" / "src" / "seminar_feed"

# mutmut's names: module, then x_function or xǁClassǁmethod, then the mutant's number.
NAME = re.compile(r"seminar_feed\.(\w+)\.x(?:_(\w+)|ǁ(\w+)ǁ(\w+))__mutmut_(\d+)")
LINE = re.compile(rf"({NAME.pattern}) — (\S.*)")

# Exit codes in mutmut's results: 0 the tests passed, 5 and 33 no test reached the mutant.
SURVIVED = {0, 5, 33}


def listed() -> list[str]:
    """The names in the list, in its order."""
    lines = LIST.read_text(encoding="utf-8").splitlines()
    return [line.split(" — ", 1)[0] for line in lines if line and not line.startswith("#")]


def sort_key(name: str) -> tuple[str, str, int]:
    """Module, function (Class.method for a method) and number: the list's order."""
    match = NAME.fullmatch(name)
    assert match, name
    module, function, class_name, method, number = match.groups()
    return module, function or f"{class_name}.{method}", int(number)


def mutated_modules() -> set[str]:
    """The modules `[tool.mutmut]` mutates."""
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    only_mutate = config.split("only_mutate = [", 1)[1].split("]", 1)[0]
    return set(re.findall(r'"src/seminar_feed/(\w+)\.py"', only_mutate))


def functions_of(module: str) -> set[str]:
    """Every function and method of a source module, methods as Class.method."""
    tree = ast.parse((ROOT / "src" / "seminar_feed" / f"{module}.py").read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {
                f"{node.name}.{item.name}"
                for item in node.body
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
            }
    return names


def test_each_line_names_a_mutant_and_gives_a_reason() -> None:
    for line in LIST.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            assert LINE.fullmatch(line), line


def test_the_list_is_sorted_without_duplicates() -> None:
    names = listed()
    assert names == sorted(set(names), key=sort_key)


def test_each_listed_mutant_is_of_a_function_that_still_exists() -> None:
    modules = mutated_modules()
    assert modules >= {"load", "feed", "previous", "publish", "zones", "ics", "page", "serve"}
    for name in listed():
        module, function, _ = sort_key(name)
        assert module in modules, name
        assert function in functions_of(module), name


def test_the_list_and_mutmuts_last_results_agree() -> None:
    """Fail on a survivor not listed, and on a listed mutant that a test now kills."""
    names = set(listed())
    for meta in sorted(RESULTS.glob("*.py.meta")):
        results = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        checked = {name: code for name, code in results.items() if code is not None}
        survivors = {name for name, code in checked.items() if code in SURVIVED}
        assert sorted(survivors - names) == [], f"{meta.name}: survivors not listed"
        assert sorted(names & (checked.keys() - survivors)) == [], f"{meta.name}: listed, killed"
