/** A token bucket: at most `perSecond` takes a second, with bursts up to one second's worth. */
export class Throttle {
  private tokens: number;
  private last = performance.now();

  constructor(private readonly perSecond: number | null) {
    this.tokens = perSecond ?? 0;
  }

  async take(): Promise<void> {
    const rate = this.perSecond;
    if (rate === null) return;
    for (;;) {
      const now = performance.now();
      this.tokens = Math.min(rate, this.tokens + ((now - this.last) / 1000) * rate);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(((1 - this.tokens) / rate) * 1000)));
    }
  }
}
