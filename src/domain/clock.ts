/** Time is injected so that tests control it (style rule 8). */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/** A clock that only moves when told to. */
export class FakeClock implements Clock {
  constructor(private currentMs = Date.UTC(2026, 10, 27, 12, 0, 0)) {}
  now(): number {
    return this.currentMs;
  }
  advance(ms: number): void {
    this.currentMs += ms;
  }
  set(ms: number): void {
    this.currentMs = ms;
  }
}
