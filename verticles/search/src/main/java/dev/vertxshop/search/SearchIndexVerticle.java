package dev.vertxshop.search;

import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.contracts.search.SearchContract;
import dev.vertxshop.contracts.search.SearchQuery;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.config.KafkaConfig;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.kafka.DeadLetters;
import dev.vertxshop.platform.kafka.MalformedEventException;
import dev.vertxshop.platform.observability.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.lucene.store.AlreadyClosedException;
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
 *
 * <p>A record the index cannot take (not an envelope, a product without what search needs, a document
 * Lucene refuses) is copied to the dead-letter topic with its reason and skipped, at start as while
 * tailing: it never stops the records after it, nor the start. Only an I/O failure of the index itself
 * is retried, the batch held meanwhile.
 *
 * <p>Queries wait for a worker in a bounded queue: beyond {@code SHOP_SEARCH_QUERY_QUEUE} waiting or
 * running, a query is refused {@code TOO_MANY_REQUESTS}; one whose caller's deadline passed while it
 * waited is refused {@code DEADLINE_EXCEEDED} when its turn comes, without being run.
 */
public final class SearchIndexVerticle extends VerticleBase {

  /** Dead-letter reason: Lucene refused the product's document (an immense term, for instance). */
  static final String INDEX_FAILED = "index_failed";
  /** The reader's name on its dead letters: it has no consumer group. */
  static final String READER = "search";

  private static final Logger LOG = LoggerFactory.getLogger(SearchIndexVerticle.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long MAX_BACKOFF_MS = 5_000;

  private final SearchConfig config;
  private final KafkaConfig kafka;

  private WorkerExecutor lucene;
  private ProductIndex index;
  private KafkaConsumer<String, Buffer> consumer;
  private DeadLetters deadLetters;
  private MessageConsumer<Object> queries;
  private long refreshTimer = -1;
  private boolean running;
  private boolean stopping;
  private boolean dirty;
  private boolean refreshing;
  private int pendingQueries;
  private Promise<Void> tailStopped;

  public SearchIndexVerticle(SearchConfig config, KafkaConfig kafka) {
    this.config = config;
    this.kafka = kafka;
  }

  /** A record the index could not take, and why. */
  private record Dead(KafkaConsumerRecord<String, Buffer> record, String reason, String detail) {
  }

  @Override
  public Future<?> start() {
    // A private pool: Lucene work must not queue behind (or starve) other blocking work of the node.
    lucene = vertx.createSharedWorkerExecutor("shop-search-" + deploymentID(), config.workers());
    String client = "shop-search-index-" + deploymentID();
    return lucene.executeBlocking(() -> ProductIndex.open(config.indexDir()), true)
        .compose(opened -> {
          index = opened;
          return DeadLetters.open(vertx, kafka, READER, client);
        })
        .compose(writer -> {
          deadLetters = writer;
          consumer = KafkaConsumer.create(vertx, consumerSettings(client));
          consumer.exceptionHandler(e -> LOG.warn("product topic consumer error: {}", e.getMessage()));
          return rebuild();
        })
        .compose(v -> {
          queries = Bus.serveWithMessage(vertx, SearchContract.QUERY, this::query);
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
    stopping = true;
    vertx.cancelTimer(refreshTimer);
    Future<Void> unregistered = queries == null ? Future.succeededFuture() : queries.unregister();
    Future<Void> tailDone = tailStopped == null ? Future.succeededFuture() : tailStopped.future();
    return Future.join(unregistered, tailDone)
        .eventually(() -> consumer == null ? Future.succeededFuture() : consumer.close())
        .eventually(() -> deadLetters == null ? Future.succeededFuture() : deadLetters.close())
        // Ordered: runs after any write in progress; searches still running see a closed index and fail.
        .eventually(() -> index == null ? Future.succeededFuture() : lucene.executeBlocking(() -> {
          index.close();
          return null;
        }, true))
        .eventually(() -> lucene.close());
  }

  private Future<JsonObject> query(SearchQuery query, Message<Object> message) {
    if (pendingQueries >= config.queryQueue()) {
      refused("busy");
      return Future.failedFuture(new ServiceException(ErrorCode.TOO_MANY_REQUESTS,
          "search is busy (" + pendingQueries + " queries waiting); retry shortly"));
    }
    pendingQueries++;
    return lucene.<JsonObject>executeBlocking(() -> {
      // The Bus refused it if it arrived late; it may also have become late while it waited for a worker.
      long late = Bus.lateBy(message);
      if (late > 0) {
        throw new ServiceException(ErrorCode.DEADLINE_EXCEEDED,
            SearchContract.QUERY + ": the query waited " + late + " ms past its deadline and was not run");
      }
      return index.search(query);
    }, false).onComplete(done -> {
      pendingQueries--;
      if (done.failed() && done.cause() instanceof ServiceException se && se.code() == ErrorCode.DEADLINE_EXCEEDED) {
        refused("deadline");
      }
    });
  }

  private void refused(String reason) {
    NodeMetrics.of(vertx).ifPresent(registry -> Counter.builder("shop.search.queries.refused")
        .description("Search queries refused without being run: queue full (busy) or deadline passed while queued")
        .tag("reason", reason)
        .register(registry)
        .increment());
  }

  // Assigned, not subscribed: every replica reads every partition; there is no group to commit to.
  private Map<String, String> consumerSettings(String client) {
    Map<String, String> map = new HashMap<>();
    map.put("bootstrap.servers", kafka.bootstrapServers());
    map.put("client.id", client);
    map.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    // The raw bytes, so that a dead letter is the record exactly as it was.
    map.put("value.deserializer", "io.vertx.kafka.client.serialization.BufferDeserializer");
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
            .compose(batch -> applyWithRetry(batch, deadline).map(batch.size()))
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
        batch -> applyWithRetry(batch, Long.MAX_VALUE).onComplete(ignored -> tail()),
        failure -> {
          LOG.warn("polling {} failed, retrying: {}", CatalogContract.PRODUCTS_TOPIC, failure.getMessage());
          vertx.setTimer(500, id -> tail());
        });
  }

  /**
   * Applies the batch, then dead-letters what it could not take. What is retried here is the index's
   * I/O or a dead-letter write (Kafka away), not a record: the batch is held, never skipped, since going
   * on would leave the index silently stale until restart. At start the retries end at the catch-up deadline.
   */
  private Future<Void> applyWithRetry(KafkaConsumerRecords<String, Buffer> batch, long deadline) {
    return retrying("indexing a batch of " + batch.size() + " records", () -> apply(batch), 0, deadline)
        .compose(dead -> {
          Future<Void> chain = Future.succeededFuture();
          // One after the other, in offset order; the batch is done when every copy is acknowledged.
          for (Dead letter : dead) {
            chain = chain.compose(v -> retrying("dead-lettering " + letter.record().topic() + "/" + letter.record().partition()
                + "@" + letter.record().offset(), () -> deadLetters.send(letter.record(), letter.reason(), letter.detail(), 1),
                0, deadline));
          }
          return chain;
        });
  }

  private <T> Future<T> retrying(String what, Supplier<Future<T>> work, int attempt, long deadline) {
    return work.get().recover(failure -> {
      if (stopping || System.nanoTime() > deadline) {
        return Future.failedFuture(failure);
      }
      long backoff = Math.min(MAX_BACKOFF_MS, 100L << Math.min(attempt, 6));
      LOG.error("{} failed (attempt {}), retrying in {} ms", what, attempt + 1, backoff, failure);
      Promise<T> retry = Promise.promise();
      vertx.setTimer(backoff, id -> retrying(what, work, attempt + 1, deadline).onComplete(retry));
      return retry.future();
    });
  }

  /**
   * Parses and indexes a batch on the Lucene pool, in order with every other write; completes with the
   * records it could not take. Should Lucene refuse a document, the batch is applied again one change at
   * a time (upserts by id and removals are idempotent, so the ones already applied change nothing) and
   * only the refused ones are left out.
   */
  private Future<List<Dead>> apply(KafkaConsumerRecords<String, Buffer> batch) {
    if (batch.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return lucene.<List<Dead>>executeBlocking(() -> {
      List<Dead> dead = new ArrayList<>();
      List<KafkaConsumerRecord<String, Buffer>> sources = new ArrayList<>(batch.size());
      List<ProductChange> changes = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        KafkaConsumerRecord<String, Buffer> record = batch.recordAt(i);
        try {
          ProductChange.from(record.topic(), record.partition(), record.offset(), record.key(), record.value())
              .ifPresent(change -> {
                sources.add(record);
                changes.add(change);
              });
        } catch (MalformedEventException e) {
          dead.add(new Dead(record, e.reason(), e.getMessage()));
        }
      }
      try {
        index.apply(changes);
      } catch (IOException | AlreadyClosedException e) {
        throw e;
      } catch (RuntimeException e) {
        for (int i = 0; i < changes.size(); i++) {
          try {
            index.apply(List.of(changes.get(i)));
          } catch (IOException | AlreadyClosedException ioe) {
            throw ioe;
          } catch (RuntimeException refused) {
            KafkaConsumerRecord<String, Buffer> record = sources.get(i);
            dead.add(new Dead(record, INDEX_FAILED, "product " + changes.get(i).id() + " at " + record.topic() + "/"
                + record.partition() + "@" + record.offset() + " refused by the index: " + refused));
          }
        }
      }
      return dead;
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
