package io.busrpc.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code busrpc health}: asks a node's management server for {@code /health}; exit status 0 when it
 * answers 200. The container image's HEALTHCHECK runs it (the image has no curl).
 */
@Command(name = "health", mixinStandardHelpOptions = true,
  description = "Checks a node's GET /health; exit status 0 when healthy, 1 otherwise.")
public final class HealthCommand implements Callable<Integer> {

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Management host (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", description = "Management port (default: env BUSRPC_MANAGEMENT_PORT, else 7080).")
  Integer port;

  @Option(names = "--timeout", defaultValue = "3000", description = "Timeout in ms (default: ${DEFAULT-VALUE}).")
  long timeout;

  @Override
  public Integer call() {
    int target = port != null ? port : envPort();
    try {
      HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(timeout)).build()
        .send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + target + "/health"))
          .timeout(Duration.ofMillis(timeout)).build(), HttpResponse.BodyHandlers.ofString());
      System.out.print(response.body());
      return response.statusCode() == 200 ? 0 : 1;
    } catch (Exception e) {
      System.out.println("unhealthy: " + e.getMessage());
      return 1;
    }
  }

  private static int envPort() {
    String value = System.getenv("BUSRPC_MANAGEMENT_PORT");
    return value == null || value.isBlank() ? 7080 : Integer.parseInt(value.trim());
  }
}
