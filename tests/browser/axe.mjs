// axe-core's audit of a page, as every browser test runs it: the serious
// and critical problems only, each with where it is.

import { createRequire } from 'node:module';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** The serious and critical problems axe-core finds on the open `page`,
 *  one line each, named after `rel`. */
export async function axeProblems(page, rel) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document)).violations);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => {
    const where = v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`);
    return `${rel}: ${v.id} (${v.impact}): ${v.help}\n    ${where.join('\n    ')}`;
  });
}
