import { describe, expect, it } from "vitest";
import QRCode from "qrcode";
import { db } from "../db.ts";
import { makeStore, publishNotice } from "../../tests/fixtures.ts";
import { env } from "../env.ts";
import { messages } from "../i18n/messages.ts";
import { LOCALES } from "../i18n/locales.ts";
import { renderStoreSign, wrapText } from "./render-store-sign.ts";

// The printed sign (PIPL art. 26): an A4 SVG per store and language with the notice's own text
// and a QR code of the notice's address, never of a check-in.
describe("printed sign", () => {
  it("is an A4 page with the controller, purposes, retention and complaint text of the store's notice, and a QR code to the notice", async () => {
    const store = await makeStore();
    await db().store.update({ where: { id: store.id }, data: { complaintAuthority: 'Authority <&> "Test"' } });
    await publishNotice(store.id, 2, false); // the sign shows the latest notice's text
    for (const locale of LOCALES) {
      const { svg, noticeUrl } = await renderStoreSign({ storeSlug: store.slug, locale });
      expect(noticeUrl).toBe(new URL(`/s/${store.slug}`, env().APP_URL).toString());
      expect(svg).toContain('width="210mm" height="297mm" viewBox="0 0 210 297"');
      const qr = await QRCode.toString(noticeUrl, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
      expect(svg).toContain(qr.match(/<path[^>]*d="[^"]+"/g)!.at(-1)!);
      expect(svg).not.toContain("/here");
      const m = messages(locale);
      // What a reader sees: the text of every line, entities decoded, line breaks (and spaces) aside.
      const unescape = (t: string) =>
        t
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">")
          .replace(/&quot;/g, '"')
          .replace(/&apos;/g, "'")
          .replace(/&amp;/g, "&");
      const visible = unescape([...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((x) => x[1]).join("")).replace(
        /\s+/g,
        "",
      );
      const sees = (t: string) => expect(visible).toContain(t.replace(/\s+/g, ""));
      for (const t of [
        m.sign.heading,
        m.sign.scan,
        m.sign.consent,
        m.notice.controller,
        m.notice.purposes,
        m.notice.retention,
        m.notice.complaint,
        m.notice.presence,
        store.name,
        "Test Controller",
        "privacy@test.invalid",
        'Authority <&> "Test"',
        noticeUrl,
      ])
        sees(t);
      expect(svg).toContain("Authority &lt;&amp;&gt;");
      expect(svg).not.toContain("Authority <&>");
    }
  });

  it("wraps Latin text at spaces and Chinese between characters, within the width", () => {
    expect(wrapText("one two three four", 5)).toEqual(["one two", "three", "four"]);
    const zh = wrapText("本区域使用摄像头人脸分析", 4);
    expect(zh.join("")).toBe("本区域使用摄像头人脸分析");
    expect(zh.every((l) => [...l].length <= 4)).toBe(true);
  });
});
