package dev.vertxshop.contracts.users;

import dev.vertxshop.platform.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** Typed event-bus client of the users service. */
public final class UsersClient {

  private final Vertx vertx;
  private final Duration deadline;

  public UsersClient(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    this.deadline = deadline;
  }

  public Future<JsonObject> register(String email, String password, String name, String clientAddress) {
    return Bus.request(vertx, UsersContract.REGISTER, new JsonObject().put("email", email).put("password", password)
        .put("name", name).put("clientAddress", clientAddress), deadline);
  }

  public Future<JsonObject> login(String email, String password, String clientAddress) {
    return Bus.request(vertx, UsersContract.LOGIN,
        new JsonObject().put("email", email).put("password", password).put("clientAddress", clientAddress), deadline);
  }

  public Future<JsonObject> get(String id) {
    return Bus.requestIdempotent(vertx, UsersContract.GET, new JsonObject().put("id", id), deadline);
  }

  public Future<JsonObject> jwks() {
    return Bus.requestIdempotent(vertx, UsersContract.JWKS, new JsonObject(), deadline);
  }
}
