package dev.vertxshop.platform.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cluster key material for tests: a self-signed EC P-256 certificate (its own CA; cheaper handshakes than RSA on a loaded machine) and its key, made with the
 * JDK's keytool (no other tool needed), and a random cluster secret. {@link #shared()} is made once per
 * test JVM; {@link #generate} makes another (a node of another cluster, or an intruder's).
 */
public final class ClusterKeys {

  private static ClusterKeys shared;

  /** PEM texts. */
  public final String certPem;
  public final String keyPem;
  public final String secret;

  private ClusterKeys(String certPem, String keyPem, String secret) {
    this.certPem = certPem;
    this.keyPem = keyPem;
    this.secret = secret;
  }

  /** The key material of this test JVM's clusters. */
  public static synchronized ClusterKeys shared() {
    if (shared == null) {
      shared = generate("shop-cluster-test");
    }
    return shared;
  }

  /** Fresh key material: a certificate for {@code commonName} and a new secret. */
  public static ClusterKeys generate(String commonName) {
    try {
      Path dir = Files.createTempDirectory("cluster-keys-");
      Path store = dir.resolve("node.p12");
      String password = "test-" + Long.toHexString(new SecureRandom().nextLong());
      Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
          "-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30",
          "-dname", "CN=" + commonName, "-ext", "bc:c", "-storetype", "PKCS12", "-keystore", store.toString(),
          "-storepass", password, "-keypass", password).redirectErrorStream(true).start();
      String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + output);
      }
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        keyStore.load(in, password.toCharArray());
      }
      Key key = keyStore.getKey("node", password.toCharArray());
      Certificate cert = keyStore.getCertificate("node");
      Files.delete(store);
      Files.delete(dir);
      byte[] secret = new byte[24];
      new SecureRandom().nextBytes(secret);
      return new ClusterKeys(pem("CERTIFICATE", cert.getEncoded()), pem("PRIVATE KEY", key.getEncoded()),
          Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot make cluster keys", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SHOP_CLUSTER_SECRET and SHOP_CLUSTER_TLS_* (PEM values; the certificate is its own CA). */
  public Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("SHOP_CLUSTER_SECRET", secret);
    env.put("SHOP_CLUSTER_TLS_CERT", certPem);
    env.put("SHOP_CLUSTER_TLS_KEY", keyPem);
    env.put("SHOP_CLUSTER_TLS_CA", certPem);
    return env;
  }

  /** The same, as files in {@code dir} (cluster.crt, cluster.key, ca.crt; mode 0600 for the key). */
  public Map<String, String> writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("cluster.crt"), certPem);
    Files.writeString(dir.resolve("ca.crt"), certPem);
    Path key = dir.resolve("cluster.key");
    Files.writeString(key, keyPem);
    Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Map<String, String> env = new HashMap<>();
    env.put("SHOP_CLUSTER_SECRET", secret);
    for (String name : List.of("CERT:cluster.crt", "KEY:cluster.key", "CA:ca.crt")) {
      String[] parts = name.split(":");
      env.put("SHOP_CLUSTER_TLS_" + parts[0], dir.resolve(parts[1]).toString());
    }
    return env;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
