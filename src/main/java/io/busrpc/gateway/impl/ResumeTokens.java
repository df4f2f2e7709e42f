package io.busrpc.gateway.impl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The tokens of one resumable session (DESIGN §11). A token is
 * {@code <connection id>.<gateway instance id>.<secret>}: the ids say where the session is, the
 * secret (128 random bits from {@link SecureRandom}, base64url) proves the right to resume it and is
 * compared in constant time. A token is a credential: it is never logged.
 *
 * <p>Each resume issues a new token. The token a resume used stays good until the client sends its
 * first message on the resumed connection, so that a resume whose answer was lost on the way can be
 * tried again with it; every older token is dead.
 *
 * <p>Not thread-safe: used on the session's event loop only.
 */
final class ResumeTokens {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SECRET_BYTES = 16;

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
  private byte[] previous;

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

  /** @return true when {@code secret} is the current token's, or the one the last resume used and the client has not confirmed */
  boolean accepts(byte[] secret) {
    // Both compared, in constant time: how long the check takes says nothing about either.
    boolean isCurrent = MessageDigest.isEqual(current, secret);
    boolean isPrevious = previous != null && MessageDigest.isEqual(previous, secret);
    return isCurrent || isPrevious;
  }

  /**
   * A resume with {@code used} succeeded: issues the next token; {@code used} stays good until
   * {@link #confirmed()}.
   *
   * @return the new token
   */
  String resumed(byte[] used) {
    previous = used.clone();
    current = secret();
    return current();
  }

  /** The client sent a message on the resumed connection: it has the new token, the one it used is dead. */
  void confirmed() {
    previous = null;
  }
}
