/** Where the sessions service reads the time (a fixed or moving clock in tests). */
export interface Clock {
  now(): Date;
}

/** Injection token of the `Clock`. */
export const CLOCK = 'SESSIONS_CLOCK';

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };
