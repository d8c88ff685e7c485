package dev.vertxshop.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.users.GetUser;
import dev.vertxshop.contracts.users.Login;
import dev.vertxshop.contracts.users.Register;
import dev.vertxshop.contracts.users.UserFields;
import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.testing.JsonValues;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the users service's validation (the contract's records, read as the service reads them):
 * whatever arrives fails only as BAD_REQUEST and never repeats the password, what is accepted writes itself
 * back as JSON that reads equal; generated valid e-mail addresses and passwords are accepted, lengths decide exactly.
 */
@Label("users validation: BAD_REQUEST only, passwords never echoed, e-mail and password rules exact")
class UsersPropertiesTest {

  private static final String SECRET_MARK = "Zq7#secret";

  @Property(tries = 1000)
  @Label("register/login/get: any body is a valid request or BAD_REQUEST, and no message repeats the password")
  void requestsNeverFailOtherwise(@ForAll("bodies") Object body, @ForAll("operations") String operation) {
    Function<Object, Object> parse = switch (operation) {
      case "register" -> Register::fromJson;
      case "login" -> Login::fromJson;
      default -> GetUser::fromJson;
    };
    Object request;
    try {
      request = parse.apply(body);
    } catch (ServiceException e) {
      assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.BAD_REQUEST);
      assertThat(e.getMessage()).doesNotContain(SECRET_MARK);
      if (body instanceof JsonObject json && json.getValue("password") instanceof String password && password.length() >= 6) {
        assertThat(e.getMessage()).doesNotContain(password);
      }
      request = null;
    }
    Statistics.label("outcome").collect(request != null ? "accepted" : "refused");
    Statistics.label("outcome").coverage(coverage -> {
      coverage.check("accepted").count(count -> count > 0);
      coverage.check("refused").count(count -> count > 0);
    });
    if (request != null) {
      assertThat(request.toString()).doesNotContain(SECRET_MARK);
      // What the typed client writes, the service reads back equal, through the wire's text.
      assertThat(parse.apply(new JsonObject(((BusMessage) request).toJson().encode()))).isEqualTo(request);
    }
    if (request instanceof Register registration) {
      assertThat(UserFields.isEmail(registration.email())).isTrue();
      assertThat(registration.password().codePointCount(0, registration.password().length()))
          .isBetween(UserFields.PASSWORD_MIN, UserFields.PASSWORD_MAX);
      assertThat(registration.name()).isEqualTo(registration.name().strip()).isNotEmpty();
    } else if (request instanceof Login credentials) {
      assertThat(credentials.clientAddress()).isLowerCase().hasSizeBetween(1, UserFields.ADDRESS_MAX);
    }
  }

  @Property(tries = 1000)
  @Label("isEmail: generated dot-atom addresses with DNS labels are accepted; the same with a forbidden character are refused")
  void emails(@ForAll("emails") String email, @ForAll("forbidden") char bad, @ForAll("positions") double where) {
    assertThat(UserFields.isEmail(email)).as(email).isTrue();
    int at = (int) (where * email.length());
    String broken = email.substring(0, at) + bad + email.substring(at);
    assertThat(UserFields.isEmail(broken)).as(broken).isFalse();
  }

  @Property(tries = 1000)
  @Label("register: a password is accepted exactly when it has 8 to 128 code points (any Unicode but NUL and lone surrogates)")
  void passwordLengths(@ForAll("passwords") String password) {
    int length = password.codePointCount(0, password.length());
    JsonObject body = new JsonObject().put("email", "ada@example.com").put("password", password).put("name", "Ada")
        .put("clientAddress", "192.0.2.7");
    boolean accepted;
    try {
      Register registration = Register.fromJson(body);
      assertThat(registration.password()).isEqualTo(password);
      accepted = true;
    } catch (ServiceException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
      assertThat(e.getMessage()).contains("'password'");
      if (password.length() >= 6) {
        // Shorter ones may be a word of the message itself.
        assertThat(e.getMessage()).doesNotContain(password);
      }
      accepted = false;
    }
    Statistics.label("length").collect(length < UserFields.PASSWORD_MIN ? "short" : length > UserFields.PASSWORD_MAX ? "long" : "fits");
    assertThat(accepted).as("%d code points", length).isEqualTo(length >= UserFields.PASSWORD_MIN && length <= UserFields.PASSWORD_MAX);
  }

  @Provide
  Arbitrary<String> operations() {
    return Arbitraries.of("register", "login", "get");
  }

  @Provide
  Arbitrary<Object> bodies() {
    Arbitrary<JsonObject> valid = Arbitraries.oneOf(validRegistrations(), validLogins(),
        Arbitraries.create(UUID::randomUUID).map(id -> new JsonObject().put("id", id.toString())));
    return Arbitraries.frequencyOf(
        Tuple.of(2, JsonValues.any(3)),
        Tuple.of(1, JsonValues.objects(2, "email", "password", "name", "clientAddress", "id").map(o -> (Object) o)),
        Tuple.of(5, JsonValues.mutated(valid, List.of("email", "password", "name", "clientAddress", "id")).map(o -> (Object) o)),
        Tuple.of(2, valid.map(o -> (Object) o)));
  }

  @Provide
  Arbitrary<JsonObject> validRegistrations() {
    Arbitrary<String> name = Arbitraries.strings().withCharRange('A', 'z').withChars(' ', 'é', '李').ofMinLength(1).ofMaxLength(60)
        .filter(n -> !n.isBlank());
    return Combinators.combine(emails(), passwords().filter(p -> p.codePointCount(0, p.length()) >= 8
            && p.codePointCount(0, p.length()) <= 128), name)
        .as((email, password, n) -> new JsonObject().put("email", email).put("password", SECRET_MARK + password).put("name", n));
  }

  @Provide
  Arbitrary<JsonObject> validLogins() {
    Arbitrary<String> address = Arbitraries.of("127.0.0.1", "::1", "[2001:db8::1]", "fe80::1%eth0", "Gateway-Host");
    return Combinators.combine(emails(), address)
        .as((email, a) -> new JsonObject().put("email", email).put("password", SECRET_MARK).put("clientAddress", a));
  }

  /** Dot-atom local parts of atext, two to four DNS labels, the last starting with a letter. */
  @Provide
  Arbitrary<String> emails() {
    Arbitrary<String> atom = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
        .withChars("!#$%&'*+/=?^_`{|}~-".toCharArray()).ofMinLength(1).ofMaxLength(10);
    Arbitrary<String> local = atom.list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join(".", parts));
    Arbitrary<String> label = Combinators.combine(
            Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofLength(1),
            Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('-').ofMaxLength(8),
            Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofLength(1))
        .as((a, b, c) -> a + b + c);
    Arbitrary<String> top = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2).ofMaxLength(6);
    return Combinators.combine(local, label.list().ofMinSize(1).ofMaxSize(3), top)
        .as((l, labels, t) -> l + "@" + String.join(".", labels) + "." + t);
  }

  /** Characters no address of ours may contain anywhere. */
  @Provide
  Arbitrary<Character> forbidden() {
    return Arbitraries.of(' ', '"', '(', ')', ',', ':', ';', '<', '>', '[', ']', '\\', '\n', '\u0000', 'ä', '@');
  }

  @Provide
  Arbitrary<Double> positions() {
    return Arbitraries.doubles().between(0, 1).filter(d -> d < 1);
  }

  /** Passwords around both limits, of any code points except NUL and lone surrogates. */
  @Provide
  Arbitrary<String> passwords() {
    Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
        Tuple.of(2, Arbitraries.integers().between(0x01, 0xD7FF)),
        Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
        Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)));
    Arbitrary<Integer> length = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.integers().between(0, 12)),
        Tuple.of(3, Arbitraries.integers().between(120, 140)),
        Tuple.of(2, Arbitraries.integers().between(0, 200)));
    return length.flatMap(n -> codePoint.list().ofSize(n)).map(points -> {
      StringBuilder sb = new StringBuilder();
      points.forEach(sb::appendCodePoint);
      return sb.toString();
    });
  }
}
