// node examples/hello.js [ws://127.0.0.1:7070/rpc] — against the demo (conf/busrpc.json).
// Two clients: bob answers the calls the server makes to him; alice calls methods and bob.
import { connect, RpcError } from '../src/index.js';

const url = process.argv[2] ?? 'ws://127.0.0.1:7070/rpc';

const bob = await connect(url);
bob.register('chat.receive', ({ from, text }) => `bob read "${text}" from ${from}`);
await bob.login({ uid: 'bob' });

const alice = await connect(url);
alice.on('notification', ({ method, params }) => console.log('notification', method, JSON.stringify(params)));
console.log('login', JSON.stringify(await alice.login({ uid: 'alice' })));
console.log('subtract', await alice.call('subtract', [42, 23]));
console.log('chat.send', await alice.call('chat.send', { to: 'bob', text: 'hi' }));
await alice.call('chat.join', { room: 'lobby' });
await alice.call('chat.say', { room: 'lobby', text: 'hello, lobby' });
try {
  await alice.call('chat.send', { to: 'carol', text: 'hi' });
} catch (e) {
  console.log('chat.send to carol', e instanceof RpcError, e.code, e.message);
}
await Promise.all([alice.close(), bob.close()]);
