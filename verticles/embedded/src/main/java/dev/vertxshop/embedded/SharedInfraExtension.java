package dev.vertxshop.embedded;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** JUnit 5 extension that makes sure the shared PostgreSQL and Kafka are running before a test class. */
public final class SharedInfraExtension implements BeforeAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    SharedInfra.postgres();
    SharedInfra.kafka();
  }
}
