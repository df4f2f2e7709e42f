package io.busrpc.app;

import io.vertx.core.json.JsonObject;

/**
 * One handler verticle the node deploys: its class, how many instances, and its own config.
 *
 * @param className the verticle's fully qualified class name
 * @param instances how many instances to deploy (at least 1)
 * @param config    the verticle's config; the gateway's {@code addressPrefix} is added to it
 */
public record HandlerDeployment(String className, int instances, JsonObject config) {

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

  /** Reads {@code {"class": ..., "instances": 1, "config": {...}}}. */
  public static HandlerDeployment fromJson(JsonObject json) {
    return new HandlerDeployment(json.getString("class"), json.getInteger("instances", 1), json.getJsonObject("config"));
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    return new JsonObject().put("class", className).put("instances", instances).put("config", config);
  }
}
