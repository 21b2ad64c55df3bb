"use client";

import { useEffect, useRef, useState, useSyncExternalStore } from "react";

// The still with the counting line drawn over it. Rendered on the server (the picture and the
// saved line show without JavaScript); in the browser it redraws as the numbers change and, as an
// enhancement for a mouse, sets the start and end from two clicks on the picture. The numeric
// fields stay the way to set the line from a keyboard or a screen reader.

export type LineValues = { x1: number; y1: number; x2: number; y2: number; band: number };
type Ids = Record<keyof LineValues, string>;

const noSubscribe = () => () => {};
const PLACEHOLDER = { width: 1280, height: 720 };

function readFields(ids: Ids): LineValues | null {
  const v = Object.fromEntries(
    Object.entries(ids).map(([k, id]) => [k, Number((document.getElementById(id) as HTMLInputElement | null)?.value)]),
  ) as LineValues;
  return Object.values(v).every(Number.isFinite) ? v : null;
}

export function LinePicker(props: {
  src: string | null;
  alt: string;
  size: { width: number; height: number } | null;
  initial: LineValues | null;
  ids: Ids;
  labels: { placeholder: string; hint: string; start: string; end: string; into: string };
}) {
  const { width: W, height: H } = props.size ?? PLACEHOLDER;
  const [line, setLine] = useState<LineValues | null>(props.initial);
  const [stage, setStage] = useState<"start" | "end" | null>(null);
  // True once hydrated in a browser: only then do clicks set points, so only then is the hint shown.
  const enhanced = useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const update = () => setLine(readFields(props.ids));
    const inputs = Object.values(props.ids).map((id) => document.getElementById(id));
    inputs.forEach((i) => i?.addEventListener("input", update));
    return () => inputs.forEach((i) => i?.removeEventListener("input", update));
  }, [props.ids]);

  const onClick = (e: React.MouseEvent<HTMLDivElement>) => {
    const r = box.current!.getBoundingClientRect();
    const px = Math.min(100, Math.max(0, ((e.clientX - r.left) / r.width) * 100));
    const py = Math.min(100, Math.max(0, ((e.clientY - r.top) / r.height) * 100));
    const first = stage !== "start";
    const set = (k: keyof LineValues, v: number) => {
      const el = document.getElementById(props.ids[k]) as HTMLInputElement | null;
      if (el) el.value = v.toFixed(1);
    };
    set(first ? "x1" : "x2", px);
    set(first ? "y1" : "y2", py);
    setStage(first ? "start" : "end");
    setLine(readFields(props.ids));
  };

  const diag = Math.hypot(W, H);
  let overlay = null;
  if (line) {
    const ax = (line.x1 / 100) * W;
    const ay = (line.y1 / 100) * H;
    const bx = (line.x2 / 100) * W;
    const by = (line.y2 / 100) * H;
    const len = Math.hypot(bx - ax, by - ay) || 1;
    // Unit normal towards side "B", the side a crossing "in" ends on (lib/tracking/counting-line.ts).
    const nx = -(by - ay) / len;
    const ny = (bx - ax) / len;
    const band = (line.band / 100) * diag;
    const mx = (ax + bx) / 2;
    const my = (ay + by) / 2;
    const arrow = 0.08 * diag;
    const tipX = mx + nx * arrow;
    const tipY = my + ny * arrow;
    const head = 0.02 * diag;
    const ux = (bx - ax) / len;
    const uy = (by - ay) / len;
    const stroke = Math.max(2, diag / 400);
    overlay = (
      <g>
        <polygon
          points={[
            [ax + nx * band, ay + ny * band],
            [bx + nx * band, by + ny * band],
            [bx - nx * band, by - ny * band],
            [ax - nx * band, ay - ny * band],
          ]
            .map((p) => p.join(","))
            .join(" ")}
          fill="#ffd400"
          fillOpacity="0.25"
        />
        <line x1={ax} y1={ay} x2={bx} y2={by} stroke="#000" strokeWidth={stroke * 3} />
        <line x1={ax} y1={ay} x2={bx} y2={by} stroke="#ffd400" strokeWidth={stroke * 1.5} />
        <line x1={mx} y1={my} x2={tipX} y2={tipY} stroke="#ffd400" strokeWidth={stroke * 1.5} />
        <polygon
          points={[
            [tipX + nx * head, tipY + ny * head],
            [tipX + ux * head, tipY + uy * head],
            [tipX - ux * head, tipY - uy * head],
          ]
            .map((p) => p.join(","))
            .join(" ")}
          fill="#ffd400"
        />
        <text
          x={tipX + nx * head * 2.5}
          y={tipY + ny * head * 2.5}
          fill="#ffd400"
          stroke="#000"
          strokeWidth={stroke}
          paintOrder="stroke"
          fontSize={diag / 40}
          textAnchor="middle"
          dominantBaseline="middle"
        >
          {props.labels.into}
        </text>
        <circle cx={ax} cy={ay} r={stroke * 3} fill="#fff" stroke="#000" strokeWidth={stroke} />
        <circle cx={bx} cy={by} r={stroke * 3} fill="#000" stroke="#fff" strokeWidth={stroke} />
      </g>
    );
  }
  return (
    <>
      {/* A mouse shortcut only: the same values are set with the numeric fields below. */}
      <div className="still" ref={box} onClick={enhanced ? onClick : undefined} data-testid="still">
        {props.src ? (
          // eslint-disable-next-line @next/next/no-img-element -- a private, no-store image from a route handler
          <img src={props.src} alt={props.alt} width={W} height={H} />
        ) : (
          <svg className="still-placeholder" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.labels.placeholder}>
            <rect width={W} height={H} fill="#e4e4ea" />
            <text x={W / 2} y={H / 2} fontSize={H / 14} fill="#33333d" textAnchor="middle" dominantBaseline="middle">
              {props.labels.placeholder}
            </text>
          </svg>
        )}
        <svg className="still-overlay" viewBox={`0 0 ${W} ${H}`} aria-hidden="true" preserveAspectRatio="none">
          {overlay}
        </svg>
      </div>
      {enhanced && <p className="muted">{props.labels.hint}</p>}
      <p role="status" className="muted" data-testid="click-status">
        {stage === "start" ? props.labels.start : stage === "end" ? props.labels.end : ""}
      </p>
    </>
  );
}
