package io.busrpc.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PEM certificates for TLS tests, made in Java (BouncyCastle) so that no test depends on an
 * {@code openssl} binary: a self-signed server certificate for 127.0.0.1 and localhost, a clients'
 * CA, and a client certificate that CA signed. EC P-256 keys, valid for one day.
 */
public final class TestCertificates {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  /**
   * Writes {@code cert.pem}/{@code key.pem} (server, self-signed), {@code ca.pem}/{@code ca.key}
   * (clients' CA) and {@code client.pem}/{@code client.key} (signed by that CA) into {@code dir}.
   */
  public static TestCertificates create(Path dir) throws IOException, GeneralSecurityException, OperatorCreationException {
    KeyPair server = keyPair();
    write(dir, "key.pem", server.getPrivate());
    write(dir, "cert.pem", certificate("CN=localhost", server, "CN=localhost", server.getPrivate(), false, true));
    KeyPair ca = keyPair();
    write(dir, "ca.key", ca.getPrivate());
    write(dir, "ca.pem", certificate("CN=busrpc test clients CA", ca, "CN=busrpc test clients CA", ca.getPrivate(), true, false));
    KeyPair client = keyPair();
    write(dir, "client.key", client.getPrivate());
    write(dir, "client.pem", certificate("CN=client", client, "CN=busrpc test clients CA", ca.getPrivate(), false, false));
    return new TestCertificates(dir);
  }

  /** @return the path of one of the files {@link #create} wrote */
  public String path(String name) {
    return dir.resolve(name).toString();
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static byte[] certificate(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey,
                                    boolean ca, boolean loopbackNames) throws IOException, OperatorCreationException {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
      BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
      Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), subjectKeys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    if (loopbackNames) {
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
    }
    return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)).getEncoded();
  }

  private static void write(Path dir, String name, PrivateKey key) throws IOException {
    pem(dir.resolve(name), "PRIVATE KEY", key.getEncoded()); // PKCS#8, as openssl writes it
  }

  private static void write(Path dir, String name, byte[] certificate) throws IOException {
    pem(dir.resolve(name), "CERTIFICATE", certificate);
  }

  private static void pem(Path file, String type, byte[] der) throws IOException {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
  }
}
