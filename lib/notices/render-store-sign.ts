import QRCode from "qrcode";
import { env } from "../env.ts";
import { messages } from "../i18n/messages.ts";
import type { Locale } from "../i18n/locales.ts";
import { loadStoreNotice } from "./load-store-notice.ts";
import { pickNoticeText } from "./pick-notice-text.ts";

// The printed sign at the store's entrance and camera areas (PIPL art. 26: a prominent sign), an
// A4 page in SVG (millimetres): who is responsible, what the cameras do, what is kept, where to
// complain, in the store's current notice text, and a static QR code that leads to the notice
// only. It never checks anyone in (decision 7).
const PAGE = { width: 210, height: 297, margin: 16 };
const FONT =
  "'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', 'Helvetica Neue', Arial, sans-serif";

const escapeXml = (s: string) =>
  s.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!);

// Wide (CJK, full-width) characters take about 1 em, others about 0.55 em.
const wide = (c: string) =>
  /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(c);
const charWidth = (c: string) => (wide(c) ? 1 : c === " " ? 0.3 : 0.55);

/** Greedy line breaking by estimated width: at spaces for Latin text, between any characters for CJK. */
export function wrapText(text: string, maxEm: number): string[] {
  const lines: string[] = [];
  let line = "";
  let width = 0;
  const tokens =
    text.match(
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[^\s\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]+|\s+/gu,
    ) ?? [];
  for (const token of tokens) {
    const w = [...token].reduce((n, c) => n + charWidth(c), 0);
    if (/^\s+$/.test(token)) {
      if (line) {
        line += " ";
        width += 0.3;
      }
      continue;
    }
    if (width + w > maxEm && line.trim()) {
      lines.push(line.trimEnd());
      line = "";
      width = 0;
    }
    line += token;
    width += w;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

export async function renderStoreSign(opts: {
  storeSlug: string;
  locale: Locale;
}): Promise<{ svg: string; noticeUrl: string }> {
  const { store, notice } = await loadStoreNotice(opts.storeSlug);
  const m = messages(opts.locale);
  const text = pickNoticeText(notice.texts, opts.locale, store.defaultLocale);
  const s = text.sections;
  const noticeUrl = new URL(`/s/${store.slug}`, env().APP_URL).toString();
  const mode = !store.recognitionEnabled
    ? m.notice.recognitionOff
    : store.recognitionMode === "ALWAYS"
      ? m.notice.always
      : m.notice.presence;

  const out: string[] = [];
  const width = PAGE.width - 2 * PAGE.margin;
  let y = PAGE.margin;
  const block = (
    content: string,
    size: number,
    opts2: { bold?: boolean; x?: number; maxWidth?: number; gap?: number } = {},
  ) => {
    const x = opts2.x ?? PAGE.margin;
    for (const line of wrapText(content, (opts2.maxWidth ?? width) / size)) {
      y += size * 1.25;
      out.push(
        `<text x="${x}" y="${y.toFixed(2)}" font-size="${size}"${opts2.bold ? ' font-weight="700"' : ""}>${escapeXml(line)}</text>`,
      );
    }
    y += opts2.gap ?? size * 0.5;
  };

  // Heading band, then the QR code beside the store's name.
  out.push(`<rect x="0" y="0" width="${PAGE.width}" height="30" fill="#1a1a2e"/>`);
  out.push(
    `<text x="${PAGE.margin}" y="19" font-size="9" font-weight="700" fill="#ffffff">${escapeXml(m.sign.heading)}</text>`,
  );
  y = 38;
  const qrSize = 56;
  const qr = await QRCode.toString(noticeUrl, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  out.push(
    qr.replace(
      "<svg ",
      `<svg x="${PAGE.width - PAGE.margin - qrSize}" y="${y}" width="${qrSize}" height="${qrSize}" data-qr="notice" `,
    ),
  );
  const beside = width - qrSize - 6;
  block(store.name, 8, { bold: true, maxWidth: beside, gap: 3 });
  block(text.title, 5, { maxWidth: beside, gap: 3 });
  block(m.sign.scan, 4.2, { bold: true, maxWidth: beside, gap: 1 });
  block(noticeUrl, 3.6, { maxWidth: beside });
  y = Math.max(y, 38 + qrSize) + 6;

  const section = (heading: string, body: string[]) => {
    block(heading, 5, { bold: true, gap: 1 });
    for (const b of body) block(b, 3.6, { gap: 1.6 });
    y += 2;
  };
  section(m.notice.controller, [s.controller]);
  section(m.notice.purposes, [
    `${m.notice.footfall}: ${s.footfall}`,
    `${m.notice.recognition}: ${s.recognition}`,
    mode,
    `${m.notice.demographics}: ${s.demographics}`,
    m.sign.consent,
  ]);
  section(m.notice.retention, [s.retention]);
  section(m.notice.complaint, [s.rights, s.complaint]);
  out.push(
    `<text x="${PAGE.margin}" y="${PAGE.height - 8}" font-size="3">${escapeXml(m.notice.version(notice.version, notice.publishedAt.toISOString().slice(0, 10)))}</text>`,
  );

  const svg = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PAGE.width}mm" height="${PAGE.height}mm" viewBox="0 0 ${PAGE.width} ${PAGE.height}" lang="${escapeXml(opts.locale)}" font-family="${escapeXml(FONT)}" fill="#111111">`,
    `<title>${escapeXml(`${m.sign.heading} — ${store.name}`)}</title>`,
    `<rect width="${PAGE.width}" height="${PAGE.height}" fill="#ffffff"/>`,
    ...out,
    `</svg>`,
  ].join("\n");
  return { svg, noticeUrl };
}
