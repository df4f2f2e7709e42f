package io.busrpc.app;

import io.busrpc.gateway.GatewayOptions;
import io.busrpc.management.ManagementOptions;
import io.busrpc.web.WebOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configuration of a busrpc node, the JSON file given with {@code -conf}: the gateway's
 * options and the handler verticles to deploy.
 *
 * <pre>{@code
 * { "gateway": { "port": 7000 }, "handlers": [ { "class": "com.example.MathVerticle", "instances": 2 } ] }
 * }</pre>
 *
 * <p>Environment variables override the file: {@code BUSRPC_TCP_HOST}, {@code BUSRPC_TCP_PORT},
 * {@code BUSRPC_MANAGEMENT_HOST}, {@code BUSRPC_MANAGEMENT_PORT}, and when the file has a {@code web}
 * block, {@code BUSRPC_WEB_HOST} and {@code BUSRPC_WEB_PORT}.
 */
public class BusRpcOptions {

  private GatewayOptions gateway = new GatewayOptions();
  private List<HandlerDeployment> handlers = new ArrayList<>();
  private ManagementOptions management = new ManagementOptions();
  private WebOptions web;

  /** Creates options with every default and no handlers. */
  public BusRpcOptions() {
  }

  /**
   * Reads the JSON form.
   *
   * @throws IllegalArgumentException naming the option when a value is out of range
   */
  public BusRpcOptions(JsonObject json) {
    gateway = new GatewayOptions(json.getJsonObject("gateway", new JsonObject()));
    management = new ManagementOptions(json.getJsonObject("management", new JsonObject()));
    JsonObject webJson = json.getJsonObject("web");
    web = webJson == null ? null : new WebOptions(webJson);
    JsonArray list = json.getJsonArray("handlers", new JsonArray());
    for (int i = 0; i < list.size(); i++) {
      handlers.add(HandlerDeployment.fromJson(list.getJsonObject(i)));
    }
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    handlers.forEach(h -> list.add(h.toJson()));
    JsonObject json = new JsonObject().put("gateway", gateway.toJson()).put("management", management.toJson());
    if (web != null) {
      json.put("web", web.toJson());
    }
    return json.put("handlers", list);
  }

  /**
   * Applies {@code BUSRPC_TCP_HOST}, {@code BUSRPC_TCP_PORT}, {@code BUSRPC_MANAGEMENT_HOST},
   * {@code BUSRPC_MANAGEMENT_PORT} and, when the web listener is configured, {@code BUSRPC_WEB_HOST}
   * and {@code BUSRPC_WEB_PORT} from the given environment.
   */
  public BusRpcOptions applyEnvironment(Map<String, String> env) {
    management.applyEnvironment(env);
    if (web != null) {
      web.applyEnvironment(env);
    }
    String host = env.get("BUSRPC_TCP_HOST");
    if (host != null && !host.isBlank()) {
      gateway.setHost(host.trim());
    }
    String port = env.get("BUSRPC_TCP_PORT");
    if (port != null && !port.isBlank()) {
      try {
        gateway.setPort(Integer.parseInt(port.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("BUSRPC_TCP_PORT must be a port number, was '" + port + "'");
      }
    }
    return this;
  }

  /** @return the gateway's options */
  public GatewayOptions getGateway() {
    return gateway;
  }

  /** Sets the gateway's options. */
  public BusRpcOptions setGateway(GatewayOptions gateway) {
    this.gateway = gateway;
    return this;
  }

  /** @return the management server's options */
  public ManagementOptions getManagement() {
    return management;
  }

  /** Sets the management server's options. */
  public BusRpcOptions setManagement(ManagementOptions management) {
    this.management = management;
    return this;
  }

  /** @return the web listener's options, or {@code null} when it is off (no {@code web} block) */
  public WebOptions getWeb() {
    return web;
  }

  /** Sets the web listener's options; {@code null} turns it off. */
  public BusRpcOptions setWeb(WebOptions web) {
    this.web = web;
    return this;
  }

  /** @return the handler verticles to deploy */
  public List<HandlerDeployment> getHandlers() {
    return handlers;
  }

  /** Adds a handler verticle to deploy. */
  public BusRpcOptions addHandler(HandlerDeployment handler) {
    handlers.add(handler);
    return this;
  }
}
