package dev.vertxshop.contracts.users;

import dev.vertxshop.platform.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** Typed event-bus client of the users service: the contract's records out, its replies back. */
public final class UsersClient {

  private final Vertx vertx;
  private final Duration deadline;

  public UsersClient(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    this.deadline = deadline;
  }

  public Future<JsonObject> register(Register request) {
    return Bus.call(vertx, UsersContract.REGISTER, request, deadline);
  }

  public Future<JsonObject> login(Login request) {
    return Bus.call(vertx, UsersContract.LOGIN, request, deadline);
  }

  public Future<JsonObject> get(GetUser request) {
    return Bus.call(vertx, UsersContract.GET, request, deadline);
  }

  /** A sign-up from its fields; values the contract refuses fail the future (BAD_REQUEST) and nothing is sent. */
  public Future<JsonObject> register(String email, String password, String name, String clientAddress) {
    return Bus.callWith(vertx, UsersContract.REGISTER, () -> new Register(email, password, name, clientAddress), deadline);
  }

  /** A sign-in from its fields; values the contract refuses fail the future (BAD_REQUEST) and nothing is sent. */
  public Future<JsonObject> login(String email, String password, String clientAddress) {
    return Bus.callWith(vertx, UsersContract.LOGIN, () -> new Login(email, password, clientAddress), deadline);
  }

  /** The user with {@code id} as text (a token's subject); a malformed id fails the future (BAD_REQUEST). */
  public Future<JsonObject> get(String id) {
    return Bus.callWith(vertx, UsersContract.GET, () -> GetUser.fromJson(new JsonObject().put("id", id)), deadline);
  }

  public Future<JsonObject> jwks() {
    return Bus.call(vertx, UsersContract.JWKS, new GetKeys(), deadline);
  }
}
