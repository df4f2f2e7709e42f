package io.busrpc.gateway.impl;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * What a {@link Session} does to its client, whatever the transport: call it, notify it, tell it
 * that a newer login took its uid over, and give up the calls waiting for it once it is no longer
 * reachable at its uid. The session core implements it; the session holds nothing else of the
 * connection.
 */
interface ClientLink {

  /**
   * Sends a request to the client.
   *
   * @param params  the params as JSON text, or {@code null}
   * @param timeout how long to wait for the answer, in ms
   * @return the client's result as JSON text; fails with its error, with the timeout code when it
   *     does not answer in time, with the too-many-pending code, or with the offline code
   */
  Future<Buffer> call(String method, Buffer params, long timeout);

  /** Sends a notification to the client. */
  void notify(String method, Buffer params);

  /** A newer login took the uid over: tell the client ({@code rpc.replaced}) and close. */
  void replaced(String reason);

  /** The client is no longer reachable at its uid: the calls waiting for its answers fail. */
  void offline();
}
