package dev.vertxshop.platform.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenTelemetry SDK of a node: spans of HTTP servers and clients, event-bus messages, SQL and Kafka
 * (what Vert.x traces), batched to an OTLP/HTTP collector, with W3C trace context carried across the
 * event bus and HTTP. Built only when {@link TracingConfig} asks for it: a node without an endpoint never
 * loads this class, so it has neither a tracer nor any SDK cost.
 */
public final class NodeTracing {

  private static final Logger LOG = LoggerFactory.getLogger(NodeTracing.class);
  private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(10);

  private final OpenTelemetrySdk sdk;
  private final TracingConfig config;

  private NodeTracing(OpenTelemetrySdk sdk, TracingConfig config) {
    this.sdk = sdk;
    this.config = config;
  }

  /** Builds the SDK and its exporter; nothing is sent until spans end. */
  public static NodeTracing start(TracingConfig config) {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(config.tracesUrl().toString())
        .setTimeout(EXPORT_TIMEOUT)
        .build();
    Resource resource = Resource.getDefault()
        .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), config.serviceName())));
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
        .setResource(resource)
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.samplePercent() / 100.0)))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(config.exportDelay()).build())
        .build();
    // Not registered as the global instance: two nodes in one JVM (tests) each keep their own.
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(tracerProvider)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
    LOG.info("tracing on: spans of {} to {} ({}% of new traces)", config.serviceName(), config.tracesUrl(),
        config.samplePercent());
    return new NodeTracing(sdk, config);
  }

  /** Makes the Vert.x instance being built trace through this SDK. */
  public VertxBuilder apply(VertxBuilder builder, VertxOptions options) {
    options.setTracingOptions(new OpenTelemetryOptions());
    return builder.withTracer(new OpenTelemetryTracingFactory(sdk));
  }

  /** Sends the spans still buffered and stops the exporter; completes when done or after the export timeout. */
  public Future<Void> shutdown() {
    Promise<Void> done = Promise.promise();
    sdk.shutdown().whenComplete(done::tryComplete);
    return done.future();
  }

  public TracingConfig config() {
    return config;
  }
}
