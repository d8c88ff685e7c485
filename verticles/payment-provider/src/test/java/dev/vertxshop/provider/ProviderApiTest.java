package dev.vertxshop.provider;

import static dev.vertxshop.provider.ProviderFixtures.await;
import static dev.vertxshop.provider.ProviderFixtures.uniqueReference;
import static dev.vertxshop.provider.ProviderHttp.chargeBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.provider.ProviderHttp.Answer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("payment provider stand-in: charges, refunds and lookups over real HTTP")
class ProviderApiTest {

  private static Vertx vertx;
  private static ShopNode node;
  private static ProviderHttp http;

  @BeforeAll
  static void start() {
    int port = ProviderFixtures.freePort();
    int adminPort = ProviderFixtures.freePort();
    node = await(ShopNode.start(ProviderFixtures.env(port, adminPort, Map.of()), List.of(new ProviderService()), false));
    vertx = Vertx.vertx();
    http = new ProviderHttp(vertx, port, adminPort);
  }

  @AfterAll
  static void stop() {
    if (http != null) {
      http.close();
      await(vertx.close());
    }
    if (node != null) {
      await(node.stop());
    }
  }

  @AfterEach
  void heal() {
    assertThat(await(http.heal()).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a charge is captured: 201 with id, status, amount, currency, reference, createdAt; stats count it")
  void capture() {
    String reference = uniqueReference();
    JsonObject before = await(http.stats());
    Answer answer = await(http.charge("charge-" + reference, chargeBody(1_999, reference)));
    JsonObject after = await(http.stats());

    assertThat(answer.status()).isEqualTo(201);
    assertThat(answer.body().getString("id")).startsWith("ch_");
    assertThat(answer.body().getString("status")).isEqualTo("captured");
    assertThat(answer.body().getLong("amount")).isEqualTo(1_999L);
    assertThat(answer.body().getString("currency")).isEqualTo("EUR");
    assertThat(answer.body().getString("reference")).isEqualTo(reference);
    assertThat(answer.body().getString("createdAt")).isNotBlank();
    assertThat(delta(before, after, "captures")).isEqualTo(1);
    assertThat(delta(before, after, "capturedAmount")).isEqualTo(1_999);
    assertThat(delta(before, after, "netCapturedAmount")).isEqualTo(1_999);
    assertThat(delta(before, after, "requests")).isEqualTo(1);
  }

  @Test
  @DisplayName("the same key again replays the stored answer, also under concurrency: one capture")
  void idempotentReplay() {
    String reference = uniqueReference();
    String key = "charge-" + reference;
    JsonObject before = await(http.stats());
    Answer first = await(http.charge(key, chargeBody(500, reference)));
    List<Future<Answer>> concurrent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      concurrent.add(http.charge(key, chargeBody(500, reference)));
    }
    await(Future.all(concurrent));
    JsonObject after = await(http.stats());

    assertThat(first.status()).isEqualTo(201);
    for (Future<Answer> again : concurrent) {
      assertThat(again.result().status()).isEqualTo(201);
      assertThat(again.result().body()).isEqualTo(first.body());
    }
    assertThat(delta(before, after, "captures")).isEqualTo(1);
    assertThat(await(http.charges(reference)).body().getJsonArray("items")).hasSize(1);
  }

  @Test
  @DisplayName("the same key with another body is 409 and records nothing")
  void keyReuseConflict() {
    String reference = uniqueReference();
    String key = "charge-" + reference;
    await(http.charge(key, chargeBody(500, reference)));
    JsonObject before = await(http.stats());

    Answer otherAmount = await(http.charge(key, chargeBody(501, reference)));
    Answer otherReference = await(http.charge(key, chargeBody(500, uniqueReference())));
    JsonObject after = await(http.stats());

    assertThat(otherAmount.status()).isEqualTo(409);
    assertThat(otherAmount.body().getString("error")).isEqualTo("conflict");
    assertThat(otherAmount.body().getString("message")).contains("Idempotency-Key");
    assertThat(otherReference.status()).isEqualTo(409);
    assertThat(delta(before, after, "captures")).isZero();
    assertThat(await(http.charges(reference)).body().getJsonArray("items")).hasSize(1);
  }

  static Stream<Arguments> invalidCharges() {
    String ref = "order-1";
    return Stream.of(
        Arguments.of("amount 0", new JsonObject().put("amount", 0).put("currency", "EUR").put("reference", ref).encode(), "amount"),
        Arguments.of("negative amount", new JsonObject().put("amount", -5).put("currency", "EUR").put("reference", ref).encode(), "amount"),
        Arguments.of("fractional amount", "{\"amount\": 12.5, \"currency\": \"EUR\", \"reference\": \"order-1\"}", "amount"),
        Arguments.of("amount as text", new JsonObject().put("amount", "100").put("currency", "EUR").put("reference", ref).encode(), "amount"),
        Arguments.of("amount too large", new JsonObject().put("amount", ChargeRequest.MAX_AMOUNT + 1).put("currency", "EUR").put("reference", ref).encode(), "amount"),
        Arguments.of("lower-case currency", new JsonObject().put("amount", 1).put("currency", "eur").put("reference", ref).encode(), "currency"),
        Arguments.of("missing currency", new JsonObject().put("amount", 1).put("reference", ref).encode(), "currency"),
        Arguments.of("missing reference", new JsonObject().put("amount", 1).put("currency", "EUR").encode(), "reference"),
        Arguments.of("reference with a space", new JsonObject().put("amount", 1).put("currency", "EUR").put("reference", "a b").encode(), "reference"),
        Arguments.of("unknown field", new JsonObject().put("amount", 1).put("currency", "EUR").put("reference", ref).put("tip", 1).encode(), "tip"),
        Arguments.of("an array", "[1, 2]", "JSON object"),
        Arguments.of("not JSON", "amount=1", "not valid JSON"),
        Arguments.of("no body", "", "JSON object"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidCharges")
  @DisplayName("an invalid charge body is 400 JSON naming the problem, and records nothing")
  void invalidCharge(String description, String body, String mentioned) {
    JsonObject before = await(http.stats());
    Answer answer = await(http.raw("POST", "/v1/charges", "charge-" + UUID.randomUUID(), Buffer.buffer(body), 0));
    JsonObject after = await(http.stats());

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().getString("error")).isEqualTo("bad_request");
    assertThat(answer.body().getString("message")).contains(mentioned);
    assertThat(delta(before, after, "captures") + delta(before, after, "declines")).isZero();
  }

  @Test
  @DisplayName("the Idempotency-Key header is required and bounded")
  void keyRequired() {
    String body = chargeBody(100, uniqueReference()).encode();
    Answer missing = await(http.raw("POST", "/v1/charges", null, Buffer.buffer(body), 0));
    Answer tooLong = await(http.raw("POST", "/v1/charges", "k".repeat(256), Buffer.buffer(body), 0));

    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.body().getString("message")).contains("Idempotency-Key");
    assertThat(tooLong.status()).isEqualTo(400);
  }

  @Test
  @DisplayName("a refund is 201 once; its key replays it; another key is 409; the lookup shows refunded")
  void refund() {
    String reference = uniqueReference();
    JsonObject charge = await(http.charge("charge-" + reference, chargeBody(2_500, reference))).body();
    String chargeId = charge.getString("id");
    JsonObject before = await(http.stats());

    Answer refunded = await(http.refund(chargeId, "refund-" + chargeId));
    Answer replayed = await(http.refund(chargeId, "refund-" + chargeId));
    Answer again = await(http.refund(chargeId, "another-" + chargeId));
    JsonObject after = await(http.stats());
    JsonArray items = await(http.charges(reference)).body().getJsonArray("items");

    assertThat(refunded.status()).isEqualTo(201);
    assertThat(refunded.body().getString("id")).startsWith("re_");
    assertThat(refunded.body().getString("chargeId")).isEqualTo(chargeId);
    assertThat(refunded.body().getString("status")).isEqualTo("refunded");
    assertThat(refunded.body().getLong("amount")).isEqualTo(2_500L);
    assertThat(replayed).isEqualTo(refunded);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().getString("message")).contains("already refunded");
    assertThat(delta(before, after, "refunds")).isEqualTo(1);
    assertThat(delta(before, after, "refundedAmount")).isEqualTo(2_500);
    assertThat(delta(before, after, "netCapturedAmount")).isEqualTo(-2_500);
    assertThat(items).hasSize(1);
    assertThat(items.getJsonObject(0).getBoolean("refunded")).isTrue();
    assertThat(items.getJsonObject(0).getString("refundId")).isEqualTo(refunded.body().getString("id"));
  }

  @Test
  @DisplayName("refunding an unknown charge is 404, a declined one 409; a refund body with fields is 400")
  void refundRules() {
    Answer unknown = await(http.refund("ch_nope", "refund-ch_nope"));
    String reference = uniqueReference();
    await(http.setFaults(new JsonObject().put("declineRate", 1.0)));
    Answer declined = await(http.charge("charge-" + reference, chargeBody(700, reference)));
    Answer refundDeclined = await(http.refund(declined.body().getString("id"), "refund-" + declined.body().getString("id")));
    await(http.heal());
    String captured = await(http.charge("charge-" + uniqueReference(), chargeBody(100, "x-" + reference))).body().getString("id");
    Answer partial = await(http.raw("POST", "/v1/charges/" + captured + "/refunds", "refund-" + captured,
        Buffer.buffer("{\"amount\": 50}"), 0));

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().getString("error")).isEqualTo("not_found");
    assertThat(declined.status()).isEqualTo(402);
    assertThat(refundDeclined.status()).isEqualTo(409);
    assertThat(refundDeclined.body().getString("message")).contains("declined");
    assertThat(partial.status()).isEqualTo(400);
  }

  @Test
  @DisplayName("GET /v1/charges needs a reference, lists every charge made for it, and is empty for an unknown one")
  void lookup() {
    String reference = uniqueReference();
    await(http.charge("a-" + reference, chargeBody(100, reference)));
    await(http.charge("b-" + reference, chargeBody(200, reference)));

    Answer listed = await(http.charges(reference));
    Answer unknown = await(http.charges(uniqueReference()));
    Answer missing = await(http.raw("GET", "/v1/charges", null, null, 0));
    Answer admin = await(http.adminCharges(reference));

    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.body().getJsonArray("items")).extracting(item -> ((JsonObject) item).getLong("amount"))
        .containsExactly(100L, 200L);
    assertThat(listed.body().getJsonArray("items")).allSatisfy(item -> {
      assertThat(((JsonObject) item).getString("status")).isEqualTo("captured");
      assertThat(((JsonObject) item).getBoolean("refunded")).isFalse();
    });
    assertThat(admin.body()).isEqualTo(listed.body());
    assertThat(unknown.body().getJsonArray("items")).isEmpty();
    assertThat(missing.status()).isEqualTo(400);
  }

  @Test
  @DisplayName("unknown paths and methods answer JSON errors")
  void unknownRoutes() {
    Answer path = await(http.raw("GET", "/v1/nothing-here", null, null, 0));
    Answer method = await(http.raw("DELETE", "/v1/charges", null, null, 0));

    assertThat(path.status()).isEqualTo(404);
    assertThat(path.body().getString("error")).isEqualTo("not_found");
    assertThat(method.status()).isEqualTo(405);
    assertThat(method.body().getString("error")).isEqualTo("method_not_allowed");
  }

  private static long delta(JsonObject before, JsonObject after, String field) {
    return after.getLong(field) - before.getLong(field);
  }
}
