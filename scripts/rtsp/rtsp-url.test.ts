import { describe, expect, it } from "vitest";
import {
  ffmpegInput,
  hasCredentials,
  parseCredentials,
  parseRtspUrl,
  redactCredentials,
  withCredentials,
} from "./rtsp-url.ts";

describe("an RTSP camera's URL and login", () => {
  it("accepts rtsp:// and rtsps:// only, and tells a URL with a login apart", () => {
    expect(parseRtspUrl("rtsp://10.0.0.5:554/stream1").hostname).toBe("10.0.0.5");
    expect(hasCredentials(parseRtspUrl("rtsp://10.0.0.5/s"))).toBe(false);
    expect(hasCredentials(parseRtspUrl("rtsp://admin:pw@10.0.0.5/s"))).toBe(true);
    expect(hasCredentials(parseRtspUrl("rtsps://admin@10.0.0.5/s"))).toBe(true);
    expect(() => parseRtspUrl("http://10.0.0.5/s")).toThrow(/rtsp:\/\//);
    expect(() => parseRtspUrl("file:///etc/passwd")).toThrow(/rtsp:\/\//);
    expect(() => parseRtspUrl("not a url")).toThrow(/not a URL/);
  });

  it('reads "user:password", the password keeping its own colons', () => {
    expect(parseCredentials("admin:a:b@c\n", "f")).toEqual({ username: "admin", password: "a:b@c" });
    expect(() => parseCredentials("no-colon", "f")).toThrow(/user:password/);
    expect(() => parseCredentials(":pw", "f")).toThrow(/user:password/);
    expect(() => parseCredentials("a:b\nc:d", "f")).toThrow(/one line/);
  });

  it("puts the login into the URL percent-encoded, so no character of it can end the userinfo", () => {
    const u = withCredentials(parseRtspUrl("rtsp://10.0.0.5:554/s"), { username: "cam", password: "p@ss:w/rd'x" });
    expect(u.href).toBe("rtsp://cam:p%40ss%3Aw%2Frd'x@10.0.0.5:554/s");
    expect(decodeURIComponent(u.password)).toBe("p@ss:w/rd'x");
  });

  it("hands ffmpeg the URL in a concat script on stdin, never among its arguments", () => {
    const u = withCredentials(parseRtspUrl("rtsp://10.0.0.5/s"), { username: "cam", password: "it's" });
    const input = ffmpegInput(u, "tcp");
    expect(input.args.join(" ")).not.toContain("10.0.0.5");
    expect(input.args).toContain("pipe:0");
    // A quote in the URL is closed, escaped and reopened as ffconcat asks: it cannot end the line's
    // string and add a directive of its own.
    expect(input.script).toBe(
      "ffconcat version 1.0\nfile 'rtsp://cam:it'\\''s@10.0.0.5/s'\noption rtsp_transport tcp\n",
    );
  });

  it("hides the password in any line that repeats the URL", () => {
    expect(redactCredentials("Impossible to open 'rtsp://cam:s%40cret@10.0.0.5/s'")).toBe(
      "Impossible to open 'rtsp://cam:***@10.0.0.5/s'",
    );
    expect(redactCredentials("rtsp://10.0.0.5/s: Connection refused")).toBe("rtsp://10.0.0.5/s: Connection refused");
  });
});
