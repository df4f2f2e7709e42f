package io.busrpc.discovery;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** busrpc's own version, as Maven wrote it into {@code io/busrpc/version.properties} at build time. */
public final class BusRpcVersion {

  private static final String VERSION = load();

  private BusRpcVersion() {
  }

  /** @return the version, e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} when the resource is missing */
  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = BusRpcVersion.class.getResourceAsStream("/io/busrpc/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
