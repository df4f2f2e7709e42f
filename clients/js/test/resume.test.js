// Session resume in the JavaScript client (docs/PROTOCOL.md section 8) against a real node: the
// test cuts the client's WebSocket (terminate(): no close frame, as when a phone loses its network)
// at random moments while numbered room messages and server→client calls flow to it and while it
// calls the server. The application must see every message once and in order and every call
// answered once; a session the gateway ended meanwhile ends in a fresh login the application is told of.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebSocket as NodeWebSocket } from 'ws';
import { ErrorCodes } from '../src/index.js';
import { sharedGateway } from './support/shared-gateway.js';
import { eventually, nextEvent, settled } from './support/wait.js';

const MESSAGES = 1000;
const SERVER_CALLS = 100;
const CLIENT_CALLS = 200;
const MIN_CUTS = 12;

const shared = sharedGateway();
const { client } = shared;

/**
 * A WebSocket class whose current socket the test can cut, and whose new ones it can keep from
 * connecting. A cut loses what the client sends from then on, and terminates the socket a little
 * later (`lossMs`, up to 30 ms): a network that dies while both sides are still writing.
 */
function cuttable() {
  const state = { current: null, down: false };
  class CuttableWebSocket extends NodeWebSocket {
    lost = false;

    constructor(url, ...rest) {
      // Port 1 refuses: the network is down.
      super(state.down ? 'ws://127.0.0.1:1/rpc' : url, ...rest);
      state.current = this;
    }

    send(data, ...rest) {
      if (!this.lost) {
        super.send(data, ...rest);
      }
    }
  }
  return {
    WebSocket: CuttableWebSocket,
    /** @returns whether there was a connection to cut (one already cut does not count twice) */
    cut(lossMs = 0) {
      const ws = state.current;
      if (!ws || ws.lost) {
        return false;
      }
      ws.lost = true;
      setTimeout(() => ws.terminate(), lossMs);
      return true;
    },
    down(isDown) {
      state.down = isDown;
    },
  };
}

test('across random cuts every message arrives once and in order, every call is answered once', async () => {
  const seed = Date.now();
  let random = seed;
  const next = (n) => {
    random = (random * 1103515245 + 12345) % 2147483648;
    return random % n;
  };
  const run = `seed ${seed}`;
  const link = cuttable();
  // Cuts at random moments in time, and at random points of the flow too: a fast machine delivers
  // everything within a few cut delays, and the test still needs its cuts.
  const spacing = Math.floor(MESSAGES / (MIN_CUTS + 1));
  const cutPoints = Array.from({ length: MIN_CUTS }, (_, i) => (i + 1) * spacing + next(spacing / 2));
  let cuts = 0;
  const rita = await client({ resume: true, WebSocket: link.WebSocket, reconnectInitialDelay: 5, reconnectMaxDelay: 50 });
  const chats = [];
  const asks = [];
  const wrong = [];
  const lost = [];
  rita.on('notification', ({ method, params }) => {
    if (method === 'chat.message') {
      const n = Number(params.text);
      if (n !== chats.length) {
        wrong.push(`room message ${n} after ${chats.length} messages`);
      }
      chats.push(n);
      if (cutPoints.length > 0 && chats.length >= cutPoints[0] && link.cut(next(30))) {
        cutPoints.shift();
        cuts++;
      }
    }
  });
  rita.register('chat.receive', ({ text }) => {
    const c = Number(text);
    if (c !== asks.length) {
      wrong.push(`server call ${c} after ${asks.length} calls`);
    }
    asks.push(c);
    return `rita got ${c}`;
  });
  rita.on('sessionlost', ({ error }) => lost.push(`${error.code} ${error.message} ${JSON.stringify(error.data)}`));
  const login = await rita.login({ uid: 'rita' });
  assert.ok(login.resume?.token, `the gateway grants resume: ${JSON.stringify(login)}`);
  await rita.call('chat.join', { room: 'rita-room' });

  // The server side, driven by a client of its own that is never cut: room messages and calls to rita, in order.
  const sender = await client();
  await sender.login({ uid: 'rita-sender' });
  const says = (async () => {
    for (let n = 0; n < MESSAGES; n++) {
      await sender.call('chat.say', { room: 'rita-room', text: String(n) });
    }
  })();
  const serverAnswers = [];
  const sends = (async () => {
    for (let c = 0; c < SERVER_CALLS; c++) {
      serverAnswers.push(await sender.call('chat.send', { to: 'rita', text: String(c) }));
    }
  })();

  // rita's own calls, four at a time, each answered with its own number.
  const answers = new Array(CLIENT_CALLS).fill(0);
  let nextCall = 0;
  let answered = 0;
  const lane = async () => {
    while (nextCall < CLIENT_CALLS) {
      const n = nextCall++;
      try {
        const result = await rita.call('subtract', [n, 0]);
        if (result !== n) {
          wrong.push(`call ${n} answered ${result}`);
        } else if (++answers[n] !== 1) {
          wrong.push(`call ${n} answered twice`);
        }
      } catch (e) {
        wrong.push(`call ${n} failed: ${e.code} ${e.message}`);
      }
      answered++;
    }
  };
  const lanes = Promise.all([lane(), lane(), lane(), lane()]);

  const done = () => chats.length >= MESSAGES && asks.length >= SERVER_CALLS && answered >= CLIENT_CALLS;
  let cutTimer;
  const cutLater = () => {
    cutTimer = setTimeout(() => {
      if (!done()) {
        if (link.cut(next(30))) {
          cuts++;
        }
        cutLater();
      }
    }, 30 + next(170));
  };
  cutLater();
  try {
    await eventually(() => assert.ok(done() || wrong.length > 0 || lost.length > 0,
      `${run}: stuck with ${chats.length} messages, ${asks.length} server calls, ${answered} answers, after ${cuts} cuts`), 90000, 50);
  } finally {
    clearTimeout(cutTimer);
  }
  assert.deepEqual(wrong, [], run);
  assert.deepEqual(lost, [], `${run}: sessions lost`);
  await Promise.all([says, sends, lanes]);
  assert.ok(cuts >= MIN_CUTS, `${run}: only ${cuts} cuts`);
  assert.deepEqual(serverAnswers, Array.from({ length: SERVER_CALLS }, (_, c) => `rita got ${c}`), run);
  // A message resent twice would come within a second of the others on loopback.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.equal(chats.length, MESSAGES, `${run}: a room message arrived twice`);
  assert.equal(asks.length, SERVER_CALLS, `${run}: a server call arrived twice`);
  assert.deepEqual(wrong, [], run);
  console.log(`FIGURE js client resume chaos (${run}): ${cuts} cuts, ${MESSAGES} room messages, ${SERVER_CALLS} server calls, ${CLIENT_CALLS} client calls`);
});

test('a resume refused with -32010 fails the waiting calls, says sessionlost and logs in afresh', async () => {
  const stranger = await client({ reconnect: false });
  await stranger.login({ uid: 'js-stranger' });
  let asked = 0;
  stranger.register('chat.receive', () => {
    asked++;
    return new Promise(() => {});
  });
  const link = cuttable();
  const sam = await client({ resume: true, WebSocket: link.WebSocket, reconnectInitialDelay: 5, reconnectMaxDelay: 50 });
  sam.register('chat.receive', ({ text }) => `sam got ${text}`);
  await sam.login({ uid: 'js-sam' });
  const waiting = settled(sam.call('chat.send', { to: 'js-stranger', text: 'no answer' }));
  await eventually(() => assert.equal(asked, 1, 'the call reached the server'));
  const lostEvent = nextEvent(sam, 'sessionlost', 30000);
  const reconnected = nextEvent(sam, 'reconnect', 30000);
  link.down(true);
  link.cut();
  // A newer login of the uid while sam is away replaces its session: the token is no good anymore.
  const usurper = await client({ reconnect: false });
  await usurper.login({ uid: 'js-sam' });
  link.down(false);

  const { error } = await lostEvent;
  assert.equal(error.code, ErrorCodes.SESSION_EXPIRED);
  await assert.rejects(waiting(), (e) => e.code === ErrorCodes.CLIENT_OFFLINE && /the session was lost/.test(e.message));
  const reconnect = await reconnected;
  assert.equal(reconnect.login?.uid, 'js-sam', JSON.stringify(reconnect));
  assert.equal(reconnect.resumed, undefined);
  const caller = await client();
  await caller.login({ uid: 'js-sam-caller' });
  assert.equal(await caller.call('chat.send', { to: 'js-sam', text: 'hi' }), 'sam got hi');
  // The call that waited is not sent again on the fresh login (it reached the server once; whether
  // it ran, the client cannot know): sent again, it would come within a second on loopback.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.equal(asked, 1, 'the call was sent again after the fresh login');
});
