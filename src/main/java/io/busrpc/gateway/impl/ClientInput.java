package io.busrpc.gateway.impl;

import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcParser;
import io.busrpc.protocol.ParsedFrame;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * What a session does with each JSON text its client sends: parses it, counts it when the session
 * is resumable (and reads the client's {@code rpc.ack}), passes a connection's first
 * {@code rpc.resume} to its owner, and otherwise has the {@link Dispatcher} answer it, writing each
 * answer once it is ready.
 *
 * <p>Not thread-safe: used on the session's event loop only.
 */
final class ClientInput {

  /** What the input asks of its session. */
  interface Owner {

    /** {@code rpc.resume} came as the first message of {@code from}. */
    void resume(Connection from, JsonRpcMessage request);

    /** The last answer that was still being prepared went out. */
    void allAnswered();
  }

  private final Dispatcher dispatcher;
  private final InFlight inFlight;
  private final OutboundCalls outbound;
  private final ClientOutput output;
  private final Owner owner;
  private int unanswered;

  ClientInput(Dispatcher dispatcher, InFlight inFlight, OutboundCalls outbound, ClientOutput output, Owner owner) {
    this.dispatcher = dispatcher;
    this.inFlight = inFlight;
    this.outbound = outbound;
    this.output = output;
    this.owner = owner;
  }

  /** @return answers being prepared, not written yet */
  int unanswered() {
    return unanswered;
  }

  /** One JSON text from the client; {@code first} when it is the connection's first. */
  void frame(Connection from, Buffer json, boolean first) {
    Resumption resumption = output.resumption();
    ParsedFrame parsed;
    try {
      parsed = JsonRpcParser.parse(json);
    } catch (RpcException e) {
      answerLater(Dispatcher.parseError(e), resumption == null || resumption.incoming(null, outbound::isPingAnswer), false);
      return;
    }
    JsonRpcMessage single = parsed.batch() ? null : parsed.messages().get(0);
    if (first && single != null && single.kind() == JsonRpcMessage.Kind.REQUEST && "rpc.resume".equals(single.method())) {
      owner.resume(from, single);
      return;
    }
    boolean counted = true;
    if (resumption != null) {
      counted = resumption.incoming(parsed, outbound::isPingAnswer);
      if (Resumption.isAck(parsed)) {
        resumption.acked(single.params());
        return;
      }
    }
    Future<Buffer> answer = dispatcher.handle(parsed);
    if (answer != null) {
      answerLater(answer, counted, holdsLogin(parsed));
    }
  }

  private static boolean holdsLogin(ParsedFrame parsed) {
    for (JsonRpcMessage message : parsed.messages()) {
      if ("rpc.login".equals(message.method())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Writes an answer once it is ready; while calls are in flight, those of one event-loop turn go
   * out together.
   *
   * @param login true when the text it answers holds an {@code rpc.login}
   */
  private void answerLater(Future<Buffer> answer, boolean counted, boolean login) {
    if (answer.isComplete()) {
      output.answer(answer.result(), counted, login, inFlight.count() > 0);
      return;
    }
    unanswered++;
    answer.onSuccess(json -> {
      output.answer(json, counted, login, inFlight.count() > 0);
      if (--unanswered == 0) {
        owner.allAnswered();
      }
    });
  }
}
