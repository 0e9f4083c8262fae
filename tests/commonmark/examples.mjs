// Prints the CommonMark spec's examples as JSON, as the spec package reads
// them from its spec.txt: [{markdown, html, section, number}, ...].
import { createRequire } from "node:module";

const spec = createRequire(import.meta.url)("commonmark-spec");
process.stdout.write(JSON.stringify(spec.tests));
