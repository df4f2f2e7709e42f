// The browser demo: a chat between tabs and a method console, on the busrpc JavaScript client,
// which the web listener serves under /js/ straight from clients/js/src.
import { connect, RpcError } from '/js/index.js';

const $ = (id) => document.getElementById(id);
const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc`;

/** Appends a line to the log; kind is 'in' (received), 'out' (sent), 'event' or 'error'. */
function log(kind, text) {
  const item = document.createElement('li');
  item.className = kind;
  item.textContent = `${new Date().toLocaleTimeString()}  ${text}`;
  $('log').append(item);
  item.scrollIntoView({ block: 'nearest' });
}

function describe(error) {
  return RpcError.is(error) ? `error ${error.code} ${error.message}${error.data === undefined ? '' : ` ${JSON.stringify(error.data)}`}` : String(error);
}

function setStatus(online, text) {
  $('status').textContent = text;
  $('status').className = `status ${online ? 'online' : 'offline'}`;
}

function setUser(uid) {
  $('who').textContent = uid ? `logged in as ${uid}` : 'not logged in';
  $('logout').disabled = !uid;
  document.body.dataset.uid = uid ?? '';
}

/** Runs a form's action on submit, and logs what it fails with. */
function onSubmit(formId, action) {
  $(formId).addEventListener('submit', (event) => {
    event.preventDefault();
    action().catch((e) => log('error', describe(e)));
  });
}

const client = await connect(url).catch((e) => {
  setStatus(false, 'offline');
  log('error', `${describe(e)}: is the gateway running?`);
  throw e;
});
window.busrpc = client; // for the browser's console, and the demo's browser test
setStatus(true, 'connected');
setUser(null);
log('event', `connected to ${url}`);

client.on('close', ({ code, replaced, willReconnect }) => {
  setStatus(false, willReconnect ? 'reconnecting…' : 'offline');
  log('event', `connection closed (${code})${replaced ? ': another tab logged in with this name' : ''}`);
  if (!willReconnect) {
    setUser(null);
  }
});
client.on('reconnect', ({ login, loginError }) => {
  setStatus(true, 'connected');
  log('event', login ? `reconnected, logged in again as ${login.uid}` : 'reconnected');
  if (loginError) {
    setUser(null);
    log('error', `logging in again failed: ${describe(loginError)}`);
  }
});

// The server calls this when someone sends this page a message; the answer goes back to the sender.
client.register('chat.receive', ({ from, text }) => {
  log('in', `${from}: ${text}`);
  if ($('busy').checked) {
    throw new RpcError(4001, 'busy', { retry: 5 });
  }
  return $('reply').value;
});
client.on('notification', ({ method, params }) => {
  if (method === 'chat.message') {
    log('in', `[${params.room}] ${params.from}: ${params.text}`);
  } else {
    log('in', `notification ${method} ${JSON.stringify(params)}`);
  }
});

onSubmit('login-form', async () => {
  const result = await client.login({ uid: $('uid').value.trim() });
  setUser(result.uid);
  log('event', `logged in as ${result.uid}`);
});
$('logout').addEventListener('click', () => {
  client.logout().then(() => {
    setUser(null);
    log('event', 'logged out');
  }, (e) => log('error', describe(e)));
});

onSubmit('send-form', async () => {
  const to = $('to').value.trim();
  const text = $('text').value;
  log('out', `to ${to}: ${text}`);
  try {
    log('in', `${to} answered: ${JSON.stringify(await client.call('chat.send', { to, text }))}`);
  } catch (e) {
    log('error', `${to} answered with ${describe(e)}`);
  }
  $('text').value = '';
});

onSubmit('room-form', async () => {
  const room = $('room').value.trim();
  await client.call('chat.join', { room });
  log('event', `joined ${room}`);
});
$('leave').addEventListener('click', () => {
  const room = $('room').value.trim();
  client.call('chat.leave', { room }).then((wasIn) => log('event', wasIn ? `left ${room}` : `was not in ${room}`),
    (e) => log('error', describe(e)));
});
onSubmit('say-form', async () => {
  await client.call('chat.say', { room: $('room').value.trim(), text: $('say-text').value });
  $('say-text').value = '';
});

onSubmit('console-form', async () => {
  const out = $('result');
  const text = $('params').value.trim();
  let params;
  try {
    params = text === '' ? undefined : JSON.parse(text);
  } catch (e) {
    out.className = 'error';
    out.textContent = `the params are not JSON: ${e.message}`;
    return;
  }
  out.className = '';
  out.textContent = '…';
  try {
    out.textContent = JSON.stringify(await client.call($('method').value.trim(), params), null, 2);
  } catch (e) {
    out.className = 'error';
    out.textContent = describe(e);
  }
});
