package dev.vertxshop.platform.config;

/** A configuration value that cannot be used; the message always names the variable. */
public final class ConfigException extends RuntimeException {

  private final String variable;

  public ConfigException(String variable, String message) {
    super(variable + ": " + message);
    this.variable = variable;
  }

  public String variable() {
    return variable;
  }
}
