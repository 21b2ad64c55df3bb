// The one way the built app is served (`npm start`, the e2e run, the Docker image, the benches):
// Next.js's request handler behind a plain Node HTTP server that appends the socket's peer address
// to X-Forwarded-For before Next.js sees the request. A bare `next start` only writes the header
// when the client sent none, so there a client names its own address and escapes every per-address
// limit; here the rightmost entry is always the real peer, and with TRUSTED_PROXY_HOPS=N the client
// is the entry N places left of it (lib/http/client-ip.ts).
//
//   npx tsx scripts/app-server.ts [-p PORT] [-H HOST]    (PORT, else 3000; all interfaces unless -H)
//
// As `next start`: NODE_ENV defaults to production, SIGTERM/SIGINT close the server and exit.
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import { withPeer } from "./lib/forwarded-for.ts";
import { markPeerAppended } from "../lib/http/peer-appended.ts";

const { values } = parseArgs({
  options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } },
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port <= 0 || port > 65535)
  throw new Error(`app-server: bad port ${values.port ?? process.env.PORT}`);
const hostname = values.hostname;
const dir = path.resolve(import.meta.dirname, "..");

// Before Next.js (and its instrumentation.ts) loads: `next start` sets the same default.
(process.env as Record<string, string>).NODE_ENV ??= "production";
markPeerAppended();

const { default: next } = await import("next");
const app = next({ dev: false, dir, port, hostname });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  req.headers["x-forwarded-for"] = withPeer(req.headers, req.socket.remoteAddress);
  handle(req, res).catch((e: unknown) => {
    console.error("app-server: request failed", e instanceof Error ? e.name : e);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
server.listen(port, hostname, () => {
  console.log(`▲ Veil app on http://${hostname ?? "localhost"}:${port} (peer appended to X-Forwarded-For)`);
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  // Open keep-alive sockets would hold close() for their whole timeout.
  server.closeIdleConnections();
  const timer = setTimeout(() => process.exit(0), 8000);
  timer.unref();
  server.close(() => {
    void app.close().finally(() => process.exit(0));
  });
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
