package dev.vertxshop.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Argon2id password hashes in PHC format")
class PasswordHasherTest {

  private static final Argon2Params FAST = new Argon2Params(1024, 1, 1);

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
      "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc"})
  @DisplayName("hashes of the Argon2 reference implementation (phc-winner-argon2 test vectors) verify, with their own parameters")
  void referenceVectors(String encoded) {
    PasswordHasher hasher = new PasswordHasher(FAST);
    assertThat(hasher.verify("password", encoded)).isTrue();
    assertThat(hasher.verify("passwore", encoded)).isFalse();
    assertThat(hasher.verify("Password", encoded)).isFalse();
  }

  @Test
  @DisplayName("the reference implementation's canonical 64 MiB vector verifies (and a near miss does not)")
  void canonicalReferenceVector() {
    String encoded = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    PasswordHasher hasher = new PasswordHasher(FAST);
    assertThat(hasher.verify("password", encoded)).isTrue();
    assertThat(hasher.verify("passwore", encoded)).isFalse();
  }

  @Test
  @DisplayName("a new hash is $argon2id$v=19$m=..,t=..,p=..$<16-byte salt>$<32-byte hash> with the configured parameters")
  void format() {
    String encoded = new PasswordHasher(new Argon2Params(2048, 3, 2)).hash("correct horse battery staple");
    assertThat(encoded).matches("\\$argon2id\\$v=19\\$m=2048,t=3,p=2\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    String[] parts = encoded.split("\\$");
    assertThat(Base64.getDecoder().decode(parts[4])).hasSize(PasswordHasher.SALT_BYTES);
    assertThat(Base64.getDecoder().decode(parts[5])).hasSize(PasswordHasher.HASH_BYTES);
  }

  @Test
  @DisplayName("the OWASP defaults (19 MiB, 2 iterations, 1 lane) are what a default hasher writes")
  void owaspDefaults() {
    String encoded = new PasswordHasher(Argon2Params.OWASP).hash("correct horse battery staple");
    assertThat(encoded).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(PasswordHasher.paramsOf(encoded)).isEqualTo(new Argon2Params(19456, 2, 1));
  }

  @Test
  @DisplayName("the password verifies; any other does not; the same password hashes differently each time (random salt)")
  void roundTrip() {
    PasswordHasher hasher = new PasswordHasher(FAST);
    String first = hasher.hash("s3cret-Passphrase");
    String second = hasher.hash("s3cret-Passphrase");
    assertThat(first).isNotEqualTo(second);
    assertThat(hasher.verify("s3cret-Passphrase", first)).isTrue();
    assertThat(hasher.verify("s3cret-Passphrase", second)).isTrue();
    assertThat(hasher.verify("s3cret-passphrase", first)).isFalse();
    assertThat(hasher.verify("s3cret-Passphrase ", first)).isFalse();
    assertThat(hasher.verify("", first)).isFalse();
  }

  @Test
  @DisplayName("verification reads the parameters from the stored string, not from the hasher's configuration")
  void parametersFromStoredString() {
    Argon2Params old = new Argon2Params(512, 2, 2);
    String encoded = new PasswordHasher(old).hash("an old password");
    PasswordHasher current = new PasswordHasher(new Argon2Params(4096, 1, 1));
    assertThat(PasswordHasher.paramsOf(encoded)).isEqualTo(old);
    assertThat(current.verify("an old password", encoded)).isTrue();
    assertThat(current.needsRehash(encoded)).isTrue();
    assertThat(new PasswordHasher(old).needsRehash(encoded)).isFalse();
    assertThat(current.needsRehash(current.hash("an old password"))).isFalse();
  }

  @Test
  @DisplayName("passwords are compared in NFKC form: composed and decomposed accents are the same password")
  void unicodeNormalization() {
    PasswordHasher hasher = new PasswordHasher(FAST);
    String encoded = hasher.hash("caf\u00e9-au-lait");
    assertThat(hasher.verify("cafe\u0301-au-lait", encoded)).isTrue();
    assertThat(hasher.verify("cafe-au-lait", encoded)).isFalse();
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {
      "",
      "password",
      "$argon2i$v=19$m=256,t=2,p=1$c29tZXNhbHQ$iekCn0Y3spW+sCcFanM2xBT63UP2sghkUoHLIUpWRS8",
      "$argon2id$v=16$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
      "$argon2id$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
      "$argon2id$v=19$m=0,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
      "$argon2id$v=19$m=0256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
      "$argon2id$v=19$m=8,t=2,p=2$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
      "$argon2id$v=19$m=9999999999,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
      "$argon2id$v=19$m=256,t=101,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
      "$argon2id$v=19$m=256,t=2,p=65$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
      "$argon2id$v=19$t=2,m=256,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
      "$argon2id$v=19$m=256,t=2,p=1$c29tZQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
      "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR",
      "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi_4",
      "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4$",
      "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4=",
      " $argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"})
  @DisplayName("a malformed, foreign or out-of-bounds stored string matches nothing and needs a rehash")
  void malformed(String encoded) {
    PasswordHasher hasher = new PasswordHasher(FAST);
    assertThat(hasher.verify("password", encoded)).isFalse();
    assertThat(hasher.needsRehash(encoded)).isTrue();
    assertThatThrownBy(() -> PasswordHasher.paramsOf(encoded)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("parameters outside Argon2's rules are refused")
  void invalidParams() {
    assertThatThrownBy(() -> new Argon2Params(15, 1, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Argon2Params(1024, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Argon2Params(1024, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new Argon2Params(16, 1, 2).memoryKib()).isEqualTo(16);
  }
}
