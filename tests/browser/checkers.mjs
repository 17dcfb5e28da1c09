// The two checkers every page type meets: axe-core in the page, and the Nu Html Checker
// (vnu.jar of the npm package vnu-jar, run with the machine's Java) over files.

import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const VNU = createRequire(import.meta.url).resolve("vnu-jar/build/dist/vnu.jar");
const JAVA = process.env.CASEBOOK_JAVA || "java";

/**
 * axe-core's verdict on the page as it is now: { version, passes (rules passed), incomplete
 * (rules needing review, with their node counts), violations: [{ id, impact, help, nodes:
 * [{ target, html, summary }] }] }.
 */
export async function axeReport(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return {
      version: r.testEngine.version,
      passes: r.passes.length,
      incomplete: r.incomplete.map((v) => `${v.id} (${v.nodes.length})`),
      violations: r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html, summary: n.failureSummary })),
      })),
    };
  });
}

/** Runs vnu on `files`; resolves to its messages. */
export function vnu(files) {
  return new Promise((resolve, reject) => {
    const child = spawn(JAVA, ["-jar", VNU, "--format", "json", "--stdout", "--also-check-css", "--also-check-svg", ...files], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", (e) => reject(new Error(`cannot run ${JAVA}: ${e.message} (is Java installed?)`)));
    child.on("close", (code) => {
      try {
        resolve(JSON.parse(out).messages);
      } catch {
        reject(new Error(`vnu exited with ${code} and no JSON report\n${out}\n${err}`));
      }
    });
  });
}

