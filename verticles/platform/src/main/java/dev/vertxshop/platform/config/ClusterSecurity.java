package dev.vertxshop.platform.config;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What closes the cluster: the shared secret every member proves it holds ({@code SHOP_CLUSTER_SECRET}),
 * and the event bus's TLS key material ({@code SHOP_CLUSTER_TLS_CERT}, {@code _KEY}, {@code _CA}: each a
 * PEM text, or the path of a PEM file). Both are required on a clustered node unless
 * {@code SHOP_CLUSTER_INSECURE=true} says, for local development, that the cluster may run open.
 */
public record ClusterSecurity(Optional<String> secret, Optional<Tls> tls, boolean insecure) {

  /** The shortest secret accepted: 16 characters (the deployment scripts generate 32). */
  public static final int MIN_SECRET_LENGTH = 16;

  /** No secret, no TLS: a cluster anyone on its network may join (tests of other things, local development). */
  public static final ClusterSecurity OPEN = new ClusterSecurity(Optional.empty(), Optional.empty(), true);

  /** The event bus's certificate chain and key (PEM) and the certificates it trusts, peers' and its own. */
  public record Tls(Buffer cert, Buffer key, Buffer ca) {
  }

  public ClusterSecurity {
    secret.ifPresent(s -> {
      if (s.length() < MIN_SECRET_LENGTH) {
        throw new ConfigException(Env.var("CLUSTER_SECRET"), "is shorter than " + MIN_SECRET_LENGTH + " characters");
      }
    });
  }

  /** Whatever of the secret and TLS is missing; empty when the cluster is closed. */
  public List<String> openings() {
    List<String> missing = new ArrayList<>();
    if (secret.isEmpty()) {
      missing.add("no " + Env.var("CLUSTER_SECRET") + ": any process that reaches the Hazelcast port is a trusted member");
    }
    if (tls.isEmpty()) {
      missing.add("no " + Env.var("CLUSTER_TLS_CERT") + ": the event bus is plain TCP, anyone who reaches it can send to any service");
    }
    return missing;
  }

  public static ClusterSecurity from(Env env) {
    boolean insecure = env.bool("CLUSTER_INSECURE", false);
    Optional<String> secret = Optional.ofNullable(env.string("CLUSTER_SECRET", null));
    String cert = env.string("CLUSTER_TLS_CERT", null);
    String key = env.string("CLUSTER_TLS_KEY", null);
    String ca = env.string("CLUSTER_TLS_CA", null);
    Optional<Tls> tls = Optional.empty();
    if (cert != null || key != null || ca != null) {
      // Partial key material is a broken deployment, open or not.
      tls = Optional.of(new Tls(
          pem("CLUSTER_TLS_CERT", required("CLUSTER_TLS_CERT", cert), "CERTIFICATE"),
          pem("CLUSTER_TLS_KEY", required("CLUSTER_TLS_KEY", key), "PRIVATE KEY"),
          pem("CLUSTER_TLS_CA", required("CLUSTER_TLS_CA", ca), "CERTIFICATE")));
    }
    if (!insecure) {
      if (secret.isEmpty()) {
        throw new ConfigException(Env.var("CLUSTER_SECRET"),
            "is required on a clustered node (or SHOP_CLUSTER_INSECURE=true, for local development only)");
      }
      if (tls.isEmpty()) {
        throw new ConfigException(Env.var("CLUSTER_TLS_CERT"), "with SHOP_CLUSTER_TLS_KEY and SHOP_CLUSTER_TLS_CA is required "
            + "on a clustered node (or SHOP_CLUSTER_INSECURE=true, for local development only)");
      }
    }
    return new ClusterSecurity(secret, tls, insecure);
  }

  private static String required(String name, String value) {
    if (value == null) {
      throw new ConfigException(Env.var(name), "is required when any of SHOP_CLUSTER_TLS_CERT, _KEY, _CA is set");
    }
    return value;
  }

  /** A PEM text as given, or the content of the file it names; it must hold a block of {@code type}. */
  private static Buffer pem(String name, String value, String type) {
    String text = value;
    if (!value.startsWith("-----BEGIN")) {
      try {
        text = Files.readString(Path.of(value), StandardCharsets.US_ASCII);
      } catch (IOException | InvalidPathException e) {
        throw new ConfigException(Env.var(name), "is neither PEM text nor a readable file (" + e.getClass().getSimpleName() + ")");
      }
    }
    // Never repeat the value: it may be a private key.
    if (!text.contains("-----BEGIN ") || !text.contains(type + "-----")) {
      throw new ConfigException(Env.var(name), "holds no PEM '" + type + "' block");
    }
    return Buffer.buffer(text);
  }
}
