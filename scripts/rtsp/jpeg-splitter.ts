// Splits the byte stream of `ffmpeg -f image2pipe -c:v mjpeg -` into whole JPEG images. Each image
// runs from SOI (FF D8) to EOI (FF D9); inside the entropy-coded data an FF byte is always followed
// by 00 or a restart marker, so the first FF D9 after an SOI ends that image.
export class JpegSplitter {
  private buf: Buffer = Buffer.alloc(0);

  /** Feeds a chunk; returns the images it completed (possibly none). */
  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Buffer[] = [];
    for (;;) {
      const start = this.buf.indexOf(SOI);
      if (start < 0) {
        // Keep a trailing FF: it may be the first half of the next SOI.
        this.buf = this.buf.at(-1) === 0xff ? this.buf.subarray(-1) : Buffer.alloc(0);
        return out;
      }
      const end = this.buf.indexOf(EOI, start + 2);
      if (end < 0) {
        this.buf = this.buf.subarray(start);
        return out;
      }
      out.push(Buffer.from(this.buf.subarray(start, end + 2)));
      this.buf = this.buf.subarray(end + 2);
    }
  }

  /** Bytes held for an image not yet complete (bounded by the caller: see bridge.ts). */
  get pending(): number {
    return this.buf.length;
  }

  reset(): void {
    this.buf = Buffer.alloc(0);
  }
}

const SOI = Buffer.from([0xff, 0xd8]);
const EOI = Buffer.from([0xff, 0xd9]);
