// One node for all the tests of a file: started before the first, stopped after the last, once
// every client the tests connected through `client()` is closed.
import { after, before } from 'node:test';
import { connect } from '../../src/index.js';
import { startGateway } from './gateway.js';

/**
 * Registers the file's `before` and `after` hooks; call it at the top of a test file.
 * @param {object} [options] startGateway's
 * @returns {{gateway: object, client: (options?: object) => Promise<BusRpcClient>}} `gateway` is the
 *   node once `before` has started it; `client(options)` connects a client that is closed after the tests
 */
export function sharedGateway(options) {
  const clients = [];
  const shared = {
    gateway: undefined,
    async client(clientOptions) {
      const c = await connect(shared.gateway.url, clientOptions);
      clients.push(c);
      return c;
    },
  };
  before(async () => {
    shared.gateway = await startGateway(options);
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await shared.gateway?.close();
  });
  return shared;
}
