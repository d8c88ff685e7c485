package dev.vertxshop.platform.boot;

import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.config.KafkaConfig;
import dev.vertxshop.platform.observability.ServiceTag;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.function.Supplier;

/** What a service gets from the node that runs it: Vert.x, its configuration, its pool, Kafka settings. */
public final class ServiceContext {

  private final String name;
  private final Vertx vertx;
  private final Env env;
  private final Pool pool;
  private final KafkaConfig kafka;
  private final List<String> deployments;
  private final MeterRegistry registry;

  ServiceContext(String name, Vertx vertx, Env env, Pool pool, KafkaConfig kafka, List<String> deployments, MeterRegistry registry) {
    this.name = name;
    this.vertx = vertx;
    this.env = env;
    this.pool = pool;
    this.kafka = kafka;
    this.deployments = deployments;
    this.registry = registry;
  }

  /** The node's metrics registry, for service metrics (breaker states, saga outcomes, ...). */
  public MeterRegistry meterRegistry() {
    return registry;
  }

  public String name() {
    return name;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Env env() {
    return env;
  }

  /** The pool on the service's own schema; only for services that declared {@link ShopService#usesDatabase()}. */
  public Pool pool() {
    if (pool == null) {
      throw new IllegalStateException(name + " did not declare a database");
    }
    return pool;
  }

  public KafkaConfig kafka() {
    return kafka;
  }

  /**
   * Deploys {@code instances} copies of a verticle and remembers it, so the node stops it in reverse order.
   * The deployment is tagged with the service's name, which every log line it writes then carries.
   */
  public Future<String> deploy(Supplier<? extends Deployable> verticle, int instances) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setInstances(instances).setConfig(ServiceTag.config(name)))
        .onSuccess(deployments::add);
  }
}
