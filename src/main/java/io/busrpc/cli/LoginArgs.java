package io.busrpc.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Option;

/** The login options of the commands that may log in before they call. */
final class LoginArgs {

  @Option(names = "--uid", description = "Log in as this uid first (rpc.login {\"uid\": U}).")
  String uid;

  @Option(names = "--login", description = "Log in with these rpc.login params first, e.g. '{\"token\":\"...\"}'.")
  String login;

  /** @return the rpc.login params, or {@code null} when no login is asked for; fails on --login that is not a JSON object */
  JsonObject credentials() {
    return login != null ? new JsonObject(login) : uid != null ? new JsonObject().put("uid", uid) : null;
  }
}
