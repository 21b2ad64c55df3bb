/**
 * Cheap structural check before anything is stored: a JPEG starts with SOI + a marker and ends with
 * EOI. Full decoding (and rejection of corrupt data inside) happens in the worker with sharp.
 */
export function looksLikeJpeg(b: Uint8Array): boolean {
  return (
    b.length >= 125 &&
    b[0] === 0xff &&
    b[1] === 0xd8 &&
    b[2] === 0xff &&
    b[b.length - 2] === 0xff &&
    b[b.length - 1] === 0xd9
  );
}
