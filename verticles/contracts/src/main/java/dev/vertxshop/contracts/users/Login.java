package dev.vertxshop.contracts.users;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * {@link UsersContract#LOGIN}: a sign-in, the client address lower-cased. The password is 1 to
 * {@value UserFields#PASSWORD_MAX} code points: no minimum beyond non-empty, as a short password cannot match and the
 * answer must then be the same UNAUTHORIZED as for any other wrong password; the maximum bounds the work per
 * attempt. Never printed with its password.
 */
public record Login(String email, String password, String clientAddress) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("email", "password", "clientAddress");

  public Login {
    email = UserFields.email(email);
    password = UserFields.password(password, 1);
    clientAddress = UserFields.clientAddress(clientAddress);
  }

  /** Reads the fields in order, so that a body wrong in several is told about the first; the address last. */
  public static Login fromJson(Object body) {
    Fields f = Fields.of(body).only(FIELDS);
    String email = UserFields.email(f.string("email"));
    String password = UserFields.password(f.string("password"), 1);
    return new Login(email, password, f.string("clientAddress"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("email", email).put("password", password).put("clientAddress", clientAddress);
  }

  @Override
  public String toString() {
    return "Login[email=" + email + ", clientAddress=" + clientAddress + "]";
  }
}
