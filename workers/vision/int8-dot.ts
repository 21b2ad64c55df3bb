// A WebAssembly SIMD kernel for the gallery's first pass: int8 templates times an int8 query,
// 16 values per step (i16x8.extmul of int8 pairs, pairwise sums into i32x4), one int32 per template. The module is
// assembled here byte by byte (no toolchain, no file to fetch); WebAssembly.validate decides
// whether this Node has SIMD, else the gallery scans in float only.

const u = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const simd = (op: number, ...imm: number[]) => [0xfd, ...u(op), ...imm];
const name = (s: string) => {
  const b = [...new TextEncoder().encode(s)];
  return [...u(b.length), ...b];
};
const section = (id: number, body: number[]) => [id, ...u(body.length), ...body];

// Parameters: 0 tpl (byte offset of the int8 rows, nBlocks x 4 rows of `dim` values), 1 q (int8
// query), 2 nBlocks, 3 out (4 x nBlocks int32). Locals: 4 b, 5 k, 6 p (i32); 7 q, 8 t, 9-12 acc
// (v128). Four rows share each query load; `dim` is baked into the load offsets.
const I32 = 0x7f,
  V128 = 0x7b;
const get = (i: number) => [0x20, i],
  set = (i: number) => [0x21, i],
  tee = (i: number) => [0x22, i];
const i32 = (n: number) => [0x41, ...sleb(n)];
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}
function kernel(dim: number): Uint8Array<ArrayBuffer> {
  const acc = [9, 10, 11, 12];
  const body = [
    2,
    3,
    I32,
    6,
    V128, // locals: 3 x i32, 6 x v128
    ...get(0),
    ...set(6), // p = tpl
    0x02,
    0x40, // block $done
    0x03,
    0x40, // loop $blocks
    ...get(4),
    ...get(2),
    0x4f,
    0x0d,
    1, // br_if $done (b >= nBlocks)
    ...acc.flatMap((a) => [...simd(0x0c, ...new Array(16).fill(0)), ...set(a)]),
    ...i32(0),
    ...set(5), // k = 0
    0x03,
    0x40, // loop $cols
    ...get(1),
    ...get(5),
    0x6a,
    ...simd(0x00, 0, 0),
    ...set(7), // q = load(q + k)
    ...acc.flatMap((a, j) => [
      ...get(6),
      ...simd(0x00, 0, ...u(j * dim)),
      ...set(8), // t = row j, values k..k+16
      ...get(a),
      ...get(8),
      ...get(7),
      ...simd(0x9c),
      ...get(8),
      ...get(7),
      ...simd(0x9d),
      ...simd(0x8e), // i16: lo + hi products (|sum| <= 2 x 127 x 127)
      ...simd(0x7e),
      ...simd(0xae),
      ...set(a), // acc += pairwise i32 sums
    ]),
    ...get(6),
    ...i32(16),
    0x6a,
    ...set(6), // p += 16
    ...get(5),
    ...i32(16),
    0x6a,
    ...tee(5),
    ...i32(dim),
    0x49,
    0x0d,
    0, // br_if $cols (k < dim)
    0x0b, // end $cols
    ...get(6),
    ...i32(3 * dim),
    0x6a,
    ...set(6), // p: next block of four rows
    ...acc.flatMap((a, j) => [
      ...get(3),
      ...get(a),
      ...simd(0x1b, 0),
      ...get(a),
      ...simd(0x1b, 1),
      0x6a,
      ...get(a),
      ...simd(0x1b, 2),
      0x6a,
      ...get(a),
      ...simd(0x1b, 3),
      0x6a,
      0x36,
      2,
      ...u(j * 4), // out[j] = lane sum
    ]),
    ...get(3),
    ...i32(16),
    0x6a,
    ...set(3), // out += 4 rows
    ...get(4),
    ...i32(1),
    0x6a,
    ...set(4), // b++
    0x0c,
    0, // br $blocks
    0x0b,
    0x0b, // end $blocks, end $done
    0x0b, // end function
  ];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 4, I32, I32, I32, I32, 0]), // one type: (i32 x4) -> ()
    ...section(2, [1, ...name("m"), ...name("memory"), 0x02, 0x00, 1]), // import m.memory, min 1 page
    ...section(3, [1, 0]), // one function of type 0
    ...section(7, [1, ...name("dots"), 0x00, 0]), // export it
    ...section(10, [1, ...u(body.length), ...body]),
  ]);
}

const compiled = new Map<number, WebAssembly.Module | null>();

/** The compiled kernel for `dim` (a multiple of 16), or null where WebAssembly SIMD is not available. */
export function int8DotModule(dim: number): WebAssembly.Module | null {
  if (!compiled.has(dim)) {
    const bytes = kernel(dim);
    compiled.set(dim, dim % 16 === 0 && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null);
  }
  return compiled.get(dim)!;
}

/** Scores of 4 x nBlocks int8 rows at `tpl` against the int8 query at `q`, into int32s at `out`. */
export type Int8Dots = (tpl: number, q: number, nBlocks: number, out: number) => void;
