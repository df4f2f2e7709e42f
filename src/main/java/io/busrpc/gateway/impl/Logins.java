package io.busrpc.gateway.impl;

import io.busrpc.gateway.auth.Identity;
import io.busrpc.handler.Caller;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.function.Supplier;

/**
 * Who one connection's calls come from: {@code rpc.login} (the authenticator's verdict, then the
 * uid bound to the connection through its {@link Session}) and {@code rpc.logout}, one after
 * another, and the {@link Caller} that results.
 *
 * <p>Not thread-safe: used on the connection's event loop only.
 */
final class Logins {

  private static final Logger log = LoggerFactory.getLogger(Logins.class);
  private static final Buffer TRUE = Buffer.buffer("true");

  /** What the session does about resume (DESIGN §11) as logins and logouts happen. */
  interface Resume {

    /**
     * A login succeeded.
     *
     * @param asked true when its params held {@code "resume": true}
     * @return what its result carries under {@code "resume"}, or {@code null} for nothing
     */
    JsonObject loggedIn(boolean asked);

    /** A login failed or the client logged out: the session it may have resumed is over. */
    void loggedOut();
  }

  private final GatewayServices services;
  private final Session session;
  private final Resume resume;
  private final String id;
  // The current connection's: a resumed session moves to the client's new connection.
  private String remoteAddress;
  private Caller caller;
  // Logins and logouts of this connection, one after another: the last one queued.
  private Future<?> queue = Future.succeededFuture();

  Logins(GatewayServices services, Session session, String id, String remoteAddress, Resume resume) {
    this.services = services;
    this.session = session;
    this.resume = resume;
    this.id = id;
    this.remoteAddress = remoteAddress;
    this.caller = anonymous();
  }

  private Caller anonymous() {
    return new Caller(id, remoteAddress, null, null);
  }

  /** @return who the connection's calls come from now */
  Caller caller() {
    return caller;
  }

  /**
   * {@code rpc.login}: checks the credentials and binds the uid to the connection, after the logins
   * and logouts queued before it.
   *
   * @return the login's result ({@code uid}, {@code roles}, {@code connection}); fails with -32602
   *     when the params are not an object, or with the authenticator's or the binding's error
   */
  Future<Buffer> login(Buffer params) {
    JsonObject credentials;
    try {
      credentials = params == null ? new JsonObject() : new JsonObject(params);
    } catch (DecodeException | ClassCastException e) {
      return Future.failedFuture(new RpcException(ErrorCode.INVALID_PARAMS, "rpc.login takes an object of named params"));
    }
    // The gateway's own param: the authenticator never sees it.
    boolean askedForResume = Boolean.TRUE.equals(credentials.remove("resume"));
    return inTurn(() -> authenticate(credentials)
      .compose(identity -> session.bind(identity).transform(ar -> {
        if (ar.failed()) {
          // The uid held before, if any, was given up for this login.
          setCaller(anonymous());
          resume.loggedOut();
          return Future.failedFuture(ar.cause());
        }
        setCaller(new Caller(id, remoteAddress, identity.uid(), identity.roles()));
        log.debug("Connection {} logged in as {}", id, identity.uid());
        JsonObject result = loginResult(identity);
        JsonObject offer = resume.loggedIn(askedForResume);
        if (offer != null) {
          result.put("resume", offer);
        }
        return Future.succeededFuture(result.toBuffer());
      })));
  }

  /** {@code rpc.logout}: the connection stays open, without a uid. */
  Future<Buffer> logout() {
    return inTurn(() -> {
      setCaller(anonymous());
      resume.loggedOut();
      return session.unbind().map(TRUE);
    });
  }

  /**
   * The client resumed the session on a new connection from {@code remoteAddress}: its calls come
   * from there now, with the same uid and roles.
   */
  void reconnectedFrom(String remoteAddress) {
    this.remoteAddress = remoteAddress;
    caller = new Caller(id, remoteAddress, caller.uid(), caller.roles());
  }

  /** The connection closed: its caller is no longer logged in. */
  void closed() {
    setCaller(anonymous());
  }

  /** The authenticator's verdict; one that throws refuses this login only (-32603), nothing else. */
  private Future<Identity> authenticate(JsonObject credentials) {
    try {
      return services.authenticator.authenticate(credentials, remoteAddress);
    } catch (RuntimeException e) {
      log.error("The authenticator threw on a login of connection {}", id, e);
      return Future.failedFuture(new RpcException(ErrorCode.INTERNAL_ERROR));
    }
  }

  /**
   * Runs a login or logout once those queued before it are done, so that two of them (pipelined in
   * one packet, or sent before the first is answered) never interleave: each one finds the
   * connection bound to at most the uid the previous one left.
   */
  private <T> Future<T> inTurn(Supplier<Future<T>> step) {
    Future<T> result = queue.transform(ar -> step.get());
    queue = result;
    return result;
  }

  private JsonObject loginResult(Identity identity) {
    return new JsonObject().put("uid", identity.uid()).put("roles", new JsonArray(new ArrayList<>(identity.roles())))
      .put("connection", id);
  }

  /** Changes who the caller is, keeping the logged-in gauge right. */
  private void setCaller(Caller next) {
    if (next.loggedIn() != caller.loggedIn()) {
      services.metrics.loggedIn(next.loggedIn() ? 1 : -1);
    }
    caller = next;
  }
}
