/**
 * The mock's time. Scenario time 0 is `t0`; when the mock starts it is `history` into the
 * scenario, and from then on scenario time runs `speed` times as fast as the wall clock.
 * Requests carry wall-clock times ("now", or an --at in the past); they map onto scenario time
 * the same way, so with speed 1 the mock's timestamps are simply real time.
 */
export class MockClock {
  readonly t0: number;

  constructor(
    readonly history: number,
    readonly speed = 1,
    readonly wallStart = Date.now() / 1000,
    /** The wall clock, in unix seconds; replaceable so tests are deterministic. */
    private readonly wall: () => number = () => Date.now() / 1000,
  ) {
    this.t0 = wallStart - history;
  }

  /** Mock unix time for a wall-clock unix time. */
  toMock(wall: number): number {
    return this.t0 + this.history + (wall - this.wallStart) * this.speed;
  }

  now(): number {
    return this.toMock(this.wall());
  }

  /** Seconds since the scenario began, at a mock unix time. */
  scenarioTime(mock: number): number {
    return mock - this.t0;
  }
}
