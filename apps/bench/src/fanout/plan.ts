// How big the fan-out scenario is: the 200 streams and 500 changes/s, or
// a small version for the CI smoke run.

export interface FanoutPlan {
  readonly users: number;
  readonly streamsPerUser: number;
  /** Changes per second, over all users. */
  readonly rate: number;
  /** Seeded tasks per user, which the writer toggles. */
  readonly tasksPerUser: number;
}

export const FULL_FANOUT: FanoutPlan = {
  users: 20,
  streamsPerUser: 10,
  rate: 500,
  tasksPerUser: 50,
};
export const SMOKE_FANOUT: FanoutPlan = {
  users: 4,
  streamsPerUser: 4,
  rate: 100,
  tasksPerUser: 10,
};

/** Instances of the project server, on one database: streams and writes alternate between them. */
export const INSTANCES = 2;

export function fanoutUserId(index: number): string {
  return `bench-fanout-${index + 1}`;
}
