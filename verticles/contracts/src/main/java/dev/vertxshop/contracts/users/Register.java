package dev.vertxshop.contracts.users;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * {@link UsersContract#REGISTER}: a sign-up. The e-mail and password as given (password
 * {@value UserFields#PASSWORD_MIN} to {@value UserFields#PASSWORD_MAX} code points), the name trimmed, the client
 * address lower-cased. Never printed with its password.
 */
public record Register(String email, String password, String name, String clientAddress) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("email", "password", "name", "clientAddress");

  public Register {
    email = UserFields.email(email);
    password = UserFields.password(password, UserFields.PASSWORD_MIN);
    name = UserFields.name(name);
    clientAddress = UserFields.clientAddress(clientAddress);
  }

  /** Reads the fields in order, so that a body wrong in several is told about the first; the address last. */
  public static Register fromJson(Object body) {
    Fields f = Fields.of(body).only(FIELDS);
    String email = UserFields.email(f.string("email"));
    String password = UserFields.password(f.string("password"), UserFields.PASSWORD_MIN);
    String name = UserFields.name(f.string("name"));
    return new Register(email, password, name, f.string("clientAddress"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("email", email).put("password", password).put("name", name).put("clientAddress", clientAddress);
  }

  @Override
  public String toString() {
    return "Register[email=" + email + ", name=" + name + ", clientAddress=" + clientAddress + "]";
  }
}
