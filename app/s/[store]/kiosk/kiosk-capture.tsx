"use client";

import { useRef, useState, type FormEvent } from "react";

export type KioskText = {
  codeLabel: string;
  codeFormat: string;
  start: string;
  capturing: string;
  sending: string;
  sent: string;
  noCamera: string;
  preview: string;
  errors: Record<string, string>;
  generic: string;
};

// A burst over about 2 s: `frames` pictures, evenly spaced.
const BURST_MS = 2000;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The kiosk's capture: the shopper types their code, the camera runs for about 2 s while a burst
 * of frames is taken, and the frames go to the server as JPEGs with the code, from memory only
 * (nothing is kept in the browser). The camera stops after each attempt.
 */
export function KioskCapture(props: { postTo: string; frames: number; text: KioskText }) {
  const t = props.text;
  const video = useRef<HTMLVideoElement>(null);
  const [phase, setPhase] = useState<"idle" | "capturing" | "sending" | "sent" | "error">("idle");
  const [message, setMessage] = useState("");

  async function capture(stream: MediaStream): Promise<Blob[]> {
    const v = video.current!;
    v.srcObject = stream;
    await v.play();
    if (!v.videoWidth) await new Promise((r) => v.addEventListener("loadedmetadata", r, { once: true }));
    const canvas = document.createElement("canvas");
    const scale = Math.min(1, 960 / Math.max(v.videoWidth, v.videoHeight));
    canvas.width = Math.round(v.videoWidth * scale);
    canvas.height = Math.round(v.videoHeight * scale);
    const ctx = canvas.getContext("2d")!;
    const blobs: Blob[] = [];
    for (let i = 0; i < props.frames; i++) {
      if (i) await wait(BURST_MS / (props.frames - 1));
      ctx.drawImage(v, 0, 0, canvas.width, canvas.height);
      blobs.push(await new Promise<Blob>((ok, ko) => canvas.toBlob((b) => (b ? ok(b) : ko()), "image/jpeg", 0.9)));
    }
    return blobs;
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const code = String(new FormData(form).get("code") ?? "").trim();
    if (!/^\d{6}$/.test(code)) {
      setPhase("error");
      setMessage(t.codeFormat);
      return;
    }
    let stream: MediaStream | null = null;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "user" }, audio: false });
    } catch {
      setPhase("error");
      setMessage(t.noCamera);
      return;
    }
    try {
      setPhase("capturing");
      setMessage(t.capturing);
      const blobs = await capture(stream);
      stream.getTracks().forEach((track) => track.stop());
      setPhase("sending");
      setMessage(t.sending);
      const body = new FormData();
      body.set("code", code);
      blobs.forEach((b, i) => body.append("frame", b, `frame-${i}.jpg`));
      const res = await fetch(props.postTo, { method: "POST", body });
      if (res.status === 202) {
        setPhase("sent");
        setMessage(t.sent);
        form.reset();
      } else {
        const err = (await res.json().catch(() => ({}))) as { error?: string };
        setPhase("error");
        setMessage(t.errors[err.error ?? ""] ?? t.generic);
      }
    } catch {
      setPhase("error");
      setMessage(t.generic);
    } finally {
      stream.getTracks().forEach((track) => track.stop());
      if (video.current) video.current.srcObject = null;
    }
  }

  const busy = phase === "capturing" || phase === "sending";
  return (
    <form className="stack" onSubmit={onSubmit} aria-busy={busy} noValidate>
      <div>
        <label htmlFor="kiosk-code">{t.codeLabel}</label>
        <input
          id="kiosk-code"
          name="code"
          inputMode="numeric"
          autoComplete="off"
          pattern="[0-9]{6}"
          maxLength={6}
          required
          disabled={busy}
        />
      </div>
      <button type="submit" disabled={busy} data-testid="kiosk-start">
        {t.start}
      </button>
      <video ref={video} className="kiosk-preview" aria-label={t.preview} muted playsInline hidden={!busy} />
      {message ? (
        <p
          className={`status ${phase === "error" ? "err" : "ok"}`}
          role={phase === "error" ? "alert" : "status"}
          aria-live="polite"
          data-testid="kiosk-message"
          data-phase={phase}
        >
          {message}
        </p>
      ) : null}
    </form>
  );
}
