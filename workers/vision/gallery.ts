// Gallery matcher: templates in one contiguous Float32Array, scanned with dot products (all
// embeddings are L2-normalised, so the dot product is the cosine similarity). A scan of 100,000
// templates is measured by `npm run bench:vision`.
export type MatchResult = { best?: { id: string; score: number }; second?: { id: string; score: number } };

export class Gallery {
  private ids: string[] = [];
  private index = new Map<string, number>();
  private matrix: Float32Array;

  constructor(readonly dim = 512, capacity = 64) {
    this.matrix = new Float32Array(dim * capacity);
  }

  get size(): number {
    return this.ids.length;
  }

  add(id: string, embedding: Float32Array): void {
    if (embedding.length !== this.dim || this.dim % 4 !== 0) throw new Error(`embedding has ${embedding.length} values, expected ${this.dim}`);
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
  }

  remove(id: string): void {
    const row = this.index.get(id);
    if (row === undefined) return;
    const last = this.ids.length - 1;
    if (row !== last) {
      this.matrix.copyWithin(row * this.dim, last * this.dim, (last + 1) * this.dim);
      const moved = this.ids[last]!;
      this.ids[row] = moved;
      this.index.set(moved, row);
    }
    this.matrix.fill(0, last * this.dim, (last + 1) * this.dim);
    this.ids.pop();
    this.index.delete(id);
  }

  match(q: Float32Array): MatchResult {
    let b1 = -Infinity, b2 = -Infinity, i1 = -1, i2 = -1;
    const d = this.dim, m = this.matrix;
    for (let r = 0; r < this.ids.length; r++) {
      // Four independent accumulators: lets the JIT pipeline the multiply-adds (about 2x faster).
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      const off = r * d;
      for (let k = 0; k < d; k += 4) {
        s0 += m[off + k]! * q[k]!;
        s1 += m[off + k + 1]! * q[k + 1]!;
        s2 += m[off + k + 2]! * q[k + 2]!;
        s3 += m[off + k + 3]! * q[k + 3]!;
      }
      const s = s0 + s1 + s2 + s3;
      if (s > b1) {
        b2 = b1; i2 = i1; b1 = s; i1 = r;
      } else if (s > b2) {
        b2 = s; i2 = r;
      }
    }
    return {
      best: i1 >= 0 ? { id: this.ids[i1]!, score: b1 } : undefined,
      second: i2 >= 0 ? { id: this.ids[i2]!, score: b2 } : undefined,
    };
  }
}

/** A match needs the best score over the threshold and a margin over the second best. */
export function isMatch(r: MatchResult, threshold: number, margin: number): boolean {
  if (!r.best || r.best.score < threshold) return false;
  return !r.second || r.best.score - r.second.score >= margin;
}
