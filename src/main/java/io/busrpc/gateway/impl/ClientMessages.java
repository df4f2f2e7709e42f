package io.busrpc.gateway.impl;

import io.busrpc.bus.BusFailures;
import io.busrpc.bus.ControlMessage;
import io.busrpc.bus.Headers;
import io.busrpc.bus.Replies;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What reaches a logged-in session on the bus, turned into what its client gets: calls at its client
 * address become JSON-RPC requests to the client and are answered with the client's answer;
 * notifications (bus {@code send}/{@code publish}) become JSON-RPC notifications; control messages
 * ({@code join}, {@code leave}, {@code online}) are answered here. What is sent to its groups and to
 * the broadcast address reaches the client through an {@link AddressFanout}.
 */
final class ClientMessages {

  private static final Logger log = LoggerFactory.getLogger(ClientMessages.class);

  private final EventBus eventBus;
  private final GatewayMetrics metrics;
  private final String connectionId;
  private final ClientLink client;
  private final Groups groups;
  private final long callTimeout;

  ClientMessages(GatewayServices services, String connectionId, ClientLink client, Groups groups) {
    this.eventBus = services.vertx.eventBus();
    this.metrics = services.metrics;
    this.connectionId = connectionId;
    this.client = client;
    this.groups = groups;
    this.callTimeout = services.options.getCallTimeout();
  }

  /** A message at the client address: a call, a notification or a control message. */
  void atClientAddress(Message<Object> message) {
    String header = message.headers().get(Headers.CONTROL);
    if (header == null) {
      if (message.replyAddress() == null && !message.headers().contains(Headers.REPLY_TO)) {
        notification(message);
      } else {
        call(message);
      }
      return;
    }
    ControlMessage control = ControlMessage.of(header);
    if (control == null) {
      reply(message, new RpcException(ErrorCode.INVALID_REQUEST, "unknown control " + header));
      return;
    }
    switch (control) {
      case JOIN -> groups.join(String.valueOf(message.body()))
        .onComplete(ar -> reply(message, ar.succeeded() ? Boolean.TRUE : BusFailures.toRpcException(ar.cause(), ErrorCode.INTERNAL_ERROR)));
      case LEAVE -> groups.leave(String.valueOf(message.body())).onComplete(ar -> reply(message, ar.result()));
      case ONLINE -> reply(message, Boolean.TRUE);
      // A step-down request goes to the gateway's control address, never to a client address.
      case REPLACED, RESUME -> reply(message, new RpcException(ErrorCode.INVALID_REQUEST, header + " is not sent to a client address"));
    }
  }

  /**
   * A call for the client. {@code Clients} asks in bytes and is answered in bytes, at the reply
   * address its headers name when they name one (see {@link Replies}); the plain bus form is answered
   * with a Vert.x JSON value.
   */
  private void call(Message<Object> message) {
    ClientBoundMessage call;
    try {
      call = ClientBoundMessage.of(message);
    } catch (RpcException e) {
      Replies.error(eventBus, message, e);
      return;
    }
    metrics.clientCall();
    client.call(call.method(), call.params(), call.timeout(callTimeout)).onComplete(ar -> {
      if (ar.failed()) {
        Replies.error(eventBus, message, BusFailures.toRpcException(ar.cause(), ErrorCode.INTERNAL_ERROR));
      } else if (call.raw()) {
        Replies.result(eventBus, message, JsonRpcWriter.encodeValue(ar.result()));
      } else {
        message.reply(ar.result() == null ? null : Json.decodeValue(ar.result()));
      }
    });
  }

  /** A notification for the client; one that is not a {@code {"method", "params"}} message is dropped. */
  private void notification(Message<Object> message) {
    try {
      ClientBoundMessage call = ClientBoundMessage.of(message);
      client.notify(call.method(), call.params());
    } catch (RpcException e) {
      log.debug("Dropped a notification for {}: {}", connectionId, e.getMessage());
    }
  }

  private static void reply(Message<Object> message, Object body) {
    if (message.replyAddress() != null) {
      message.reply(body);
    }
  }
}
