package io.busrpc.app;

import io.vertx.core.json.JsonObject;

/**
 * One handler verticle the node deploys: its class, how many instances, and its own config.
 *
 * @param className    the verticle's fully qualified class name
 * @param instances    how many instances to deploy (at least 1); with {@code perEventLoop}, how many
 *                     on each event loop
 * @param config       the verticle's config; the gateway's {@code addressPrefix} is added to it
 * @param perEventLoop true to deploy {@code instances} on each of the node's event loops: the calls
 *                     a gateway instance receives then go to the instance on its own event loop,
 *                     with no hand-off to another thread (for handlers that answer without blocking)
 */
public record HandlerDeployment(String className, int instances, JsonObject config, boolean perEventLoop) {

  /** Checks the values. */
  public HandlerDeployment {
    if (className == null || className.isBlank()) {
      throw new IllegalArgumentException("handlers[].class must name a verticle class");
    }
    if (instances < 1) {
      throw new IllegalArgumentException("handlers[].instances must be at least 1, was " + instances);
    }
    config = config == null ? new JsonObject() : config;
  }

  /** A deployment of {@code instances} instances in all, wherever Vert.x places them. */
  public HandlerDeployment(String className, int instances, JsonObject config) {
    this(className, instances, config, false);
  }

  /** Reads {@code {"class": ..., "instances": 1, "perEventLoop": false, "config": {...}}}. */
  public static HandlerDeployment fromJson(JsonObject json) {
    return new HandlerDeployment(json.getString("class"), json.getInteger("instances", 1), json.getJsonObject("config"),
      json.getBoolean("perEventLoop", false));
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    return new JsonObject().put("class", className).put("instances", instances).put("perEventLoop", perEventLoop)
      .put("config", config);
  }
}
