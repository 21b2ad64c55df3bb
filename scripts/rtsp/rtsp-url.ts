// An RTSP camera's address and its login, kept out of every process's command line: `ps` shows any
// user of the machine the arguments of every process, so a password given to the bridge or to
// ffmpeg on argv is a password given to all of them. The login comes from a file or the
// environment; ffmpeg reads the full URL from a concat script on its stdin (see ffmpegInput).
import { readFileSync } from "node:fs";

/** `rtsp://host/…` or `rtsps://host/…`; a login in it is refused where it would sit on argv. */
export function parseRtspUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`not a URL: ${redactCredentials(raw)}`);
  }
  if (url.protocol !== "rtsp:" && url.protocol !== "rtsps:") throw new Error("must be an rtsp:// or rtsps:// URL");
  if (!url.hostname) throw new Error("the RTSP URL has no host");
  return url;
}

export function hasCredentials(url: URL): boolean {
  return url.username !== "" || url.password !== "";
}

/** "user:password" (the password may itself hold colons), from a file or an environment variable. */
export function parseCredentials(text: string, from: string): { username: string; password: string } {
  const line = text.trim();
  const at = line.indexOf(":");
  if (at <= 0 || /[\r\n]/.test(line)) throw new Error(`${from}: expected one line "user:password"`);
  return { username: line.slice(0, at), password: line.slice(at + 1) };
}

export function readCredentials(
  o: { file?: string; env?: string },
  env: NodeJS.ProcessEnv = process.env,
): { username: string; password: string } | null {
  if (o.file) return parseCredentials(readFileSync(o.file, "utf8"), o.file);
  if (o.env) {
    const v = env[o.env];
    if (!v) throw new Error(`${o.env} is not set`);
    return parseCredentials(v, o.env);
  }
  return null;
}

export function withCredentials(url: URL, credentials: { username: string; password: string } | null): URL {
  if (!credentials) return url;
  const u = new URL(url.href);
  // The URL setters percent-encode what the userinfo cannot hold (":", "@", "/", …).
  u.username = credentials.username;
  u.password = credentials.password;
  return u;
}

/**
 * ffmpeg's input as a concat script (ffconcat) read from stdin, so the URL and its login never
 * appear on ffmpeg's command line. One `file` line, single-quoted (a quote inside is written
 * '\'' as the format asks); the transport is a per-file `option`.
 */
export function ffmpegInput(url: URL, transport?: "tcp" | "udp"): { args: string[]; script: string } {
  const quoted = `'${url.href.replaceAll("'", "'\\''")}'`;
  return {
    args: ["-f", "concat", "-safe", "0", "-protocol_whitelist", "pipe,rtsp,rtsps,rtp,udp,tcp,tls", "-i", "pipe:0"],
    script: [
      "ffconcat version 1.0",
      `file ${quoted}`,
      ...(transport ? [`option rtsp_transport ${transport}`] : []),
      "",
    ].join("\n"),
  };
}

/** Any `scheme://user:password@` in a line (ffmpeg's own messages repeat the URL) without the password. */
export function redactCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)([^/\s@'"]*)@/gi, (_, scheme: string, info: string) => {
    const user = info.split(":")[0];
    return `${scheme}${user ? `${user}:***` : "***"}@`;
  });
}
