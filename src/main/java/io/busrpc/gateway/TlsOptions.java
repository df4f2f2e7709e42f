package io.busrpc.gateway;

import io.vertx.core.json.JsonObject;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * TLS on the TCP listener: the {@code tls} object of the gateway's configuration.
 *
 * <pre>{@code
 * "tls": { "certPath": "server.crt", "keyPath": "server.key", "clientCaPath": "clients-ca.crt" }
 * }</pre>
 *
 * With {@code clientCaPath} set, clients must present a certificate signed by that CA.
 */
public class TlsOptions {

  private String certPath;
  private String keyPath;
  private String clientCaPath;

  /** Creates options with TLS off. */
  public TlsOptions() {
  }

  /** Reads the JSON form. */
  public TlsOptions(JsonObject json) {
    certPath = json.getString("certPath");
    keyPath = json.getString("keyPath");
    clientCaPath = json.getString("clientCaPath");
    if ((certPath == null) != (keyPath == null)) {
      throw new IllegalArgumentException("tls needs both certPath and keyPath");
    }
    if (clientCaPath != null && certPath == null) {
      throw new IllegalArgumentException("tls.clientCaPath needs tls.certPath and tls.keyPath");
    }
  }

  /** @return the JSON form */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (certPath != null) {
      json.put("certPath", certPath).put("keyPath", keyPath);
    }
    if (clientCaPath != null) {
      json.put("clientCaPath", clientCaPath);
    }
    return json;
  }

  /** @return whether TLS is on (a certificate and key are configured) */
  public boolean isEnabled() {
    return certPath != null;
  }

  /** @return the PEM certificate (chain) file */
  public String getCertPath() {
    return certPath;
  }

  /** @return the PEM private key file */
  public String getKeyPath() {
    return keyPath;
  }

  /** Turns TLS on with a PEM certificate (chain) and private key. */
  public TlsOptions setCertificate(String certPath, String keyPath) {
    if (certPath == null || keyPath == null) {
      throw new IllegalArgumentException("tls needs both certPath and keyPath");
    }
    this.certPath = certPath;
    this.keyPath = keyPath;
    return this;
  }

  /** @return the PEM file of the CA that signs client certificates, or {@code null} */
  public String getClientCaPath() {
    return clientCaPath;
  }

  /** Requires client certificates signed by the CA in this PEM file; {@code null} does not ask for any. */
  public TlsOptions setClientCaPath(String clientCaPath) {
    this.clientCaPath = clientCaPath;
    return this;
  }

  /** Applies these options to a server's options (used by the gateway when it listens). */
  public void applyTo(NetServerOptions server) {
    if (!isEnabled()) {
      return;
    }
    server.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(certPath).setKeyPath(keyPath));
    if (clientCaPath != null) {
      server.setTrustOptions(new PemTrustOptions().addCertPath(clientCaPath)).setClientAuth(ClientAuth.REQUIRED);
    }
  }
}
