/**
 * Faults draw from the same seeded PRNG as the model's ids (mulberry32), so a run with the same `randomSeed` and the
 * same sequence of calls injects the same faults.
 */
export { seededRandom as mulberry32 } from "../model/ids";
