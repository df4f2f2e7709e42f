package io.busrpc.gateway.auth;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * How {@code rpc.login} is checked: the {@code auth} object of the gateway's configuration.
 *
 * <pre>{@code
 * "auth": { "type": "anonymous" }
 * "auth": { "type": "bus", "address": "myapp.auth", "timeout": 5000 }
 * "auth": { "type": "jwt", "algorithm": "HS256", "key": "secret", "rolesClaim": "roles" }
 * }</pre>
 */
public class AuthOptions {

  /** The kinds of authenticator. */
  public enum Type {
    /** Every login is refused (the default: nothing is trusted unless configured). */
    NONE,
    /** The uid the client names is trusted; for local try-outs only, the gateway warns at start. */
    ANONYMOUS,
    /** A verticle of yours at {@link #getAddress()} decides. */
    BUS,
    /** A JWT signed with {@link #getJwtKey()} decides. */
    JWT
  }

  /** Default authenticator: none, every login is refused. */
  public static final Type DEFAULT_TYPE = Type.NONE;
  /** Default time the bus authenticator may take, in ms. */
  public static final long DEFAULT_TIMEOUT = 5_000;
  /** Default JWT algorithm. */
  public static final String DEFAULT_JWT_ALGORITHM = "HS256";
  /** Default claim holding the roles. */
  public static final String DEFAULT_ROLES_CLAIM = "roles";
  /** By default a JWT must carry an {@code exp} claim: a token that never expires is refused. */
  public static final boolean DEFAULT_REQUIRE_EXPIRY = true;

  private Type type = DEFAULT_TYPE;
  private String address;
  private long timeout = DEFAULT_TIMEOUT;
  private String jwtAlgorithm = DEFAULT_JWT_ALGORITHM;
  private String jwtKey;
  private String jwtIssuer;
  private String jwtAudience;
  private String jwtRolesClaim = DEFAULT_ROLES_CLAIM;
  private boolean requireExpiry = DEFAULT_REQUIRE_EXPIRY;

  /** Creates options with every default. */
  public AuthOptions() {
  }

  /**
   * Reads the JSON form.
   *
   * @throws IllegalArgumentException naming the option when a value is invalid
   */
  public AuthOptions(JsonObject json) {
    setType(json.getString("type", type.name()));
    address = json.getString("address");
    setTimeout(json.getLong("timeout", timeout));
    setJwtAlgorithm(json.getString("algorithm", jwtAlgorithm));
    jwtKey = json.getString("key");
    jwtIssuer = json.getString("issuer");
    jwtAudience = json.getString("audience");
    jwtRolesClaim = json.getString("rolesClaim", jwtRolesClaim);
    setRequireExpiry(json.getBoolean("requireExpiry", requireExpiry));
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", type.name().toLowerCase(Locale.ROOT)).put("timeout", timeout)
      .put("algorithm", jwtAlgorithm).put("rolesClaim", jwtRolesClaim).put("requireExpiry", requireExpiry);
    if (address != null) {
      json.put("address", address);
    }
    if (jwtKey != null) {
      json.put("key", jwtKey);
    }
    if (jwtIssuer != null) {
      json.put("issuer", jwtIssuer);
    }
    if (jwtAudience != null) {
      json.put("audience", jwtAudience);
    }
    return json;
  }

  /** @return the kind of authenticator */
  public Type getType() {
    return type;
  }

  /** Sets the kind of authenticator by name: none, anonymous, bus or jwt. */
  public AuthOptions setType(String type) {
    try {
      this.type = Type.valueOf(type.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("auth.type must be none, anonymous, bus or jwt, was " + type);
    }
    return this;
  }

  /** Sets the kind of authenticator. */
  public AuthOptions setType(Type type) {
    this.type = type;
    return this;
  }

  /** @return the bus address of the auth verticle ({@code bus} only) */
  public String getAddress() {
    return address;
  }

  /** Sets the bus address of the auth verticle ({@code bus} only). */
  public AuthOptions setAddress(String address) {
    this.address = address;
    return this;
  }

  /** @return how long the auth verticle may take, in ms */
  public long getTimeout() {
    return timeout;
  }

  /** Sets how long the auth verticle may take, in ms (at least 1). */
  public AuthOptions setTimeout(long timeout) {
    if (timeout < 1) {
      throw new IllegalArgumentException("auth.timeout must be at least 1 ms, was " + timeout);
    }
    this.timeout = timeout;
    return this;
  }

  /** @return the JWT signature algorithm (HS256, RS256, ES256, ...) */
  public String getJwtAlgorithm() {
    return jwtAlgorithm;
  }

  /** Sets the JWT signature algorithm (HS256, RS256, ES256, ...). */
  public AuthOptions setJwtAlgorithm(String jwtAlgorithm) {
    if (jwtAlgorithm == null || jwtAlgorithm.isBlank()) {
      throw new IllegalArgumentException("auth.algorithm must not be empty");
    }
    this.jwtAlgorithm = jwtAlgorithm;
    return this;
  }

  /** @return the HS256 secret or the PEM public key */
  public String getJwtKey() {
    return jwtKey;
  }

  /** Sets the HS256 secret or the PEM public key that verifies tokens. */
  public AuthOptions setJwtKey(String jwtKey) {
    this.jwtKey = jwtKey;
    return this;
  }

  /** @return the issuer tokens must name, or {@code null} for any */
  public String getJwtIssuer() {
    return jwtIssuer;
  }

  /** Sets the issuer tokens must name. */
  public AuthOptions setJwtIssuer(String jwtIssuer) {
    this.jwtIssuer = jwtIssuer;
    return this;
  }

  /** @return the audience tokens must name, or {@code null} for any */
  public String getJwtAudience() {
    return jwtAudience;
  }

  /** Sets the audience tokens must name. */
  public AuthOptions setJwtAudience(String jwtAudience) {
    this.jwtAudience = jwtAudience;
    return this;
  }

  /** @return the claim that holds the roles */
  public String getJwtRolesClaim() {
    return jwtRolesClaim;
  }

  /** Sets the claim that holds the roles (a string or an array of strings). */
  public AuthOptions setJwtRolesClaim(String jwtRolesClaim) {
    this.jwtRolesClaim = jwtRolesClaim;
    return this;
  }

  /** @return whether a JWT without an {@code exp} claim is refused ({@code jwt} only) */
  public boolean isRequireExpiry() {
    return requireExpiry;
  }

  /**
   * Sets whether a JWT without an {@code exp} claim is refused (default true). Turn it off only for
   * tokens whose lifetime is bounded some other way: a token that never expires cannot be revoked.
   */
  public AuthOptions setRequireExpiry(boolean requireExpiry) {
    this.requireExpiry = requireExpiry;
    return this;
  }
}
