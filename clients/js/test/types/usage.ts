// Compiled (never run) by types.test.js with tsc --strict: the README's uses of the client must type-check
// against index.d.ts, and the misuses marked @ts-expect-error must not.
import { connect, ErrorCodes, RpcError, BusRpcClient, backoffDelay, type LoginResult, type CloseEvent } from 'busrpc';

export async function example(): Promise<number> {
  const client: BusRpcClient = await connect('ws://127.0.0.1:7070/rpc', { callTimeout: 5000, reconnect: true });
  client.register('chat.receive', (params) => {
    if (params === undefined || Array.isArray(params)) {
      throw new RpcError(-32602, 'named params expected', { got: params ?? null });
    }
    return `got ${String(params.text)}`;
  });
  client.register('chat.receive', null);
  const off = client.on('close', (event: CloseEvent) => console.log(event.code, event.willReconnect, event.replaced));
  off();
  client.on('reconnect', ({ attempts, login, loginError }) => console.log(attempts, login?.uid, loginError?.code));
  client.on('notification', ({ method, params }) => console.log(method, params));
  const resuming = await connect('ws://127.0.0.1:7070/rpc', { resume: true });
  resuming.on('sessionlost', ({ error }) => console.log(error.code));
  resuming.on('reconnect', ({ resumed }) => console.log(resumed === true));
  console.log((await resuming.login({ uid: 'ann' })).resume?.window);
  client.once('replaced', ({ reason }) => console.log(reason));
  const login: LoginResult = await client.login({ uid: 'alice' });
  console.log(login.uid, login.roles.length, login.connection);
  const difference = await client.call<number>('subtract', [42, 23], { timeout: 1000 });
  await client.notify('chat.say', { room: 'lobby', text: 'hi' });
  try {
    await client.call('subtract', { minuend: 1 });
  } catch (e) {
    if (RpcError.is(e) && e.code === ErrorCodes.INVALID_PARAMS) {
      console.log(e.message, e.data);
    }
  }
  // @ts-expect-error params must be an array or an object
  await client.call('echo', 'x');
  // @ts-expect-error no such event
  client.on('opened', () => {});
  // @ts-expect-error timeout is a number of ms
  await client.call('echo', [], { timeout: '5s' });
  await client.logout();
  await client.close();
  return difference + backoffDelay(1, { initialDelay: 100, maxDelay: 5000 });
}
