package io.busrpc.web;

import io.busrpc.app.BusRpcOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code web} block of the configuration: on only when present, its env overrides, its checks. */
class WebOptionsTest {

  @Test
  void theListenerIsOnOnlyWithAWebBlock() {
    assertNull(new BusRpcOptions(new JsonObject()).getWeb());
    assertNull(new BusRpcOptions(new JsonObject()).applyEnvironment(Map.of("BUSRPC_WEB_PORT", "9000")).getWeb(),
      "the env overrides a configured listener, it does not turn one on");
    WebOptions web = new BusRpcOptions(new JsonObject().put("web", new JsonObject())).getWeb();
    assertNotNull(web);
    assertEquals(WebOptions.DEFAULT_HOST, web.getHost());
    assertEquals(7070, web.getPort());
  }

  @Test
  void theEnvironmentOverridesHostAndPort() {
    BusRpcOptions options = new BusRpcOptions(new JsonObject().put("web", new JsonObject().put("port", 7070)))
      .applyEnvironment(Map.of("BUSRPC_WEB_HOST", "0.0.0.0", "BUSRPC_WEB_PORT", "0"));
    assertEquals("0.0.0.0", options.getWeb().getHost());
    assertEquals(0, options.getWeb().getPort());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
      () -> new WebOptions().applyEnvironment(Map.of("BUSRPC_WEB_PORT", "web")));
    assertTrue(bad.getMessage().contains("BUSRPC_WEB_PORT"), bad.getMessage());
  }

  @Test
  void theJsonFormRoundTrips() {
    JsonObject json = new JsonObject().put("host", "0.0.0.0").put("port", 8443)
      .put("tls", new JsonObject().put("certPath", "c.pem").put("keyPath", "k.pem"))
      .put("allowedOrigins", new JsonArray().add("https://game.example.com").add("null")).put("demo", true);
    WebOptions options = new WebOptions(json);
    assertEquals(json, options.toJson());
    assertEquals(json, options.copy().toJson());
    assertEquals(json, new BusRpcOptions(new JsonObject().put("web", json)).toJson().getJsonObject("web"));
  }

  @Test
  void badValuesAreRefusedNamingTheOption() {
    for (String origin : List.of("game.example.com", "https://game.example.com/", "https://game.example.com/x",
      "https://game.example.com?q", "")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new WebOptions().setAllowedOrigins(List.of(origin)), origin);
      assertTrue(e.getMessage().contains("web.allowedOrigins"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> new WebOptions().setPort(65536));
    assertThrows(IllegalArgumentException.class, () -> new WebOptions().setHost(" "));
  }
}
