// Types of the busrpc JavaScript client (src/*.js).

/** A JSON value as it travels in params, results and error data. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Positional (array) or named (object) params. */
export type Params = Json[] | { [key: string]: Json };

/** The error of a failed call, and what a registered function throws to answer with an error. */
export declare class RpcError extends Error {
  constructor(code: number, message: string, data?: unknown);
  readonly name: 'RpcError';
  /** An integer; see ErrorCodes. */
  code: number;
  /** Present when the error object had a data member. */
  data?: unknown;
  toJSON(): { code: number; message: string; data?: unknown };
  static fromJSON(error: unknown): RpcError;
  /** Whether a value is an RpcError, also one from another copy of this module. */
  static is(value: unknown): value is RpcError;
}

/** The codes of JSON-RPC 2.0 and of busrpc. */
export declare const ErrorCodes: Readonly<{
  PARSE_ERROR: -32700;
  INVALID_REQUEST: -32600;
  METHOD_NOT_FOUND: -32601;
  INVALID_PARAMS: -32602;
  INTERNAL_ERROR: -32603;
  TIMEOUT: -32000;
  NOT_LOGGED_IN: -32001;
  FORBIDDEN: -32002;
  CLIENT_OFFLINE: -32003;
  TOO_MANY_PENDING_CALLS: -32004;
  FRAME_TOO_LARGE: -32005;
  SERVER_SHUTTING_DOWN: -32006;
  LOGIN_FAILED: -32007;
  BATCH_TOO_LARGE: -32008;
  TOO_MANY_CONNECTIONS: -32009;
  SESSION_EXPIRED: -32010;
  TOO_MANY_GROUPS: -32011;
  HANDLER_NODE_LEFT: -32012;
  RESERVED_CLIENT_ERROR: -32013;
}>;

export interface ClientOptions {
  /** ms a call waits for its answer unless the call says otherwise; default 30000. */
  callTimeout?: number;
  /** ms opening the WebSocket may take; default 10000. */
  connectTimeout?: number;
  /** Reconnect and log in again after a drop; default true. */
  reconnect?: boolean;
  /** First reconnection step in ms, doubling per attempt, with jitter; default 100. */
  reconnectInitialDelay?: number;
  /** Longest reconnection step in ms; default 5000. */
  reconnectMaxDelay?: number;
  /**
   * Ask for a resumable session at login (PROTOCOL.md section 8); default false. After a drop the
   * client reconnects (whatever `reconnect` says) and resumes: calls made before or during the drop
   * get their answers, the server's messages arrive once and in order. When the gateway cannot
   * resume the session it emits `sessionlost` and logs in afresh.
   */
  resume?: boolean;
  /** A WebSocket class to use instead of the runtime's own (or, in Node 20, the ws package's). */
  WebSocket?: unknown;
}

export declare const DEFAULT_OPTIONS: Readonly<Required<Omit<ClientOptions, 'WebSocket'>>>;

export interface LoginResult {
  uid: string;
  roles: string[];
  connection: string;
  /** With `resume` on and the gateway's resumeWindow > 0: the token (opaque) and the window in ms. */
  resume?: { token: string; window: number };
  [key: string]: unknown;
}

export interface CloseEvent {
  /** The WebSocket close status (1000 after close(), 1006 dropped without a closing handshake, ...). */
  code: number;
  reason: string;
  /** Whether a newer login of the same uid replaced this connection (then it does not reconnect). */
  replaced: boolean;
  willReconnect: boolean;
}

export interface ReconnectEvent {
  /** Attempts it took. */
  attempts: number;
  /** The result of the login repeated with the last login's params, if the client was logged in. */
  login?: LoginResult;
  /** Why that login failed, if it did; the client is then connected but not logged in. */
  loginError?: RpcError;
  /** true when the session was resumed (nothing lost, nothing twice; no login was needed). */
  resumed?: boolean;
}

export interface ClientEvents {
  open: () => void;
  close: (event: CloseEvent) => void;
  reconnecting: (event: { attempt: number; delay: number }) => void;
  reconnect: (event: ReconnectEvent) => void;
  notification: (event: { method: string; params?: Params }) => void;
  replaced: (params: { reason: string }) => void;
  shutdown: (params: { reason: string; gracePeriod: number }) => void;
  error: (error: Error) => void;
  /** The session could not be resumed (mostly -32010); waiting calls failed with -32003; a fresh login follows. */
  sessionlost: (event: { error: RpcError }) => void;
}

/** A function the server may call: returns the result (or a Promise of it), throws RpcError to answer with an error. */
export type ServedFunction = (params: Params | undefined, context: { method: string }) => unknown;

export declare class BusRpcClient {
  constructor(url: string | URL, options?: ClientOptions);
  readonly url: string;
  /** Whether calls can be made now. */
  readonly connected: boolean;
  open(): Promise<void>;
  call<T = unknown>(method: string, params?: Params, options?: { timeout?: number }): Promise<T>;
  notify(method: string, params?: Params): Promise<void>;
  login(params?: { [key: string]: Json }): Promise<LoginResult>;
  logout(): Promise<void>;
  register(method: string, fn: ServedFunction | null): this;
  close(): Promise<void>;
  on<E extends keyof ClientEvents>(event: E, listener: ClientEvents[E]): () => void;
  once<E extends keyof ClientEvents>(event: E, listener: ClientEvents[E]): () => void;
  off<E extends keyof ClientEvents>(event: E, listener: ClientEvents[E]): void;
}

/** Opens a client; resolves once the WebSocket is open, rejects with RpcError -32003 otherwise. */
export declare function connect(url: string | URL, options?: ClientOptions): Promise<BusRpcClient>;

/** The delay before reconnection attempt `attempt` (1, 2, ...), in ms. */
export declare function backoffDelay(attempt: number, limits: { initialDelay: number; maxDelay: number }, random?: () => number): number;
