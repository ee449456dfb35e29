import { join } from "node:path";
import type { ReportFormat } from "../core/config.js";
import { writeFileAtomic } from "../core/fs.js";
import { renderDiffMarkdown } from "./diff/render.js";
import type { RunDiff } from "./diff/types.js";
import { renderHtml } from "./html/page.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown } from "./markdown.js";
import { renderStagesMarkdown } from "./markdown-stages.js";
import type { ReportModel } from "./model.js";
import { renderSarif } from "./sarif.js";

/** File each format is written to inside a run folder. */
export const REPORT_FILES: Readonly<Record<ReportFormat, string>> = {
  json: "summary.json",
  md: "summary.md",
  html: "report.html",
  junit: "junit.xml",
  sarif: "results.sarif",
};

export interface RenderExtras {
  /** Changes against a baseline run, shown in the HTML and as regression gates in JUnit and SARIF. */
  readonly diff?: RunDiff;
  /** Root for relative SARIF locations (default the working directory). */
  readonly root?: string;
}

/** Render one format from the report model. */
export function renderFormat(format: ReportFormat, m: ReportModel, extras: RenderExtras = {}): string {
  const diff = extras.diff ? { diff: extras.diff } : {};
  switch (format) {
    case "json":
      return `${JSON.stringify(m.summary, null, 2)}\n`;
    case "md": {
      const stages = renderStagesMarkdown(m);
      return stages ? `${renderMarkdown(m.summary)}\n${stages}` : renderMarkdown(m.summary);
    }
    case "html":
      return renderHtml(m, diff);
    case "junit":
      return renderJunit(m, diff);
    case "sarif":
      return renderSarif(m, { ...diff, ...(extras.root ? { root: extras.root } : {}) });
  }
}

/**
 * Write every requested format into the run folder (atomically), and with a diff `diff.json` and `diff.md`;
 * returns the paths written.
 */
export async function writeReports(
  runDir: string,
  m: ReportModel,
  formats: readonly ReportFormat[],
  extras: RenderExtras = {},
): Promise<string[]> {
  const paths: string[] = [];
  for (const f of new Set(formats)) {
    const path = join(runDir, REPORT_FILES[f]);
    await writeFileAtomic(path, renderFormat(f, m, extras));
    paths.push(path);
  }
  if (extras.diff) {
    await writeFileAtomic(join(runDir, "diff.json"), `${JSON.stringify(extras.diff, null, 2)}\n`);
    await writeFileAtomic(join(runDir, "diff.md"), renderDiffMarkdown(extras.diff));
    paths.push(join(runDir, "diff.json"), join(runDir, "diff.md"));
  }
  return paths;
}
