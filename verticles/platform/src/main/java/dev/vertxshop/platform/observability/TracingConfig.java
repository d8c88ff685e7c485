package dev.vertxshop.platform.observability;

import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * OpenTelemetry tracing of a node: on only when {@code SHOP_OTEL_ENDPOINT} names an OTLP/HTTP collector
 * ({@code http://collector:4318}; spans go to its {@code /v1/traces}).
 *
 * @param tracesUrl where spans are posted
 * @param serviceName the {@code service.name} resource attribute
 * @param samplePercent share of new traces kept (a trace started elsewhere follows its caller's decision)
 * @param exportDelay how long finished spans wait to be sent in one batch
 */
public record TracingConfig(URI tracesUrl, String serviceName, int samplePercent, Duration exportDelay) {

  static final String TRACES_PATH = "/v1/traces";
  private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  /** The settings when tracing is asked for; empty (no tracer, no SDK loaded) otherwise. */
  public static Optional<TracingConfig> from(Env env, List<String> services) {
    if (!env.isSet("OTEL_ENDPOINT")) {
      return Optional.empty();
    }
    URI traces = tracesUrl(env.string("OTEL_ENDPOINT", null).trim());
    String name = env.string("OTEL_SERVICE_NAME", services.size() == 1 ? services.get(0) : "vertx-shop");
    if (!SERVICE_NAME.matcher(name).matches()) {
      throw new ConfigException(Env.var("OTEL_SERVICE_NAME"),
          "'" + shorten(name) + "' is not a service name (letters, digits, '.', '_', '-'; at most 100)");
    }
    int percent = env.integer("OTEL_SAMPLE_PERCENT", 100, 0, 100);
    Duration delay = env.duration("OTEL_EXPORT_DELAY", Duration.ofSeconds(2), Duration.ofMillis(10), Duration.ofMinutes(1));
    return Optional.of(new TracingConfig(traces, name, percent, delay));
  }

  private static URI tracesUrl(String raw) {
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw new ConfigException(Env.var("OTEL_ENDPOINT"), "'" + shorten(raw) + "' is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawQuery() != null
        || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new ConfigException(Env.var("OTEL_ENDPOINT"),
          "'" + shorten(raw) + "' must be an http(s) URL with a host and no query, such as http://otel-collector:4318");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    // Given as the collector's base URL (as OTEL_EXPORTER_OTLP_ENDPOINT is) or as the traces URL itself.
    if (!path.endsWith(TRACES_PATH)) {
      path = path + TRACES_PATH;
    }
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

  private static String shorten(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "..." : text;
  }
}
