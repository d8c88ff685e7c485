package dev.vertxshop.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.gateway.ApiRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.json.schema.JsonSchema;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ReusedValidators: one JSON-schema validator per schema of the document, same verdicts")
class ReusedValidatorsTest {

  private static Vertx vertx;
  private static OpenAPIContract contract;

  @BeforeAll
  static void load() throws Exception {
    vertx = Vertx.vertx();
    contract = await(OpenAPIContract.from(vertx, ApiRouter.CONTRACT));
  }

  @AfterAll
  static void close() throws Exception {
    await(vertx.close());
  }

  @Test
  @DisplayName("the same schema gets the same validator; the library alone makes a new one each time")
  void reuses() {
    ReusedValidators reused = new ReusedValidators(contract);
    JsonSchema schema = contract.operation("getProduct").getParameters().get(0).getSchema();
    assertThat(reused.getSchemaRepository().validator(schema)).isSameAs(reused.getSchemaRepository().validator(schema));
    assertThat(contract.getSchemaRepository().validator(schema)).isNotSameAs(contract.getSchemaRepository().validator(schema));
  }

  @Test
  @DisplayName("1,000 validated requests make one validator per parameter schema, and valid and invalid ids get the library's own verdicts")
  void sameVerdicts() throws Exception {
    ReusedValidators reused = new ReusedValidators(contract);
    RequestValidator cached = RequestValidator.create(vertx, reused);
    RequestValidator plain = RequestValidator.create(vertx, contract);
    Operation operation = contract.operation("getProduct");
    for (int i = 0; i < 1_000; i++) {
      String id = i % 10 == 0 ? "not-a-uuid-" + i : UUID.randomUUID().toString();
      // cookies, headers, path, query, body, content type (the library's own request class)
      ValidatableRequest request = new ValidatableRequestImpl(Map.of(), Map.of(), Map.of("id", new RequestParameterImpl(id)),
          Map.of(), new RequestParameterImpl(null), null);
      Future<?> withCache = cached.validate(request, operation.getOperationId());
      Future<?> without = plain.validate(request, operation.getOperationId());
      awaitQuietly(withCache);
      awaitQuietly(without);
      assertThat(withCache.succeeded()).as(id).isEqualTo(without.succeeded()).isEqualTo(!id.startsWith("not-a-uuid"));
      if (withCache.failed()) {
        assertThat(withCache.cause().getMessage()).isEqualTo(without.cause().getMessage());
      }
    }
    assertThat(reused.validators()).isEqualTo(1);
  }

  private static void awaitQuietly(Future<?> future) throws Exception {
    future.toCompletionStage().toCompletableFuture().handle((r, e) -> null).get(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
