package io.busrpc.gateway;

import io.vertx.core.json.JsonObject;

/**
 * The size and count limits a gateway enforces: the part of {@link GatewayOptions} that bounds what
 * clients may make it hold. The JSON members sit flat in the {@code gateway} object, under the names
 * of the accessors.
 *
 * <p>{@code T} is the options class the setters return, so that {@code new GatewayOptions()
 * .setMaxBatchSize(5).setHost(...)} chains (as Vert.x's {@code NetServerOptions} builds on
 * {@code TCPSSLOptions}, without repeating every setter to narrow its return type).
 */
abstract class GatewayLimits<T extends GatewayLimits<T>> {

  /** Default maximum frame payload: 1 MiB. */
  public static final int DEFAULT_MAX_FRAME_SIZE = 1024 * 1024;
  /** Largest allowed maximum frame payload: 16 MiB, so a length prefix always starts with 0x00. */
  public static final int MAX_FRAME_SIZE_LIMIT = 16 * 1024 * 1024;
  /** Default number of calls one connection may have in flight before the gateway stops reading it. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 128;
  /** Default maximum number of messages in one batch. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 100;
  /** Default number of server to client calls that may wait for one client's answers. */
  public static final int DEFAULT_MAX_PENDING_CLIENT_CALLS = 64;
  /** Default maximum of open connections per gateway node. */
  public static final int DEFAULT_MAX_CONNECTIONS = 50_000;
  /** Default maximum of open connections from one remote IP address. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1_000;
  /** Default cap on the bytes queued for one client that it has not read yet: 4 MiB. */
  public static final int DEFAULT_MAX_OUTBOUND_BYTES = 4 * 1024 * 1024;
  /** Smallest allowed {@code maxOutboundBytes}: the socket write queue size at which reading stops. */
  public static final int MIN_OUTBOUND_BYTES = 64 * 1024;
  /** Default maximum of groups one connection may be a member of. */
  public static final int DEFAULT_MAX_GROUPS_PER_CONNECTION = 100;
  /** Default cap on the bytes kept for one resumable session that its client has not acknowledged: 1 MiB. */
  public static final int DEFAULT_RESUME_BUFFER_BYTES = 1024 * 1024;

  private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
  private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
  private int maxPendingClientCalls = DEFAULT_MAX_PENDING_CLIENT_CALLS;
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
  private int maxOutboundBytes = DEFAULT_MAX_OUTBOUND_BYTES;
  private int maxGroupsPerConnection = DEFAULT_MAX_GROUPS_PER_CONNECTION;
  private int resumeBufferBytes = DEFAULT_RESUME_BUFFER_BYTES;

  /** Every limit at its default. */
  GatewayLimits() {
  }

  /** Reads the limits' members of the {@code gateway} object; missing ones keep their defaults. */
  GatewayLimits(JsonObject json) {
    setMaxFrameSize(json.getInteger("maxFrameSize", maxFrameSize));
    setMaxInFlight(json.getInteger("maxInFlight", maxInFlight));
    setMaxBatchSize(json.getInteger("maxBatchSize", maxBatchSize));
    setMaxPendingClientCalls(json.getInteger("maxPendingClientCalls", maxPendingClientCalls));
    setMaxConnections(json.getInteger("maxConnections", maxConnections));
    setMaxConnectionsPerAddress(json.getInteger("maxConnectionsPerAddress", maxConnectionsPerAddress));
    setMaxOutboundBytes(json.getInteger("maxOutboundBytes", maxOutboundBytes));
    setMaxGroupsPerConnection(json.getInteger("maxGroupsPerConnection", maxGroupsPerConnection));
    setResumeBufferBytes(json.getInteger("resumeBufferBytes", resumeBufferBytes));
  }

  /** @return the JSON form of these options */
  public JsonObject toJson() {
    return new JsonObject()
      .put("maxFrameSize", maxFrameSize)
      .put("maxInFlight", maxInFlight)
      .put("maxBatchSize", maxBatchSize)
      .put("maxPendingClientCalls", maxPendingClientCalls)
      .put("maxConnections", maxConnections)
      .put("maxConnectionsPerAddress", maxConnectionsPerAddress)
      .put("maxOutboundBytes", maxOutboundBytes)
      .put("maxGroupsPerConnection", maxGroupsPerConnection)
      .put("resumeBufferBytes", resumeBufferBytes);
  }

  @SuppressWarnings("unchecked")
  final T self() {
    return (T) this;
  }

  /** @return the largest frame payload accepted, in bytes */
  public int getMaxFrameSize() {
    return maxFrameSize;
  }

  /**
   * Sets the largest frame payload accepted, in bytes (1 KiB to 16 MiB). A larger frame is answered
   * with the frame-too-large error and the connection is closed.
   */
  public T setMaxFrameSize(int maxFrameSize) {
    if (maxFrameSize < 1024 || maxFrameSize > MAX_FRAME_SIZE_LIMIT) {
      throw new IllegalArgumentException("maxFrameSize must be between 1024 and " + MAX_FRAME_SIZE_LIMIT
        + ", was " + maxFrameSize);
    }
    this.maxFrameSize = maxFrameSize;
    return self();
  }

  /** @return how many calls one connection may have in flight */
  public int getMaxInFlight() {
    return maxInFlight;
  }

  /**
   * Sets how many calls one connection may have in flight (at least 1); a notification counts as a
   * call until its handler is done with it. At the limit the gateway stops reading the socket until
   * answers have gone out.
   */
  public T setMaxInFlight(int maxInFlight) {
    this.maxInFlight = atLeastOne("maxInFlight", maxInFlight);
    return self();
  }

  /** @return the largest number of messages in one batch */
  public int getMaxBatchSize() {
    return maxBatchSize;
  }

  /** Sets the largest number of messages in one batch (at least 1); a larger batch gets an error. */
  public T setMaxBatchSize(int maxBatchSize) {
    this.maxBatchSize = atLeastOne("maxBatchSize", maxBatchSize);
    return self();
  }

  /** @return how many server to client calls may wait for one client */
  public int getMaxPendingClientCalls() {
    return maxPendingClientCalls;
  }

  /** Sets how many server to client calls may wait for one client (at least 1); more fail at once. */
  public T setMaxPendingClientCalls(int maxPendingClientCalls) {
    this.maxPendingClientCalls = atLeastOne("maxPendingClientCalls", maxPendingClientCalls);
    return self();
  }

  /** @return how many connections the node accepts at once */
  public int getMaxConnections() {
    return maxConnections;
  }

  /** Sets how many connections the node (all gateway instances of one Vert.x) accepts at once (at least 1). */
  public T setMaxConnections(int maxConnections) {
    this.maxConnections = atLeastOne("maxConnections", maxConnections);
    return self();
  }

  /** @return how many connections the node accepts from one remote IP address */
  public int getMaxConnectionsPerAddress() {
    return maxConnectionsPerAddress;
  }

  /** Sets how many connections the node accepts from one remote IP address (at least 1). */
  public T setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
    this.maxConnectionsPerAddress = atLeastOne("maxConnectionsPerAddress", maxConnectionsPerAddress);
    return self();
  }

  /** @return the cap on the bytes queued for one client that it has not read yet */
  public int getMaxOutboundBytes() {
    return maxOutboundBytes;
  }

  /**
   * Sets the cap on the bytes queued for one client that it has not read yet (answers, calls and
   * notifications from the server, group and broadcast messages), at least {@value #MIN_OUTBOUND_BYTES}.
   * A message that would take a connection's queue past it closes the connection instead; a single
   * message larger than the cap is still sent when nothing else is queued. Keep it above
   * {@code maxFrameSize}: a client's answers are as large as the frames it sends, or larger.
   */
  public T setMaxOutboundBytes(int maxOutboundBytes) {
    if (maxOutboundBytes < MIN_OUTBOUND_BYTES) {
      throw new IllegalArgumentException("maxOutboundBytes must be at least " + MIN_OUTBOUND_BYTES + ", was " + maxOutboundBytes);
    }
    this.maxOutboundBytes = maxOutboundBytes;
    return self();
  }

  /** @return how many groups one connection may be a member of */
  public int getMaxGroupsPerConnection() {
    return maxGroupsPerConnection;
  }

  /** Sets how many groups one connection may be a member of (at least 1); a join past it fails. */
  public T setMaxGroupsPerConnection(int maxGroupsPerConnection) {
    this.maxGroupsPerConnection = atLeastOne("maxGroupsPerConnection", maxGroupsPerConnection);
    return self();
  }

  /** @return the bytes one resumable session keeps of what its client has not acknowledged */
  public int getResumeBufferBytes() {
    return resumeBufferBytes;
  }

  /**
   * Sets how many bytes of counted messages one resumable session keeps until its client
   * acknowledges them (at least 1024): past it a connected client is closed as one that does not
   * read, and a session waiting for its client ends.
   */
  public T setResumeBufferBytes(int resumeBufferBytes) {
    if (resumeBufferBytes < 1024) {
      throw new IllegalArgumentException("resumeBufferBytes must be at least 1024, was " + resumeBufferBytes);
    }
    this.resumeBufferBytes = resumeBufferBytes;
    return self();
  }

  /** @return {@code value}, when it is at least 1; the message names the option otherwise */
  static int atLeastOne(String option, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(option + " must be at least 1, was " + value);
    }
    return value;
  }
}
