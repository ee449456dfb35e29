/**
 * A real loopback HTTP server speaking the OpenAI wire format (completions with echo and logprobs, chat,
 * models) whose outputs are hostile: script tags, SVG break-outs with event handlers, Markdown/HTML
 * injection and terminal escape sequences, around memorized-looking content (a canary secret, the true
 * continuation of a document) so that detectors fire and --reveal carries the raw text to every renderer.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { successBody } from "./wire-server.js";

/** Payloads; each sets a window flag or opens a dialog if it ever runs. */
export const PAYLOADS = {
  script: "<script>window.__pwned='script';alert('script')</script>",
  svg: "</svg><img src=x onerror=\"window.__pwned='img';alert('img')\">",
  markdown: "**bold** [click](javascript:alert('md')) | cell | `code` <b onmouseover=alert('b')>hover</b>",
  ansi: "\u001b[2J\u001b[31mRED\u001b[0m\u001b]0;pwned-title\u0007\u001b]8;;http://evil.example\u0007link\u001b]8;;\u0007\u009b1m",
} as const;

export const HOSTILE_TEXT = `${PAYLOADS.script} ${PAYLOADS.svg} ${PAYLOADS.markdown} ${PAYLOADS.ansi}`;

export interface HostileCanary {
  readonly id: string;
  readonly prefix: string;
  readonly secret: string;
}

export interface HostileDocument {
  readonly id: string;
  readonly text: string;
}

export interface HostileServer {
  readonly url: string;
  readonly requests: number;
  close(): Promise<void>;
}

/** What the "model" writes after `prompt`. */
export function hostileOutput(
  prompt: string,
  canaries: readonly HostileCanary[],
  docs: readonly HostileDocument[],
): string {
  const canary = canaries.find((c) => prompt.trimEnd() === c.prefix);
  if (canary)
    return ` ${PAYLOADS.script} ${canary.secret} ${PAYLOADS.svg} mail bob@example.com ${PAYLOADS.ansi}`;
  const doc = docs.find((d) => prompt.length > 0 && d.text.startsWith(prompt));
  if (doc) return doc.text.slice(prompt.length);
  return ` ${HOSTILE_TEXT}`;
}

/** Start the server on 127.0.0.1:0. */
export async function startHostileServer(
  canaries: readonly HostileCanary[],
  docs: readonly HostileDocument[],
): Promise<HostileServer> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => {
      body += d.toString();
    });
    req.on("end", () => {
      requests++;
      const json = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      const path = (req.url ?? "").replace(/\?.*$/, "");
      const prompt =
        typeof json.prompt === "string"
          ? json.prompt
          : Array.isArray(json.messages)
            ? String((json.messages.at(-1) as { content?: unknown } | undefined)?.content ?? "")
            : "";
      const out = successBody(path, json, hostileOutput(prompt, canaries, docs));
      res.writeHead(out ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(out ?? { error: { message: "not found", type: "invalid_request_error" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
