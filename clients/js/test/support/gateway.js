// Starts a real busrpc node (the runnable jar that `mvn package` builds) for the tests: the demo's
// handlers (SpecExamplesVerticle, ChatVerticle), anonymous login, TCP and web listeners on port 0.
// The bound ports are read from the node's log, so no port is probed and then raced for.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The jar under test: BUSRPC_JAR, or the one the Maven build of this checkout wrote. */
export const JAR = process.env.BUSRPC_JAR || resolve(here, '../../../../target/busrpc.jar');

const DEPLOYED = /Succeeded in deploying verticle/;
const FAILED = /Failed in deploying verticle/;
const TCP_PORT = /Gateway listening on 127\.0\.0\.1:(\d+)/;
const WEB_PORT = /Web listener on http:\/\/127\.0\.0\.1:(\d+)/;

/** The node's configuration: the demo's, on loopback, every port 0 unless given. */
export function config({ gateway = {}, web = {} } = {}) {
  return {
    gateway: { host: '127.0.0.1', port: 0, auth: { type: 'anonymous' }, publicMethods: ['*'], ...gateway },
    web: { host: '127.0.0.1', port: 0, demo: true, ...web },
    handlers: [
      { class: 'io.busrpc.examples.SpecExamplesVerticle', instances: 1 },
      { class: 'io.busrpc.examples.ChatVerticle', instances: 1 },
    ],
  };
}

/**
 * Starts a node and resolves once it has deployed, with {webPort, tcpPort, url, origin, log(),
 * stop(), restart()}. `restart()` stops it and starts a new node on the same web port (so clients
 * can come back to the same URL). Fails when the node does not deploy within `startTimeout` ms.
 */
export async function startGateway(options = {}, startTimeout = 90000) {
  if (!existsSync(JAR)) {
    throw new Error(`${JAR} does not exist: build it with mvn -B package first (or set BUSRPC_JAR)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'busrpc-js-'));
  const confPath = join(dir, 'busrpc.json');
  writeFileSync(confPath, JSON.stringify(config(options)));
  const gateway = {
    dir,
    process: null,
    output: '',
    webPort: 0,
    tcpPort: 0,
    get url() {
      return `ws://127.0.0.1:${this.webPort}/rpc`;
    },
    get origin() {
      return `http://127.0.0.1:${this.webPort}`;
    },
    log() {
      return this.output;
    },
    async stop(signal = 'SIGTERM') {
      const child = this.process;
      if (!child || child.exitCode !== null || child.signalCode !== null) {
        return;
      }
      const exited = new Promise((done) => child.once('exit', done));
      child.kill(signal);
      await exited;
    },
    async restart(signal = 'SIGTERM') {
      await this.stop(signal);
      await launch(this, confPath, { BUSRPC_WEB_PORT: String(this.webPort) }, startTimeout);
    },
    async close() {
      await this.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await launch(gateway, confPath, {}, startTimeout);
  return gateway;
}

async function launch(gateway, confPath, env, startTimeout) {
  const child = spawn('java', ['-Dvertx.disableDnsResolver=true', '-jar', JAR, '-conf', confPath], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  gateway.process = child;
  gateway.output = '';
  const text = await new Promise((resolvePromise, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the node did not deploy within ${startTimeout} ms:\n${output}`));
    }, startTimeout);
    const onData = (chunk) => {
      output += chunk;
      gateway.output = output;
      if (DEPLOYED.test(output) || FAILED.test(output)) {
        clearTimeout(timer);
        resolvePromise(output);
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the node exited (${code}) before it deployed:\n${output}`));
    });
  });
  if (FAILED.test(text)) {
    await gateway.stop('SIGKILL');
    throw new Error(`the node failed to deploy:\n${text}`);
  }
  const web = WEB_PORT.exec(text);
  const tcp = TCP_PORT.exec(text);
  if (!web || !tcp) {
    await gateway.stop('SIGKILL');
    throw new Error(`the node's log does not say which ports it bound:\n${text}`);
  }
  gateway.webPort = Number(web[1]);
  gateway.tcpPort = Number(tcp[1]);
}
