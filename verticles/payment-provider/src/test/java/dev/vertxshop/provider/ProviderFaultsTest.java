package dev.vertxshop.provider;

import static dev.vertxshop.provider.ProviderFixtures.await;
import static dev.vertxshop.provider.ProviderFixtures.awaitFailure;
import static dev.vertxshop.provider.ProviderFixtures.uniqueReference;
import static dev.vertxshop.provider.ProviderHttp.chargeBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.provider.ProviderHttp.Answer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("payment provider stand-in: fault knobs (decline, failure, latency, outage) and the admin API")
class ProviderFaultsTest {

  private static Vertx vertx;
  private static ShopNode node;
  private static ProviderHttp http;
  private static int port;

  @BeforeAll
  static void start() {
    port = ProviderFixtures.freePort();
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
  @DisplayName("decline rate 1: 402 declined with a reason, replayed as 402 for the same key; nothing captured")
  void declines() {
    String reference = uniqueReference();
    await(http.setFaults(new JsonObject().put("declineRate", 1.0)));
    JsonObject before = await(http.stats());
    Answer declined = await(http.charge("charge-" + reference, chargeBody(900, reference)));
    Answer replayed = await(http.charge("charge-" + reference, chargeBody(900, reference)));
    JsonObject after = await(http.stats());

    assertThat(declined.status()).isEqualTo(402);
    assertThat(declined.body().getString("status")).isEqualTo("declined");
    assertThat(declined.body().getString("reason")).isEqualTo(Ledger.DECLINE_REASON);
    assertThat(replayed).isEqualTo(declined);
    assertThat(after.getLong("declines") - before.getLong("declines")).isEqualTo(1);
    assertThat(after.getLong("captures")).isEqualTo(before.getLong("captures"));
    assertThat(await(http.charges(reference)).body().getJsonArray("items").getJsonObject(0).getString("status"))
        .isEqualTo("declined");
  }

  @Test
  @DisplayName("failure rate 1: 500 and nothing recorded, not even the key; once healed the same key captures")
  void injectedFailures() {
    String reference = uniqueReference();
    await(http.setFaults(new JsonObject().put("failureRate", 1.0)));
    JsonObject before = await(http.stats());
    Answer failed = await(http.charge("charge-" + reference, chargeBody(300, reference)));
    Answer lookupFailed = await(http.charges(reference));
    JsonObject after = await(http.stats());
    Answer adminLookup = await(http.adminCharges(reference));
    await(http.heal());
    Answer healed = await(http.charge("charge-" + reference, chargeBody(300, reference)));

    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.body().getString("error")).isEqualTo("internal");
    assertThat(lookupFailed.status()).isEqualTo(500);
    assertThat(after.getLong("requests") - before.getLong("requests")).isEqualTo(2);
    assertThat(after.getLong("failuresInjected") - before.getLong("failuresInjected")).isEqualTo(2);
    assertThat(after.getLong("captures")).isEqualTo(before.getLong("captures"));
    assertThat(adminLookup.status()).isEqualTo(200);
    assertThat(adminLookup.body().getJsonArray("items")).isEmpty();
    assertThat(healed.status()).isEqualTo(201);
  }

  @Test
  @DisplayName("latency delays the answer, not the charge: a caller that gives up finds it, and the key replays it")
  void latencyLosesTheAnswerNotTheCharge() {
    String reference = uniqueReference();
    await(http.setFaults(new JsonObject().put("latencyMs", 1_000)));
    Throwable gaveUp = awaitFailure(http.raw("POST", "/v1/charges", "charge-" + reference,
        Buffer.buffer(chargeBody(400, reference).encode()), 200));
    Answer recorded = await(http.adminCharges(reference));
    await(http.setFaults(new JsonObject().put("latencyMs", 0)));
    Answer retried = await(http.charge("charge-" + reference, chargeBody(400, reference)));

    assertThat(gaveUp).isInstanceOf(TimeoutException.class);
    assertThat(recorded.body().getJsonArray("items")).hasSize(1);
    String chargeId = recorded.body().getJsonArray("items").getJsonObject(0).getString("id");
    assertThat(retried.status()).isEqualTo(201);
    assertThat(retried.body().getString("id")).isEqualTo(chargeId);
  }

  @Test
  @DisplayName("outage closes the /v1 port (connection refused) while the admin answers; ending it re-opens the same port")
  void outage() {
    String reference = uniqueReference();
    await(http.charge("charge-" + reference, chargeBody(600, reference)));

    Answer switched = await(http.setFaults(new JsonObject().put("outage", true)));
    Throwable refused = awaitFailure(http.charges(reference));
    Answer faults = await(http.faults());
    Answer adminLookup = await(http.adminCharges(reference));
    JsonObject stats = await(http.stats());
    Answer restored = await(http.setFaults(new JsonObject().put("outage", false)));
    Answer afterOutage = await(http.charges(reference));

    assertThat(switched.status()).isEqualTo(200);
    assertThat(switched.body().getBoolean("outage")).isTrue();
    assertThat(refused).isInstanceOf(ConnectException.class);
    assertThat(faults.body().getBoolean("outage")).isTrue();
    assertThat(adminLookup.body().getJsonArray("items")).hasSize(1);
    assertThat(stats.getLong("captures")).isPositive();
    assertThat(restored.body().getBoolean("outage")).isFalse();
    assertThat(afterOutage.status()).isEqualTo(200);
    assertThat(afterOutage.body().getJsonArray("items")).hasSize(1);
  }

  @Test
  @DisplayName("the admin API is never faulted: it answers at once under failure rate 1 and a long latency")
  void adminNotFaulted() {
    await(http.setFaults(new JsonObject().put("failureRate", 1.0).put("latencyMs", 30_000)));
    // Each admin request carries a 5 s client timeout: a faulted admin would miss it by far.
    Answer faults = await(http.faults());
    JsonObject stats = await(http.stats());
    Answer charges = await(http.adminCharges(null));

    assertThat(faults.body()).isEqualTo(new JsonObject().put("latencyMs", 30_000L).put("failureRate", 1.0)
        .put("declineRate", 0.0).put("outage", false).put("refundFailureRate", 0.0).put("processingDelayMs", 0L));
    assertThat(stats.containsKey("netCapturedAmount")).isTrue();
    assertThat(charges.status()).isEqualTo(200);
  }

  @Test
  @DisplayName("refund failure rate 1: charges capture, refunds answer 500 and refund nothing; at 0 the same key refunds once")
  void refundFailures() {
    String reference = uniqueReference();
    Answer charged = await(http.charge("charge-" + reference, chargeBody(450, reference)));
    String chargeId = charged.body().getString("id");
    await(http.setFaults(new JsonObject().put("refundFailureRate", 1.0)));
    JsonObject before = await(http.stats());

    Answer failed = await(http.refund(chargeId, "refund-" + chargeId));
    Answer lookup = await(http.adminCharges(reference));
    await(http.setFaults(new JsonObject().put("refundFailureRate", 0.0)));
    Answer refunded = await(http.refund(chargeId, "refund-" + chargeId));
    JsonObject after = await(http.stats());

    assertThat(charged.status()).isEqualTo(201);
    assertThat(failed.status()).isEqualTo(500);
    assertThat(lookup.body().getJsonArray("items").getJsonObject(0).getBoolean("refunded")).isFalse();
    assertThat(refunded.status()).isEqualTo(201);
    assertThat(after.getLong("refunds") - before.getLong("refunds")).isEqualTo(1);
    assertThat(after.getLong("failuresInjected") - before.getLong("failuresInjected")).isEqualTo(1);
  }

  @Test
  @DisplayName("processing delay: a charge whose caller gave up is processed later; a lookup before finds nothing, one after finds the capture")
  void processingDelay() {
    String reference = uniqueReference();
    await(http.setFaults(new JsonObject().put("processingDelayMs", 1_500)));

    Throwable gaveUp = awaitFailure(http.raw("POST", "/v1/charges", "charge-" + reference,
        Buffer.buffer(chargeBody(210, reference).encode()), 300));
    Answer before = await(http.adminCharges(reference));
    Answer after = ProviderFixtures.eventually(java.time.Duration.ofSeconds(10), () -> {
      Answer lookup = await(http.adminCharges(reference));
      return lookup.body().getJsonArray("items").isEmpty() ? null : lookup;
    });

    assertThat(gaveUp).isInstanceOf(TimeoutException.class);
    assertThat(before.body().getJsonArray("items")).isEmpty();
    assertThat(after.body().getJsonArray("items").getJsonObject(0).getString("status")).isEqualTo("captured");
  }

  @Test
  @DisplayName("POST /admin/forget drops every charge and key as a restart would: lookups find nothing, a refund is 404")
  void forget() {
    String reference = uniqueReference();
    Answer charged = await(http.charge("charge-" + reference, chargeBody(320, reference)));
    String chargeId = charged.body().getString("id");

    Answer forgotten = await(http.forget());
    Answer lookup = await(http.charges(reference));
    Answer refund = await(http.refund(chargeId, "refund-" + chargeId));

    assertThat(forgotten.status()).isEqualTo(200);
    assertThat(forgotten.body().getLong("forgotten")).isPositive();
    assertThat(lookup.body().getJsonArray("items")).isEmpty();
    assertThat(refund.status()).isEqualTo(404);
  }

  @Test
  @DisplayName("PUT /admin/faults is partial: fields left out keep their values")
  void partialUpdate() {
    await(http.setFaults(new JsonObject().put("declineRate", 0.25)));
    Answer answer = await(http.setFaults(new JsonObject().put("latencyMs", 15)));

    assertThat(answer.body()).isEqualTo(new JsonObject().put("latencyMs", 15L).put("failureRate", 0.0)
        .put("declineRate", 0.25).put("outage", false).put("refundFailureRate", 0.0).put("processingDelayMs", 0L));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"{\"failureRate\": 1.5}", "{\"declineRate\": -0.1}", "{\"failureRate\": \"0.5\"}",
      "{\"latencyMs\": -1}", "{\"latencyMs\": 60001}", "{\"latencyMs\": 1.5}", "{\"outage\": \"yes\"}",
      "{\"bogus\": 1}", "{\"refundFailureRate\": 2}", "[]", "not json", "{\"declineRate\": 0.5, \"outage\": 1}"})
  @DisplayName("an invalid fault update is 400 and changes nothing")
  void invalidFaultUpdate(String body) {
    Answer before = await(http.faults());
    Answer answer = await(http.setFaultsRaw(Buffer.buffer(body)));
    Answer after = await(http.faults());

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().getString("error")).isEqualTo("bad_request");
    assertThat(after.body()).isEqualTo(before.body());
  }

  @Test
  @DisplayName("one seed, one sequence: two stand-ins with the same seed decide the same charges the same way")
  void seededDecisions() {
    List<Integer> first = decisions(7);
    List<Integer> second = decisions(7);
    List<Integer> otherSeed = decisions(8);

    assertThat(first).hasSize(40).contains(201, 402);
    assertThat(second).isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
  }

  /** The statuses of 40 charges on a fresh stand-in with decline rate 0.5 and {@code seed}. */
  private static List<Integer> decisions(long seed) {
    int apiPort = ProviderFixtures.freePort();
    int adminPort = ProviderFixtures.freePort();
    ProviderConfig config = ProviderConfig.from(ProviderFixtures.env(apiPort, adminPort, Map.of(
        "SHOP_PROVIDER_DECLINE_RATE", "0.5", "SHOP_PROVIDER_SEED", String.valueOf(seed))));
    String deployment = await(vertx.deployVerticle(new ProviderVerticle(config)));
    ProviderHttp client = new ProviderHttp(vertx, apiPort, adminPort);
    try {
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        statuses.add(await(client.charge("charge-" + i, chargeBody(100, "order-" + i))).status());
      }
      return statuses;
    } finally {
      client.close();
      await(vertx.undeploy(deployment));
    }
  }

  @Test
  @DisplayName("latency applies to every /v1 answer, errors included")
  void latencyOnErrors() {
    await(http.setFaults(new JsonObject().put("latencyMs", 2_000)));
    Future<Answer> slowError = http.raw("GET", "/v1/charges", null, null, 300);
    Throwable gaveUp = awaitFailure(slowError);

    assertThat(gaveUp).isInstanceOf(TimeoutException.class);
  }
}
