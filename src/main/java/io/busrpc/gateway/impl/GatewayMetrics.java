package io.busrpc.gateway.impl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.micrometer.backends.BackendRegistries;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's own metrics, named {@code busrpc_*} in Prometheus: open connections (by transport), logged-in
 * clients, calls by method with latency histograms, errors by code, server to client calls, frames
 * rejected, connections closed by the gateway, bytes in and out (by transport). One instance per Vert.x instance,
 * shared by all gateway instances.
 *
 * <p>When Vert.x runs without Micrometer metrics (as in plain tests) every method does nothing.
 */
public final class GatewayMetrics implements Shareable {

  /** Method tag of calls to methods that turned out not to exist, so clients cannot inflate the tag set. */
  static final String UNKNOWN_METHOD = "(unknown)";

  private static final GatewayMetrics DISABLED = new GatewayMetrics(null);

  private final MeterRegistry registry;
  private final AtomicInteger loggedIn = new AtomicInteger();
  private final ConcurrentHashMap<String, Transport> transports = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> callTimers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, Counter> errorCounters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> rejections = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> closes = new ConcurrentHashMap<>();
  private final Counter clientCalls;

  private GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    if (registry == null) {
      clientCalls = null;
      return;
    }
    registry.gauge("busrpc.clients.logged.in", loggedIn);
    clientCalls = Counter.builder("busrpc.client.calls").description("Calls from server code to clients").register(registry);
    transport("tcp"); // listed from the start, as 0 while nobody is connected
  }

  /** @return the metrics of this Vert.x instance; disabled when Vert.x has no Micrometer registry */
  public static GatewayMetrics of(Vertx vertx) {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry == null) {
      return DISABLED;
    }
    LocalMap<String, GatewayMetrics> map = vertx.sharedData().getLocalMap("busrpc.metrics");
    return map.computeIfAbsent("metrics", k -> new GatewayMetrics(registry));
  }

  /** @return whether metrics are recorded */
  public boolean enabled() {
    return registry != null;
  }

  /** @return the meters of one transport ({@code "tcp"}, {@code "ws"}), labelled {@code transport} */
  public Transport transport(String name) {
    return transports.computeIfAbsent(name, n -> new Transport(registry, n));
  }

  /** A connection logged in (+1) or out (-1). */
  public void loggedIn(int delta) {
    loggedIn.addAndGet(delta);
  }

  /** A forwarded call ended; {@code errorCode} is null for a result. */
  public void call(String method, long nanos, Integer errorCode) {
    if (registry == null) {
      return;
    }
    String tag = errorCode != null && errorCode == -32601 ? UNKNOWN_METHOD : method;
    callTimers.computeIfAbsent(tag, m -> Timer.builder("busrpc.calls").tag("method", m)
      .description("Calls from clients, by method").publishPercentileHistogram()
      .maximumExpectedValue(Duration.ofSeconds(30)).register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    if (errorCode != null) {
      error(errorCode);
    }
  }

  /** An error answer with this code went to a client. */
  public void error(int code) {
    if (registry != null) {
      errorCounters.computeIfAbsent(code, c -> Counter.builder("busrpc.errors").tag("code", Integer.toString(c))
        .description("Error answers sent to clients, by code").register(registry)).increment();
    }
  }

  /** Server code called a client. */
  public void clientCall() {
    if (clientCalls != null) {
      clientCalls.increment();
    }
  }

  /** A frame or a connection was refused: too large, bad header, unknown framing, too many connections. */
  public void rejected(String reason) {
    if (registry != null) {
      rejections.computeIfAbsent(reason, r -> Counter.builder("busrpc.frames.rejected").tag("reason", r)
        .register(registry)).increment();
    }
  }

  /**
   * The gateway closed a connection for a reason worth counting: {@code outbound_full} for a client
   * that did not read what was queued for it, {@code resume_buffer_full} for a resumable session
   * whose client left more than {@code resumeBufferBytes} unacknowledged.
   */
  public void closed(String reason) {
    if (registry != null) {
      closes.computeIfAbsent(reason, r -> Counter.builder("busrpc.connections.closed").tag("reason", r)
        .description("Connections the gateway closed, by reason").register(registry)).increment();
    }
  }

  /**
   * What is counted per transport: open connections ({@code busrpc_connections{transport}}) and bytes
   * in and out ({@code busrpc_bytes_received_bytes_total{transport}}, {@code busrpc_bytes_sent_...}).
   */
  public static final class Transport {

    private final AtomicInteger connections = new AtomicInteger();
    private final Counter bytesIn;
    private final Counter bytesOut;

    private Transport(MeterRegistry registry, String name) {
      if (registry == null) {
        bytesIn = bytesOut = null;
        return;
      }
      Gauge.builder("busrpc.connections", connections, AtomicInteger::get).tag("transport", name)
        .description("Open client connections, by transport").register(registry);
      bytesIn = Counter.builder("busrpc.bytes.received").baseUnit("bytes").tag("transport", name).register(registry);
      bytesOut = Counter.builder("busrpc.bytes.sent").baseUnit("bytes").tag("transport", name).register(registry);
    }

    /** A connection opened (+1) or closed (-1). */
    public void connections(int delta) {
      connections.addAndGet(delta);
    }

    /** Bytes read from clients. */
    public void bytesIn(int bytes) {
      if (bytesIn != null) {
        bytesIn.increment(bytes);
      }
    }

    /** Bytes written to clients. */
    public void bytesOut(int bytes) {
      if (bytesOut != null) {
        bytesOut.increment(bytes);
      }
    }
  }
}
