package io.busrpc.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which pages may use the web listener, judged by the {@code Origin} header browsers send: a request
 * without one (a non-browser client) is accepted, the listener's own origin always is, others only
 * when {@code web.allowedOrigins} lists them (or holds {@code "*"}); the rest get 403. It guards the
 * WebSocket handshake against cross-site WebSocket hijacking, and answers CORS for {@code POST}.
 *
 * <p>Not vertx-web's {@code CorsHandler}: it treats an empty origin list as "any origin", cannot know
 * the listener's own origin (that depends on the {@code Host} the browser used), and checks nothing
 * on a WebSocket handshake.
 */
final class OriginPolicy implements Handler<RoutingContext> {

  /** How long browsers may cache a preflight answer, in seconds. */
  static final String PREFLIGHT_MAX_AGE = "600";

  private final boolean anyOrigin;
  private final Set<String> allowed = new HashSet<>();
  private final String scheme;

  OriginPolicy(List<String> allowedOrigins, boolean tls) {
    this.anyOrigin = allowedOrigins.contains(WebOptions.ANY_ORIGIN);
    allowedOrigins.forEach(origin -> allowed.add(normalize(origin)));
    this.scheme = tls ? "https" : "http";
  }

  /** Refuses a request from a page of an origin that is not allowed; adds the CORS headers otherwise. */
  @Override
  public void handle(RoutingContext context) {
    HttpServerRequest request = context.request();
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (origin == null) {
      context.next();
      return;
    }
    if (!allows(request.authority(), origin)) {
      context.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .end("origin " + origin + " is not allowed (web.allowedOrigins)\n");
      return;
    }
    HttpServerResponse response = context.response();
    response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin).putHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
    if (request.method() == HttpMethod.OPTIONS && request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null) {
      // A preflight: the only cross-origin call is POST with a JSON body and maybe a bearer token.
      response.setStatusCode(204)
        .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, "POST")
        .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, "content-type, authorization")
        .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE)
        .end();
      return;
    }
    context.next();
  }

  /**
   * @param authority the request's {@code Host}
   * @param origin its {@code Origin} header, or null
   * @return whether a request with this {@code Origin} header may go on
   */
  boolean allows(HostAndPort authority, String origin) {
    if (origin == null || anyOrigin) {
      return true;
    }
    String normalized = normalize(origin);
    return allowed.contains(normalized) || normalized.equals(ownOrigin(authority));
  }

  /** The origin of the page this listener serves, as the browser addressed it (its Host header). */
  private String ownOrigin(HostAndPort authority) {
    if (authority == null) {
      return null;
    }
    return normalize(scheme + "://" + authority.host() + (authority.port() >= 0 ? ":" + authority.port() : ""));
  }

  /** Lower case, without the scheme's default port, as browsers write origins. */
  static String normalize(String origin) {
    String lower = origin.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") && lower.endsWith(":80")) {
      return lower.substring(0, lower.length() - 3);
    }
    if (lower.startsWith("https://") && lower.endsWith(":443")) {
      return lower.substring(0, lower.length() - 4);
    }
    return lower;
  }
}
