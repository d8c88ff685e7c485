package dev.vertxshop.contracts.search;

import dev.vertxshop.platform.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** Typed event-bus client of the search service. */
public final class SearchClient {

  private final Vertx vertx;
  private final Duration deadline;

  public SearchClient(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    this.deadline = deadline;
  }

  /** One page of results for {@code query}, as {@link SearchContract} describes it. */
  public Future<JsonObject> query(SearchQuery query) {
    return Bus.call(vertx, SearchContract.QUERY, query, deadline);
  }
}
