package dev.vertxshop.deploy.nomad;

import dev.vertxshop.deploy.Images;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks Nomad jobs as HashiCorp's HCL parser returns them: first against the JSON Schema of the
 * jobspec subset the shop uses (deploy-tests/src/test/resources/nomad-jobspec.schema.json; unknown keys
 * forbidden), then the shop's rules: native service discovery with checks on declared ports, HTTP
 * readiness checks on every JVM's ops port, pinned images, secrets only from Nomad Variables,
 * cluster discovery through the "shop-cluster" service, scaling for the replicated front.
 */
public final class NomadChecks {

  public static final String SECRETS_PATH = "nomad/jobs/shop";
  /** The client host network the cluster ports are bound to (each Nomad client declares it). */
  public static final String PRIVATE_NETWORK = "private";
  /** The JVMs of the shop (one image each); postgres, kafka and the edge are not. */
  public static final Set<String> SHOP_SERVICES = Set.of("gateway", "catalog", "users", "cart", "orders", "payments",
      "notifications", "search", "payment-provider");
  /** A variable holding a secret (a *_FILE variable holds a path to one, which is not). */
  private static final Pattern SECRET_LINE = Pattern.compile("(?m)^\\s*([A-Z0-9_]*(?:PASSWORD|TOKEN|PRIVATE_KEY|SECRET)(?:_(?!FILE\\b)[A-Z0-9_]*)?)=(.*)$");
  private static final Pattern NOMAD_VAR = Pattern.compile("nomadVar\\s+\"([^\"]+)\"");
  private static final Pattern ENV_LINE = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)=.*$");
  private static final Validator SCHEMA = Validator.create(JsonSchema.of(schema()),
      new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://vertx-shop.dev/")
          .setOutputFormat(OutputFormat.Basic));

  private final List<String> problems = new ArrayList<>();

  private NomadChecks() {
  }

  /** Every problem of these parsed job files (file name → parser output). */
  public static List<String> check(Map<Path, JsonObject> parsed) {
    NomadChecks checks = new NomadChecks();
    parsed.forEach((file, json) -> checks.checkFile(file.getFileName().toString(), json));
    return checks.problems;
  }

  public static JsonObject schema() {
    try (InputStream in = NomadChecks.class.getResourceAsStream("/nomad-jobspec.schema.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void checkFile(String file, JsonObject json) {
    if (json == null) {
      problems.add(file + ": not parsed");
      return;
    }
    if (json.containsKey("__error")) {
      problems.add(file + ": does not parse: " + json.getString("__error"));
      return;
    }
    OutputUnit result = SCHEMA.validate(json);
    if (!Boolean.TRUE.equals(result.getValid())) {
      List<OutputUnit> errors = result.getErrors() == null ? List.of(result) : result.getErrors();
      for (OutputUnit error : errors) {
        problems.add(file + ": schema: " + error.getInstanceLocation() + ": " + error.getError()
            + " (" + error.getKeywordLocation() + ")");
      }
      return;
    }
    JsonObject jobs = json.getJsonObject("job");
    for (String jobName : jobs.fieldNames()) {
      checkJob(file + ": job " + jobName, jobName, jobs.getJsonArray(jobName).getJsonObject(0));
    }
  }

  private void checkJob(String where, String jobName, JsonObject job) {
    JsonObject update = first(job, "update");
    if (!"checks".equals(update.getString("health_check")) || !Boolean.TRUE.equals(update.getBoolean("auto_revert"))) {
      problems.add(where + ": update must use health_check = \"checks\" and auto_revert = true");
    }
    JsonObject groups = job.getJsonObject("group");
    for (String groupName : groups.fieldNames()) {
      checkGroup(where + ", group " + groupName, jobName, groupName, groups.getJsonArray(groupName).getJsonObject(0));
    }
  }

  private void checkGroup(String where, String jobName, String groupName, JsonObject group) {
    JsonObject network = first(group, "network");
    JsonObject ports = network.getJsonObject("port", new JsonObject());
    Set<String> declared = new HashSet<>(ports.fieldNames());
    List<JsonObject> services = list(group, "service");
    if (services.isEmpty()) {
      problems.add(where + ": registers no service (provider = \"nomad\")");
    }
    boolean checked = false;
    for (JsonObject service : services) {
      String name = service.getString("name");
      if (!"nomad".equals(service.getString("provider"))) {
        problems.add(where + ": service " + name + " must use provider = \"nomad\"");
      }
      if (!declared.contains(String.valueOf(service.getValue("port")))) {
        problems.add(where + ": service " + name + " port '" + service.getValue("port") + "' is not a declared network port " + declared);
      }
      for (JsonObject check : list(service, "check")) {
        checked = true;
        Object port = check.getValue("port", service.getValue("port"));
        if (!declared.contains(String.valueOf(port))) {
          problems.add(where + ": service " + name + " check port '" + port + "' is not a declared network port " + declared);
        }
      }
    }
    if (!checked) {
      problems.add(where + ": no service has a health check");
    }
    JsonObject tasks = group.getJsonObject("task");
    for (String taskName : tasks.fieldNames()) {
      JsonObject task = tasks.getJsonArray(taskName).getJsonObject(0);
      String taskWhere = where + ", task " + taskName;
      String image = first(task, "config").getString("image");
      if (!Images.pinned(image)) {
        problems.add(taskWhere + ": image '" + image + "' is not pinned to a version tag (no tag, or latest)");
      }
      checkSecrets(taskWhere, task);
      checkEnvTemplates(taskWhere, task);
      if (SHOP_SERVICES.contains(groupName)) {
        checkShopNode(taskWhere, groupName, group, task, ports, services);
      }
    }
    if (!"fail".equals(first(group, "restart").getString("mode"))) {
      problems.add(where + ": restart mode must be \"fail\", so that a task failing in place is rescheduled (\"delay\" never is)");
    }
    if (first(group, "reschedule").isEmpty()) {
      problems.add(where + ": needs a reschedule block (where a failed allocation goes next)");
    }
    JsonObject volumes = group.getJsonObject("volume", new JsonObject());
    for (String volume : volumes.fieldNames()) {
      JsonObject v = volumes.getJsonArray(volume).getJsonObject(0);
      boolean pinned = list(group, "constraint").stream()
          .anyMatch(c -> String.valueOf(c.getString("attribute")).matches("\\$\\{(meta\\.|node\\.unique\\.).*\\}"));
      if ("host".equals(v.getString("type")) && !pinned) {
        problems.add(where + ": host volume " + volume + " needs a constraint to the client holding it (meta or node name)");
      }
    }
    if ("shop".equals(jobName) && List.of("gateway", "catalog").contains(groupName)) {
      JsonObject scaling = first(group, "scaling");
      if (scaling.isEmpty()) {
        problems.add(where + ": the replicated front (gateway, catalog) needs a scaling block");
      } else if (!group.getValue("count").equals(scaling.getValue("min"))) {
        problems.add(where + ": scaling min " + scaling.getValue("min") + " differs from count " + group.getValue("count"));
      }
    }
  }

  /** A JVM of the shop: ops port 9000 with an HTTP readiness check; cluster members discover each other. */
  private void checkShopNode(String where, String groupName, JsonObject group, JsonObject task, JsonObject ports,
      List<JsonObject> services) {
    JsonObject ops = ports.getJsonArray("ops", new JsonArray().add(new JsonObject())).getJsonObject(0);
    if (!Integer.valueOf(9000).equals(ops.getInteger("to"))) {
      problems.add(where + ": port \"ops\" must map to the container's 9000");
    }
    boolean ready = services.stream().flatMap(s -> list(s, "check").stream()).anyMatch(c ->
        "http".equals(c.getString("type")) && "/health/ready".equals(c.getString("path")) && "ops".equals(c.getString("port")));
    if (!ready) {
      problems.add(where + ": needs an http check of /health/ready on port \"ops\"");
    }
    String templates = allTemplateData(task);
    if (templates.contains("SHOP_CLUSTERED=true")) {
      boolean registered = services.stream().anyMatch(s -> "shop-cluster".equals(s.getString("name"))
          && "hazelcast".equals(s.getString("port")));
      if (!registered) {
        problems.add(where + ": a cluster member registers service \"shop-cluster\" on port \"hazelcast\"");
      }
      boolean members = list(task, "template").stream().anyMatch(t -> "noop".equals(t.getString("change_mode"))
          && t.getString("data", "").contains("SHOP_CLUSTER_MEMBERS={{ range nomadService \"shop-cluster\" }}"));
      if (!members) {
        problems.add(where + ": SHOP_CLUSTER_MEMBERS must be rendered from nomadService \"shop-cluster\" by a template with change_mode = \"noop\"");
      }
      for (String p : List.of("hazelcast", "eventbus")) {
        JsonArray port = ports.getJsonArray(p);
        if (port == null || port.getJsonObject(0).containsKey("to") || port.getJsonObject(0).containsKey("static")) {
          problems.add(where + ": port \"" + p + "\" must be dynamic and the same inside and outside (no to, no static)");
        } else if (!PRIVATE_NETWORK.equals(port.getJsonObject(0).getString("host_network"))) {
          problems.add(where + ": port \"" + p + "\" must be on host_network \"" + PRIVATE_NETWORK + "\", not the client's public address");
        }
      }
      JsonObject env = first(task, "env");
      if (!"${NOMAD_HOST_IP_hazelcast}".equals(env.getString("SHOP_CLUSTER_PUBLIC_HOST"))
          || !"${NOMAD_PORT_hazelcast}".equals(env.getString("SHOP_CLUSTER_HAZELCAST_PORT"))
          || !"${NOMAD_PORT_eventbus}".equals(env.getString("SHOP_CLUSTER_EVENTBUS_PORT"))) {
        problems.add(where + ": a cluster member advertises ${NOMAD_HOST_IP_hazelcast} and binds ${NOMAD_PORT_hazelcast} / ${NOMAD_PORT_eventbus}");
      }
      // The cluster is closed: the secret from Nomad Variables, the TLS files rendered from them into secrets/.
      if (!templates.contains("SHOP_CLUSTER_SECRET={{ .cluster_secret }}") || templates.contains("SHOP_CLUSTER_INSECURE=true")) {
        problems.add(where + ": a cluster member renders SHOP_CLUSTER_SECRET from nomadVar (.cluster_secret) and never sets SHOP_CLUSTER_INSECURE=true");
      }
      for (String[] tls : new String[][] {{"SHOP_CLUSTER_TLS_CERT", "cluster.crt", ".cluster_tls_cert"},
          {"SHOP_CLUSTER_TLS_KEY", "cluster.key", ".cluster_tls_key"}, {"SHOP_CLUSTER_TLS_CA", "ca.crt", ".cluster_tls_ca"}}) {
        boolean rendered = list(task, "template").stream().anyMatch(t -> ("secrets/" + tls[1]).equals(t.getString("destination"))
            && t.getString("data", "").contains(tls[2]));
        if (!templates.contains(tls[0] + "=/secrets/" + tls[1]) || !rendered) {
          problems.add(where + ": " + tls[0] + " must be /secrets/" + tls[1] + ", rendered from nomadVar " + tls[2]);
        }
      }
    }
  }

  /** Secrets come from Nomad Variables at nomad/jobs/shop, rendered into the secrets/ directory. */
  private void checkSecrets(String where, JsonObject task) {
    for (String key : first(task, "env").fieldNames()) {
      if (SECRET_LINE.matcher(key + "=x").matches()) {
        problems.add(where + ": " + key + " is a secret and cannot be a literal env value");
      }
    }
    for (JsonObject template : list(task, "template")) {
      String data = template.getString("data", "");
      Matcher secret = SECRET_LINE.matcher(data);
      while (secret.find()) {
        if (!secret.group(2).contains("{{")) {
          problems.add(where + ": " + secret.group(1) + " is a literal in a template; secrets come from nomadVar \"" + SECRETS_PATH + "\"");
        }
      }
      Matcher var = NOMAD_VAR.matcher(data);
      while (var.find()) {
        if (!SECRETS_PATH.equals(var.group(1))) {
          problems.add(where + ": nomadVar \"" + var.group(1) + "\" is not the shop's variables path " + SECRETS_PATH);
        }
        if (!template.getString("destination", "").startsWith("secrets/")) {
          problems.add(where + ": a template reading Nomad Variables must render into secrets/, not " + template.getString("destination"));
        }
      }
    }
  }

  /** Env templates (env = true) hold KEY=VALUE lines only, besides template actions. */
  private void checkEnvTemplates(String where, JsonObject task) {
    for (JsonObject template : list(task, "template")) {
      if (!Boolean.TRUE.equals(template.getBoolean("env"))) {
        continue;
      }
      for (String line : template.getString("data", "").split("\n")) {
        String stripped = line.replaceAll("\\{\\{-?[^}]*-?}}", "").trim();
        if (!stripped.isEmpty() && !ENV_LINE.matcher(stripped).matches()) {
          problems.add(where + ": env template line is not KEY=VALUE: " + line.trim());
        }
      }
    }
  }

  private static String allTemplateData(JsonObject task) {
    StringBuilder all = new StringBuilder();
    list(task, "template").forEach(t -> all.append(t.getString("data", "")).append('\n'));
    return all.toString();
  }

  static JsonObject first(JsonObject parent, String block) {
    JsonArray items = parent.getJsonArray(block);
    return items == null || items.isEmpty() ? new JsonObject() : items.getJsonObject(0);
  }

  static List<JsonObject> list(JsonObject parent, String block) {
    List<JsonObject> out = new ArrayList<>();
    JsonArray items = parent.getJsonArray(block);
    if (items != null) {
      items.forEach(i -> out.add((JsonObject) i));
    }
    return out;
  }
}
