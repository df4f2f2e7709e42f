/**
 * The delay before reconnection attempt number `attempt` (1, 2, ...): exponential from
 * `initialDelay`, capped at `maxDelay`, with "equal jitter" (a random point in the upper half of
 * the step), so that clients dropped together by a restart do not all come back at the same instant
 * while each still waits at least half its step.
 *
 * @param {number} attempt 1 for the first attempt after a drop
 * @param {{initialDelay: number, maxDelay: number}} limits in ms
 * @param {() => number} [random] a number in [0, 1); Math.random unless given (tests)
 * @returns {number} ms
 */
export function backoffDelay(attempt, { initialDelay, maxDelay }, random = Math.random) {
  const step = Math.min(maxDelay, initialDelay * 2 ** Math.max(0, attempt - 1));
  return step / 2 + random() * (step / 2);
}
