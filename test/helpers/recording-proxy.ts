import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
}

/**
 * A real loopback HTTP proxy in front of another loopback server: forwards every request unchanged and
 * records it, so tests can count what a client really sent.
 */
export async function startRecordingProxy(upstream: string) {
  const up = new URL(upstream);
  const requests: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? "GET", path: req.url ?? "/", body: body.toString("utf8") });
      const fwd = request(
        {
          host: up.hostname,
          port: up.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: up.host },
        },
        (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        },
      );
      fwd.on("error", () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      fwd.end(body);
    });
  });
  const open = new Set<Socket>();
  const idleWaiters: (() => void)[] = [];
  server.on("connection", (socket: Socket) => {
    open.add(socket);
    socket.on("close", () => {
      open.delete(socket);
      if (open.size === 0) for (const wake of idleWaiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /**
     * Resolves once no client connection is open. After a client process is killed, its sockets close
     * only after the proxy has read what was already sent on them, so a request written just before the
     * kill is recorded by then.
     */
    idle: () =>
      new Promise<void>((resolve) => {
        if (open.size === 0) resolve();
        else idleWaiters.push(resolve);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
