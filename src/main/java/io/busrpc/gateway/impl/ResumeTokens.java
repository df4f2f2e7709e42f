package io.busrpc.gateway.impl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Base64;

/**
 * The tokens of one resumable session (DESIGN §11). A token is
 * {@code <connection id>.<gateway instance id>.<secret>}: the ids say where the session is, the
 * secret (128 random bits from {@link SecureRandom}, base64url) proves the right to resume it and is
 * compared in constant time. A token is a credential: it is never logged.
 *
 * <p>Each resume issues a new token. The tokens issued before it stay good until the client sends
 * its first message on a resumed connection: a resume whose answer was lost on the way can be tried
 * again with the token it used, and a late {@code rpc.resume} from an older connection of the client
 * (one it gave up on, which the gateway still held) cannot lock the client out by taking the
 * session over from under the token the client got last. The gateway cannot tell these two apart.
 * Once the client has sent a message, only the newest token is good.
 *
 * <p>Not thread-safe: used on the session's event loop only.
 */
final class ResumeTokens {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SECRET_BYTES = 16;
  /** The most tokens kept good while the client confirms none: a client retries a few times, not without end. */
  static final int MAX_UNCONFIRMED = 8;

  /** A token taken apart: where its session is, and its secret. */
  record Parsed(String connectionId, String instanceId, byte[] secret) {

    /** @return the parts of {@code token}, or {@code null} when it is not one of ours */
    static Parsed of(String token) {
      String[] parts = token.length() > 200 ? new String[0] : token.split("\\.", -1);
      if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
        return null;
      }
      return new Parsed(parts[0], parts[1], parts[2].getBytes(StandardCharsets.US_ASCII));
    }
  }

  private final String place;
  private byte[] current;
  // Issued before current and not dead yet, because the client has not confirmed any token since; oldest first.
  private final ArrayDeque<byte[]> unconfirmed = new ArrayDeque<>();

  /** Issues the first token of the session of {@code connectionId} on gateway instance {@code instanceId}. */
  ResumeTokens(String connectionId, String instanceId) {
    this.place = connectionId + "." + instanceId;
    this.current = secret();
  }

  private static byte[] secret() {
    byte[] bytes = new byte[SECRET_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).getBytes(StandardCharsets.US_ASCII);
  }

  /** @return the token the client resumes with next */
  String current() {
    return place + "." + new String(current, StandardCharsets.US_ASCII);
  }

  /** @return true when {@code secret} is the current token's, or one issued before it that the client has not confirmed away */
  boolean accepts(byte[] secret) {
    // Every one compared, in constant time: how long the check takes says nothing about any of them.
    boolean good = MessageDigest.isEqual(current, secret);
    for (byte[] earlier : unconfirmed) {
      good |= MessageDigest.isEqual(earlier, secret);
    }
    return good;
  }

  /**
   * A resume succeeded: issues the next token; the ones good before stay good until {@link #confirmed()}.
   *
   * @return the new token
   */
  String resumed() {
    unconfirmed.addLast(current);
    if (unconfirmed.size() > MAX_UNCONFIRMED) {
      unconfirmed.removeFirst();
    }
    current = secret();
    return current();
  }

  /** The client sent a message on the resumed connection: it has the newest token, every other one is dead. */
  void confirmed() {
    unconfirmed.clear();
  }
}
