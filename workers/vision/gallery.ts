// Gallery matcher. Templates live in one contiguous Float32Array (the exact scores) and, for
// galleries of more than EXACT_BELOW templates, in an int8 copy inside WebAssembly memory with a
// scale and the quantisation error's norm per row. A match scans the int8 copy with a SIMD
// kernel (int8-dot.ts), bounds each row's exact score from its int8 score, and re-scores in float
// only the rows whose bound can still reach the top two: the result is the exact scan's, bit for
// bit, ties included (a unit test compares it with a naive scan). `npm run bench:vision` times
// 100,000 templates.
import { int8DotModule, type Int8Dots } from "./int8-dot.ts";

export type MatchResult = { best?: { id: string; score: number }; second?: { id: string; score: number } };

const EXACT_BELOW = 512;
const PAGE = 65536;

/** The float score of one row: four independent accumulators (the JIT pipelines them). */
function dotRow(m: Float32Array, off: number, q: Float32Array, d: number): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  for (let k = 0; k < d; k += 4) {
    s0 += m[off + k]! * q[k]!;
    s1 += m[off + k + 1]! * q[k + 1]!;
    s2 += m[off + k + 2]! * q[k + 2]!;
    s3 += m[off + k + 3]! * q[k + 3]!;
  }
  return s0 + s1 + s2 + s3;
}

/** Quantises v to int8 with one scale; returns the scale and the norms of v and of its error. */
function quantise(v: Float32Array, into: Int8Array, at: number): { scale: number; norm: number; errNorm: number } {
  let max = 0;
  for (let k = 0; k < v.length; k++) max = Math.max(max, Math.abs(v[k]!));
  const scale = max > 0 ? max / 127 : 1;
  let norm = 0,
    err = 0;
  for (let k = 0; k < v.length; k++) {
    const x = v[k]!;
    const qv = Math.max(-127, Math.min(127, Math.round(x / scale)));
    into[at + k] = qv;
    norm += x * x;
    err += (x - qv * scale) ** 2;
  }
  return { scale, norm: Math.sqrt(norm), errNorm: Math.sqrt(err) };
}

class Int8Copy {
  private memory!: WebAssembly.Memory;
  private dots!: Int8Dots;
  private q8!: Int8Array;
  private out!: Int32Array;
  rows!: Int8Array;
  scale = new Float64Array(0);
  norm = new Float64Array(0);
  errNorm = new Float64Array(0);
  private outAt = 0;
  private rowsAt = 0;

  constructor(
    private readonly module: WebAssembly.Module,
    readonly dim: number,
    public capacity: number,
  ) {
    this.layout(capacity, null);
  }

  private layout(capacity: number, old: Int8Array | null): void {
    capacity = Math.ceil(capacity / 4) * 4; // the kernel scores four rows at a time
    const qBytes = Math.ceil(this.dim / 16) * 16;
    this.outAt = qBytes;
    this.rowsAt = qBytes + Math.ceil((capacity * 4) / 16) * 16;
    const pages = Math.ceil((this.rowsAt + capacity * this.dim) / PAGE);
    this.memory = new WebAssembly.Memory({ initial: pages });
    this.dots = new WebAssembly.Instance(this.module, { m: { memory: this.memory } }).exports.dots as Int8Dots;
    this.q8 = new Int8Array(this.memory.buffer, 0, this.dim);
    this.out = new Int32Array(this.memory.buffer, this.outAt, capacity);
    this.rows = new Int8Array(this.memory.buffer, this.rowsAt, capacity * this.dim);
    if (old) this.rows.set(old.subarray(0, Math.min(old.length, this.rows.length)));
    const grow = (a: Float64Array) => {
      const b = new Float64Array(capacity);
      b.set(a.subarray(0, Math.min(a.length, capacity)));
      return b;
    };
    this.scale = grow(this.scale);
    this.norm = grow(this.norm);
    this.errNorm = grow(this.errNorm);
    this.capacity = capacity;
  }

  ensure(rows: number): void {
    if (rows > this.capacity) this.layout(Math.max(rows, this.capacity * 2), this.rows);
  }

  set(row: number, v: Float32Array): void {
    const r = quantise(v, this.rows, row * this.dim);
    this.scale[row] = r.scale;
    this.norm[row] = r.norm;
    this.errNorm[row] = r.errNorm;
  }

  move(from: number, to: number): void {
    this.rows.copyWithin(to * this.dim, from * this.dim, (from + 1) * this.dim);
    this.scale[to] = this.scale[from]!;
    this.norm[to] = this.norm[from]!;
    this.errNorm[to] = this.errNorm[from]!;
  }

  /** Int8 scores of rows 0..n-1 against q, with the query's own scale and error norms. */
  scan(q: Float32Array, n: number): { ints: Int32Array; scale: number; qHatNorm: number; qErrNorm: number } {
    const r = quantise(q, this.q8, 0);
    let hat = 0;
    for (let k = 0; k < this.dim; k++) hat += (this.q8[k]! * r.scale) ** 2;
    this.dots(this.rowsAt, 0, Math.ceil(n / 4), this.outAt);
    return { ints: this.out, scale: r.scale, qHatNorm: Math.sqrt(hat), qErrNorm: r.errNorm };
  }
}

export class Gallery {
  private ids: string[] = [];
  private index = new Map<string, number>();
  private matrix: Float32Array;
  private int8: Int8Copy | null;
  private keep = new Int32Array(0);

  constructor(
    readonly dim = 512,
    capacity = 64,
  ) {
    this.matrix = new Float32Array(dim * capacity);
    const kernel = dim % 16 === 0 ? int8DotModule(dim) : null;
    this.int8 = kernel ? new Int8Copy(kernel, dim, capacity) : null;
  }

  get size(): number {
    return this.ids.length;
  }

  add(id: string, embedding: Float32Array): void {
    if (embedding.length !== this.dim || this.dim % 4 !== 0)
      throw new Error(`embedding has ${embedding.length} values, expected ${this.dim}`);
    const existing = this.index.get(id);
    const row = existing ?? this.ids.length;
    if (existing === undefined) {
      if ((row + 1) * this.dim > this.matrix.length) {
        const grown = new Float32Array(this.matrix.length * 2);
        grown.set(this.matrix);
        this.matrix = grown;
      }
      this.ids.push(id);
      this.index.set(id, row);
    }
    this.matrix.set(embedding, row * this.dim);
    this.int8?.ensure(row + 1);
    this.int8?.set(row, embedding);
  }

  remove(id: string): void {
    const row = this.index.get(id);
    if (row === undefined) return;
    const last = this.ids.length - 1;
    if (row !== last) {
      this.matrix.copyWithin(row * this.dim, last * this.dim, (last + 1) * this.dim);
      this.int8?.move(last, row);
      const moved = this.ids[last]!;
      this.ids[row] = moved;
      this.index.set(moved, row);
    }
    this.matrix.fill(0, last * this.dim, (last + 1) * this.dim);
    this.ids.pop();
    this.index.delete(id);
  }

  match(q: Float32Array): MatchResult {
    const n = this.ids.length;
    return this.int8 && n >= EXACT_BELOW && q.length === this.dim
      ? this.matchInt8(q, this.int8)
      : this.pick(q, null, 0, n);
  }

  /** Top two by (score descending, row ascending) among `rows` (or rows 0..n-1), exact float scores. */
  private pick(q: Float32Array, rows: Int32Array | null, count: number, n: number): MatchResult {
    let b1 = -Infinity,
      b2 = -Infinity,
      i1 = -1,
      i2 = -1;
    const d = this.dim,
      m = this.matrix;
    const total = rows ? count : n;
    for (let j = 0; j < total; j++) {
      const r = rows ? rows[j]! : j;
      const s = dotRow(m, r * d, q, d);
      if (s > b1) {
        b2 = b1;
        i2 = i1;
        b1 = s;
        i1 = r;
      } else if (s > b2) {
        b2 = s;
        i2 = r;
      }
    }
    return {
      best: i1 >= 0 ? { id: this.ids[i1]!, score: b1 } : undefined,
      second: i2 >= 0 ? { id: this.ids[i2]!, score: b2 } : undefined,
    };
  }

  /**
   * With t = s_t·t̂ + e_t and q = s_q·q̂ + e_q, |q·t − s_q·s_t·(q̂·t̂)| ≤ |s_q·q̂|·|e_t| + |e_q|·|t|.
   * A row whose upper bound is below the second-highest lower bound cannot be in the top two; the
   * rest (a handful) are re-scored exactly, in row order, by the same rule as the full scan.
   */
  private matchInt8(q: Float32Array, c: Int8Copy): MatchResult {
    const n = this.ids.length;
    const { ints, scale, qHatNorm, qErrNorm } = c.scan(q, n);
    const slack = 1e-9;
    let l1 = -Infinity,
      l2 = -Infinity;
    for (let r = 0; r < n; r++) {
      const lo = scale * c.scale[r]! * ints[r]! - (qHatNorm * c.errNorm[r]! + qErrNorm * c.norm[r]!) - slack;
      if (lo > l1) {
        l2 = l1;
        l1 = lo;
      } else if (lo > l2) l2 = lo;
    }
    if (this.keep.length < n) this.keep = new Int32Array(Math.max(n, this.keep.length * 2));
    const keep = this.keep;
    let count = 0;
    for (let r = 0; r < n; r++) {
      const hi = scale * c.scale[r]! * ints[r]! + (qHatNorm * c.errNorm[r]! + qErrNorm * c.norm[r]!) + slack;
      if (hi >= l2 || Number.isNaN(hi)) keep[count++] = r;
    }
    return this.pick(q, keep, count, n);
  }
}

/** A match needs the best score over the threshold and a margin over the second best. */
export function isMatch(r: MatchResult, threshold: number, margin: number): boolean {
  if (!r.best || r.best.score < threshold) return false;
  return !r.second || r.best.score - r.second.score >= margin;
}
