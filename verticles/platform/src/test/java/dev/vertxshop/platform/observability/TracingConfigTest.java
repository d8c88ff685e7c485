package dev.vertxshop.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TracingConfig: off without an endpoint, URLs and names checked")
class TracingConfigTest {

  @Test
  @DisplayName("no SHOP_OTEL_ENDPOINT (or a blank one): no tracing at all")
  void offByDefault() {
    assertThat(TracingConfig.from(Env.of(Map.of()), List.of("orders"))).isEmpty();
    assertThat(TracingConfig.from(Env.of(Map.of("SHOP_OTEL_ENDPOINT", "  ")), List.of("orders"))).isEmpty();
  }

  @Test
  @DisplayName("a collector's base URL gets /v1/traces; a traces URL is kept; defaults name the service")
  void endpoints() {
    TracingConfig base = TracingConfig.from(Env.of(Map.of("SHOP_OTEL_ENDPOINT", "http://otel-collector:4318")),
        List.of("orders")).orElseThrow();
    assertThat(base.tracesUrl()).hasToString("http://otel-collector:4318/v1/traces");
    assertThat(base.serviceName()).isEqualTo("orders");
    assertThat(base.samplePercent()).isEqualTo(100);
    assertThat(base.exportDelay()).isEqualTo(Duration.ofSeconds(2));

    TracingConfig full = TracingConfig.from(Env.of(Map.of(
            "SHOP_OTEL_ENDPOINT", "https://collector.example.com/otlp/v1/traces/",
            "SHOP_OTEL_SERVICE_NAME", "shop-eu-1",
            "SHOP_OTEL_SAMPLE_PERCENT", "10",
            "SHOP_OTEL_EXPORT_DELAY", "250ms")),
        List.of("catalog", "gateway")).orElseThrow();
    assertThat(full.tracesUrl()).hasToString("https://collector.example.com/otlp/v1/traces");
    assertThat(full.serviceName()).isEqualTo("shop-eu-1");
    assertThat(full.samplePercent()).isEqualTo(10);
    assertThat(full.exportDelay()).isEqualTo(Duration.ofMillis(250));

    assertThat(TracingConfig.from(Env.of(Map.of("SHOP_OTEL_ENDPOINT", "http://127.0.0.1:4318/")), List.of("catalog", "gateway"))
        .orElseThrow().serviceName()).as("a node of several services").isEqualTo("vertx-shop");
  }

  @Test
  @DisplayName("unusable values stop the start naming the variable")
  void invalid() {
    for (String endpoint : List.of("collector:4318", "ftp://collector:21", "http://", "http://c:4318/?x=1", "http://u:p@c:4318",
        "not a url at all")) {
      assertThatThrownBy(() -> TracingConfig.from(Env.of(Map.of("SHOP_OTEL_ENDPOINT", endpoint)), List.of("orders")))
          .as(endpoint).isInstanceOf(ConfigException.class).hasMessageStartingWith("SHOP_OTEL_ENDPOINT: ");
    }
    assertThatThrownBy(() -> TracingConfig.from(Env.of(Map.of("SHOP_OTEL_ENDPOINT", "http://c:4318",
        "SHOP_OTEL_SERVICE_NAME", "no spaces please")), List.of("orders")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("SHOP_OTEL_SERVICE_NAME: ");
    assertThatThrownBy(() -> TracingConfig.from(Env.of(Map.of("SHOP_OTEL_ENDPOINT", "http://c:4318",
        "SHOP_OTEL_SAMPLE_PERCENT", "101")), List.of("orders")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("SHOP_OTEL_SAMPLE_PERCENT: ");
    assertThatThrownBy(() -> TracingConfig.from(Env.of(Map.of("SHOP_OTEL_ENDPOINT", "http://c:4318",
        "SHOP_OTEL_EXPORT_DELAY", "soon")), List.of("orders")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("SHOP_OTEL_EXPORT_DELAY: ");
  }
}
