package dev.vertxshop.deploy.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The image rules, read from a Dockerfile's text: a numeric non-root USER, an exec-form ENTRYPOINT (so
 * SIGTERM reaches the process), an exec-form HEALTHCHECK, the OCI labels, and for the JVM images the
 * container-aware heap flags and a base image chosen by build argument.
 */
public final class DockerfileChecks {

  static final List<String> OCI_LABELS = List.of("title", "description", "version", "revision", "created", "source", "licenses");
  private static final Pattern USER = Pattern.compile("(?m)^USER\\s+([0-9]+)(:[0-9]+)?\\s*$");
  private static final Pattern ENTRYPOINT = Pattern.compile("(?m)^ENTRYPOINT\\s+\\[\\s*\"[^\"]+\"");
  private static final Pattern HEALTHCHECK = Pattern.compile("(?m)^HEALTHCHECK\\s+(--[a-z-]+=\\S+\\s+|\\\\\\s*\\n\\s*)*CMD\\s+\\[");

  private DockerfileChecks() {
  }

  public static List<String> check(String name, String dockerfile, boolean jvm) {
    List<String> problems = new ArrayList<>();
    var user = USER.matcher(dockerfile);
    if (!user.find() || Integer.parseInt(user.group(1)) == 0) {
      problems.add(name + ": needs USER with a numeric non-root uid");
    }
    if (!ENTRYPOINT.matcher(dockerfile).find()) {
      problems.add(name + ": ENTRYPOINT must be in exec form ([\"...\"]) so that SIGTERM reaches the process");
    }
    if (!HEALTHCHECK.matcher(dockerfile).find()) {
      problems.add(name + ": needs an exec-form HEALTHCHECK (CMD [...])");
    }
    for (String label : OCI_LABELS) {
      if (!dockerfile.contains("org.opencontainers.image." + label + "=")) {
        problems.add(name + ": label org.opencontainers.image." + label + " is missing");
      }
    }
    if (!dockerfile.contains("ARG BASE_IMAGE=") || !dockerfile.contains("FROM ${BASE_IMAGE}")) {
      problems.add(name + ": the base image is a build argument (ARG BASE_IMAGE=..., FROM ${BASE_IMAGE})");
    }
    if (jvm) {
      for (String flag : List.of("-XX:MaxRAMPercentage=", "-XX:+ExitOnOutOfMemoryError")) {
        if (!dockerfile.contains(flag)) {
          problems.add(name + ": JAVA_OPTS needs " + flag);
        }
      }
    }
    return problems;
  }
}
