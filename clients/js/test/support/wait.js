// Waiting for events in tests, without fixed sleeps: each wait ends as soon as its condition holds,
// and fails with a clear message when it has not held within its limit.

/** The first argument of the next `event` of `emitter`, within `limit` ms. */
export function nextEvent(emitter, event, limit = 15000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} event within ${limit} ms`));
    }, limit);
    const off = emitter.once(event, (value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/** Runs `check` (which throws while its condition does not hold) until it passes, for up to `limit` ms. */
export async function eventually(check, limit = 15000, every = 20) {
  const deadline = Date.now() + limit;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() >= deadline) {
        throw e;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

/**
 * Watches a promise from now on and returns a function giving it back: a call's rejection that
 * comes before the test awaits it is then not an unhandled rejection (which fails a test by itself).
 */
export function settled(promise) {
  promise.catch(() => {});
  return () => promise;
}
