/**
 * Percentiles over every recorded value (sorted copy). The runs record a few hundred thousand
 * samples at most, so exact order statistics are cheap and need no HDR bucketing.
 */
export interface Summary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

export function summarize(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) =>
    sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return {
    count: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    p999: at(0.999),
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
  };
}

/** A growable list of samples without per-push allocation (Float64Array chunks). */
export class Samples {
  #chunks: Float64Array[] = [];
  #current = new Float64Array(4096);
  #used = 0;

  push(value: number): void {
    if (this.#used === this.#current.length) {
      this.#chunks.push(this.#current);
      this.#current = new Float64Array(this.#current.length * 2);
      this.#used = 0;
    }
    this.#current[this.#used++] = value;
  }

  get length(): number {
    return this.#chunks.reduce((n, c) => n + c.length, 0) + this.#used;
  }

  toArray(): Float64Array {
    const out = new Float64Array(this.length);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    out.set(this.#current.subarray(0, this.#used), offset);
    return out;
  }

  summary(): Summary {
    return summarize(this.toArray());
  }
}
