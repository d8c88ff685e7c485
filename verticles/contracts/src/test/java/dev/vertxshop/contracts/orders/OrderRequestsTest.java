package dev.vertxshop.contracts.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the orders contract's requests: what they accept and refuse, and how they read back")
class OrderRequestsTest {

  private static final String USER = "3f2b8c1e-9d4a-4e5f-8a7b-6c5d4e3f2a1b";

  @Test
  @DisplayName("a valid checkout keeps the key exactly as given")
  void checkout() {
    Checkout request = Checkout.fromJson(new JsonObject().put("userId", USER).put("idempotencyKey", "Key-1_~!"));
    assertThat(request.userId()).isEqualTo(UUID.fromString(USER));
    assertThat(request.idempotencyKey()).isEqualTo("Key-1_~!");
  }

  @Test
  @DisplayName("a key of exactly 64 characters is accepted, 65 is not")
  void keyLength() {
    assertThat(Checkout.fromJson(new JsonObject().put("userId", USER).put("idempotencyKey", "k".repeat(64))).idempotencyKey())
        .hasSize(64);
    ServiceException error = rejected(() -> Checkout.fromJson(new JsonObject().put("userId", USER).put("idempotencyKey", "k".repeat(65))));
    assertThat(error.getMessage()).contains("at most 64");
  }

  @Test
  @DisplayName("list defaults to page 1 of 20 and computes the offset")
  void listDefaults() {
    ListOrders page = ListOrders.fromJson(new JsonObject().put("userId", USER));
    assertThat(page.page()).isEqualTo(1);
    assertThat(page.size()).isEqualTo(20);
    assertThat(ListOrders.fromJson(new JsonObject().put("userId", USER).put("page", 3).put("size", 100)).offset()).isEqualTo(200);
  }

  @Test
  @DisplayName("an upper-case UUID is accepted; a short form is not")
  void uuids() {
    assertThat(GetOrder.fromJson(new JsonObject().put("userId", USER.toUpperCase()).put("orderId", USER)).userId())
        .isEqualTo(UUID.fromString(USER));
    ServiceException error = rejected(() -> GetOrder.fromJson(new JsonObject().put("userId", USER).put("orderId", "1-1-1-1-1")));
    assertThat(error.getMessage()).isEqualTo("'orderId' is not a UUID");
  }

  @Test
  @DisplayName("unknown fields are named, a few at most, shortened")
  void unknownFields() {
    JsonObject body = new JsonObject().put("userId", USER).put("idempotencyKey", "k");
    for (int i = 0; i < 7; i++) {
      body.put("extra" + i + "x".repeat(50), i);
    }
    ServiceException error = rejected(() -> Checkout.fromJson(body));
    assertThat(error.getMessage()).startsWith("unknown fields 'extra0").contains("...', ").contains(", ...;")
        .contains("allowed: [idempotencyKey, userId]");
  }

  @Test
  @DisplayName("every request writes itself as JSON that reads back equal, through the wire's text")
  void roundTrips() {
    UUID user = UUID.fromString(USER);
    Checkout checkout = new Checkout(user, "Key-1_~!");
    assertThat(Checkout.fromJson(new JsonObject(checkout.toJson().encode()))).isEqualTo(checkout);
    GetOrder get = new GetOrder(user, UUID.randomUUID());
    assertThat(GetOrder.fromJson(new JsonObject(get.toJson().encode()))).isEqualTo(get);
    ListOrders list = new ListOrders(user, 7, 100);
    assertThat(ListOrders.fromJson(new JsonObject(list.toJson().encode()))).isEqualTo(list);
    for (String status : List.of(OrdersContract.PENDING, OrdersContract.NEEDS_ATTENTION, OrdersContract.CONFIRMED, OrdersContract.CANCELLED)) {
      AdminListOrders admin = new AdminListOrders(status, 1, 20);
      assertThat(AdminListOrders.fromJson(new JsonObject(admin.toJson().encode()))).isEqualTo(admin);
    }
  }

  @Test
  @DisplayName("records built in code are held to the same rules as what is read")
  void constructorsRefuse() {
    UUID user = UUID.fromString(USER);
    assertThat(rejected(() -> new Checkout(user, " ")).getMessage()).isEqualTo("'idempotencyKey' must not be blank");
    assertThat(rejected(() -> new Checkout(null, "k")).getMessage()).isEqualTo("'userId' is required");
    assertThat(rejected(() -> new ListOrders(user, 0, 20)).getMessage()).isEqualTo("'page' must be an integer between 1 and 100000");
    assertThat(rejected(() -> new ListOrders(user, 1, 101)).getMessage()).isEqualTo("'size' must be an integer between 1 and 100");
    assertThat(rejected(() -> new AdminListOrders("SHIPPED", 1, 20)).getMessage())
        .isEqualTo("'status' must be one of [CANCELLED, CONFIRMED, NEEDS_ATTENTION, PENDING]");
  }

  private static ServiceException rejected(Runnable call) {
    ServiceException error = catchThrowableOfType(ServiceException.class, call::run);
    assertThat(error).as("a BAD_REQUEST").isNotNull();
    assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    return error;
  }
}
