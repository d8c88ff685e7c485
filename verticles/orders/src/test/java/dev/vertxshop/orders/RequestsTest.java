package dev.vertxshop.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("orders request validation")
class RequestsTest {

  private static final String USER = "3f2b8c1e-9d4a-4e5f-8a7b-6c5d4e3f2a1b";

  @Test
  @DisplayName("a valid checkout keeps the key exactly as given")
  void checkout() {
    Requests.Checkout request = Requests.checkout(new JsonObject().put("userId", USER).put("idempotencyKey", "Key-1_~!"));
    assertThat(request.userId()).isEqualTo(UUID.fromString(USER));
    assertThat(request.idempotencyKey()).isEqualTo("Key-1_~!");
  }

  @Test
  @DisplayName("a key of exactly 64 characters is accepted, 65 is not")
  void keyLength() {
    assertThat(Requests.checkout(new JsonObject().put("userId", USER).put("idempotencyKey", "k".repeat(64))).idempotencyKey())
        .hasSize(64);
    ServiceException error = rejected(() -> Requests.checkout(new JsonObject().put("userId", USER).put("idempotencyKey", "k".repeat(65))));
    assertThat(error.getMessage()).contains("at most 64");
  }

  @Test
  @DisplayName("list defaults to page 1 of 20 and computes the offset")
  void listDefaults() {
    Requests.ListPage page = Requests.list(new JsonObject().put("userId", USER));
    assertThat(page.page()).isEqualTo(1);
    assertThat(page.size()).isEqualTo(20);
    assertThat(Requests.list(new JsonObject().put("userId", USER).put("page", 3).put("size", 100)).offset()).isEqualTo(200);
  }

  @Test
  @DisplayName("an upper-case UUID is accepted; a short form is not")
  void uuids() {
    assertThat(Requests.get(new JsonObject().put("userId", USER.toUpperCase()).put("orderId", USER)).userId())
        .isEqualTo(UUID.fromString(USER));
    ServiceException error = rejected(() -> Requests.get(new JsonObject().put("userId", USER).put("orderId", "1-1-1-1-1")));
    assertThat(error.getMessage()).isEqualTo("'orderId' must be a UUID");
  }

  @Test
  @DisplayName("unknown fields are named, a few at most, shortened")
  void unknownFields() {
    JsonObject body = new JsonObject().put("userId", USER).put("idempotencyKey", "k");
    for (int i = 0; i < 7; i++) {
      body.put("extra" + i + "x".repeat(50), i);
    }
    ServiceException error = rejected(() -> Requests.checkout(body));
    assertThat(error.getMessage()).startsWith("unknown fields 'extra0").contains("...', ").contains(", ...;")
        .contains("allowed: [idempotencyKey, userId]");
  }

  private static ServiceException rejected(Runnable call) {
    ServiceException error = catchThrowableOfType(ServiceException.class, call::run);
    assertThat(error).as("a BAD_REQUEST").isNotNull();
    assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    return error;
  }
}
