package dev.vertxshop.search;

import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.contracts.search.SearchContract;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.config.KafkaConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the product index: the only holder of the Lucene writer and searchers, the only reader of the
 * product topic, and the server of {@code search.query}.
 *
 * <p>At start it reads the compacted topic from the beginning of every partition, without a consumer
 * group, up to the end offsets taken at start, and only then reports started: once the node is
 * ready, search knows every product. It then keeps tailing the topic. Writes run in order on a
 * private worker pool; searches run on the same pool concurrently; a timer makes applied changes
 * searchable.
 */
public final class SearchIndexVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SearchIndexVerticle.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long MAX_BACKOFF_MS = 5_000;

  private final SearchConfig config;
  private final KafkaConfig kafka;

  private WorkerExecutor lucene;
  private ProductIndex index;
  private KafkaConsumer<String, String> consumer;
  private MessageConsumer<Object> queries;
  private long refreshTimer = -1;
  private boolean running;
  private boolean dirty;
  private boolean refreshing;
  private Promise<Void> tailStopped;

  public SearchIndexVerticle(SearchConfig config, KafkaConfig kafka) {
    this.config = config;
    this.kafka = kafka;
  }

  @Override
  public Future<?> start() {
    // A private pool: Lucene work must not queue behind (or starve) other blocking work of the node.
    lucene = vertx.createSharedWorkerExecutor("shop-search-" + deploymentID(), config.workers());
    return lucene.executeBlocking(() -> ProductIndex.open(config.indexDir()), true)
        .compose(opened -> {
          index = opened;
          consumer = KafkaConsumer.create(vertx, consumerSettings());
          consumer.exceptionHandler(e -> LOG.warn("product topic consumer error: {}", e.getMessage()));
          return rebuild();
        })
        .compose(v -> {
          queries = Bus.serve(vertx, SearchContract.QUERY, this::query);
          return queries.completion();
        })
        .onSuccess(v -> {
          running = true;
          tailStopped = Promise.promise();
          refreshTimer = vertx.setPeriodic(config.refreshInterval().toMillis(), id -> refreshIfDirty());
          tail();
        })
        // Vert.x does not call stop() after a failed start: release the consumer, index and pool here.
        .recover(failure -> stop().transform(ignored -> Future.failedFuture(failure)));
  }

  @Override
  public Future<?> stop() {
    running = false;
    vertx.cancelTimer(refreshTimer);
    Future<Void> unregistered = queries == null ? Future.succeededFuture() : queries.unregister();
    Future<Void> tailDone = tailStopped == null ? Future.succeededFuture() : tailStopped.future();
    return Future.join(unregistered, tailDone)
        .eventually(() -> consumer == null ? Future.succeededFuture() : consumer.close())
        // Ordered: runs after any write in progress; searches still running see a closed index and fail.
        .eventually(() -> index == null ? Future.succeededFuture() : lucene.executeBlocking(() -> {
          index.close();
          return null;
        }, true))
        .eventually(() -> lucene.close());
  }

  private Future<JsonObject> query(Message<Object> message) {
    SearchQuery query = SearchQuery.parse(message.body());
    return lucene.executeBlocking(() -> index.search(query), false);
  }

  // Assigned, not subscribed: every replica reads every partition; there is no group to commit to.
  private Map<String, String> consumerSettings() {
    Map<String, String> map = new HashMap<>();
    map.put("bootstrap.servers", kafka.bootstrapServers());
    map.put("client.id", "shop-search-index-" + deploymentID());
    map.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    map.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    map.put("enable.auto.commit", "false");
    map.put("auto.offset.reset", "earliest");
    map.put("isolation.level", "read_committed");
    return map;
  }

  /** Reads the whole topic into the empty index, up to the end offsets as of now, then makes it searchable. */
  private Future<Void> rebuild() {
    long started = System.nanoTime();
    long deadline = started + config.catchUpTimeout().toNanos();
    return partitions(deadline)
        .compose(partitions -> consumer.assign(partitions)
            .compose(v -> consumer.seekToBeginning(partitions))
            .compose(v -> consumer.endOffsets(partitions)))
        .compose(end -> {
          Promise<Long> caughtUp = Promise.promise();
          catchUp(end, deadline, 0, caughtUp);
          return caughtUp.future();
        })
        .compose(records -> lucene.executeBlocking(() -> {
          index.refresh();
          return index.size();
        }, true).onSuccess(products -> LOG.info("index rebuilt from {}: {} products from {} records in {} ms",
            CatalogContract.PRODUCTS_TOPIC, products, records, (System.nanoTime() - started) / 1_000_000)))
        .mapEmpty();
  }

  /** The topic's partitions; right after the topic was created the metadata may not list them yet. */
  private Future<Set<TopicPartition>> partitions(long deadline) {
    return consumer.partitionsFor(CatalogContract.PRODUCTS_TOPIC).compose(infos -> {
      if (!infos.isEmpty()) {
        return Future.succeededFuture(infos.stream()
            .map(info -> new TopicPartition(info.getTopic(), info.getPartition()))
            .collect(Collectors.toSet()));
      }
      if (System.nanoTime() > deadline) {
        return Future.failedFuture(new IllegalStateException(CatalogContract.PRODUCTS_TOPIC + " has no partitions"));
      }
      Promise<Set<TopicPartition>> retry = Promise.promise();
      vertx.setTimer(200, id -> partitions(deadline).onComplete(retry));
      return retry.future();
    });
  }

  // A loop of callbacks rather than a chain of composed futures, whose depth would grow with the topic.
  private void catchUp(Map<TopicPartition, Long> end, long deadline, long records, Promise<Long> done) {
    reached(end).onComplete(reached -> {
      if (reached.failed()) {
        done.fail(reached.cause());
      } else if (reached.result()) {
        done.complete(records);
      } else if (System.nanoTime() > deadline) {
        done.fail(new IllegalStateException("could not read " + CatalogContract.PRODUCTS_TOPIC + " to its end within "
            + config.catchUpTimeout().toSeconds() + " s (SHOP_SEARCH_CATCHUP_TIMEOUT)"));
      } else {
        consumer.poll(POLL)
            .compose(batch -> apply(batch).map(batch.size()))
            .onComplete(applied -> {
              if (applied.failed()) {
                done.fail(applied.cause());
              } else {
                catchUp(end, deadline, records + applied.result(), done);
              }
            });
      }
    });
  }

  /**
   * Whether every partition's position passed the end offset taken at start. Positions, not record
   * offsets: compaction leaves gaps and transaction markers are never delivered as records.
   */
  private Future<Boolean> reached(Map<TopicPartition, Long> end) {
    List<Future<Boolean>> checks = new ArrayList<>();
    end.forEach((partition, endOffset) -> checks.add(endOffset == 0
        ? Future.succeededFuture(true)
        : consumer.position(partition).map(position -> position >= endOffset)));
    return Future.all(checks).map(all -> checks.stream().allMatch(Future::result));
  }

  private void tail() {
    if (!running) {
      tailStopped.tryComplete();
      return;
    }
    consumer.poll(POLL).onComplete(
        batch -> applyWithRetry(batch, 0).onComplete(ignored -> tail()),
        failure -> {
          LOG.warn("polling {} failed, retrying: {}", CatalogContract.PRODUCTS_TOPIC, failure.getMessage());
          vertx.setTimer(500, id -> tail());
        });
  }

  // The batch is retried, never skipped: going on would leave the index silently stale until restart.
  private Future<Void> applyWithRetry(KafkaConsumerRecords<String, String> batch, int attempt) {
    return apply(batch).recover(failure -> {
      if (!running) {
        return Future.failedFuture(failure);
      }
      long backoff = Math.min(MAX_BACKOFF_MS, 100L << Math.min(attempt, 6));
      LOG.error("indexing a batch of {} records failed (attempt {}), retrying in {} ms", batch.size(), attempt + 1, backoff,
          failure);
      Promise<Void> retry = Promise.promise();
      vertx.setTimer(backoff, id -> applyWithRetry(batch, attempt + 1).onComplete(retry));
      return retry.future();
    });
  }

  /** Parses and indexes a batch on the Lucene pool, in order with every other write. */
  private Future<Void> apply(KafkaConsumerRecords<String, String> batch) {
    if (batch.isEmpty()) {
      return Future.succeededFuture();
    }
    return lucene.<Void>executeBlocking(() -> {
      List<ProductChange> changes = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        KafkaConsumerRecord<String, String> record = batch.recordAt(i);
        ProductChange.from(record.topic(), record.partition(), record.offset(), record.key(), record.value())
            .ifPresent(changes::add);
      }
      index.apply(changes);
      return null;
    }, true).onSuccess(v -> dirty = true);
  }

  private void refreshIfDirty() {
    if (!dirty || refreshing) {
      return;
    }
    dirty = false;
    refreshing = true;
    lucene.executeBlocking(() -> {
      index.refresh();
      return null;
    }, true).onComplete(
        ok -> refreshing = false,
        failure -> {
          refreshing = false;
          dirty = true;
          LOG.warn("refreshing the searcher failed, will retry: {}", failure.getMessage());
        });
  }
}
