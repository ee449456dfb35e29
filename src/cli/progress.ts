import type { Progress } from "../core/runner.js";

/**
 * A progress bar with ETA, requests, tokens and errors on a TTY (one redrawn line on stderr);
 * on anything else, a plain line every 10% or 15 s.
 */
export function progressReporter(stream: NodeJS.WriteStream | NodeJS.WritableStream, isTTY: boolean) {
  const start = Date.now();
  let lastLine = 0;
  let lastPct = -1;
  let lastDraw = 0;
  const fmt = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)}k` : String(n));
  const eta = (p: Progress) => {
    const elapsed = (Date.now() - start) / 1000;
    if (p.done === 0 || p.total === 0) return "--";
    const rest = (elapsed / p.done) * (p.total - p.done);
    return rest >= 60 ? `${Math.floor(rest / 60)}m${Math.round(rest % 60)}s` : `${Math.round(rest)}s`;
  };
  return {
    update(p: Progress) {
      const pct = p.total ? Math.floor((p.done / p.total) * 100) : 100;
      const stats = `${p.done}/${p.total} ${pct}% ETA ${eta(p)} | req ${fmt(p.requests)} tok ${fmt(p.tokens)} err ${p.errors} hits ${p.hits}`;
      if (isTTY) {
        const now = Date.now();
        if (now - lastDraw < 80 && p.done !== p.total) return;
        lastDraw = now;
        const width = 24;
        const filled = Math.round((pct / 100) * width);
        stream.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${stats}\u001b[K`);
      } else {
        const now = Date.now();
        if (
          Math.floor(pct / 10) === Math.floor(lastPct / 10) &&
          now - lastLine < 15_000 &&
          p.done !== p.total
        )
          return;
        lastPct = pct;
        lastLine = now;
        stream.write(`progress ${stats}\n`);
      }
    },
    done() {
      if (isTTY) stream.write("\n");
    },
  };
}
