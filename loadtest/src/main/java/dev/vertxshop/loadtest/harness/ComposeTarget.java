package dev.vertxshop.loadtest.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shop on Docker Compose ({@code compose/docker-compose.yml}, images from
 * {@code docker/build-images.sh}), under its own project name and host port so that it never touches
 * a Compose shop someone else runs. Requests go client → docker-proxy (the published port on
 * 127.0.0.1) → the HAProxy edge → a gateway replica → the event bus over the Compose network.
 *
 * <p>Containers are found by their labels ({@code com.docker.compose.project},
 * {@code com.docker.compose.service}), never by name: Compose v1 names them {@code project_service_1},
 * v2 {@code project-service-1}, and either may run.
 */
final class ComposeTarget extends Target {

  static final String VERSION = "0.1.0";
  static final List<String> IMAGES = List.of("gateway", "catalog", "users", "cart", "orders", "payments", "notifications",
      "search", "payment-provider", "postgres", "kafka");
  private static final String PS_FORMAT = "{{.ID}}\t{{.Names}}\t{{.Label \"com.docker.compose.service\"}}\t"
      + "{{.Label \"com.docker.compose.container-number\"}}\t{{.Label \"com.docker.compose.oneoff\"}}";
  private static final String INSPECT_FORMAT = "{{.Id}}\t{{.State.Status}}\t{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}\t"
      + "{{.RestartCount}}\t{{.State.Pid}}\t{{.Config.Image}}\t{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}";

  /** One container of the project, as {@code docker ps} and {@code docker inspect} describe it. */
  record Container(String id, String name, String service, int number, String status, String health, int restarts, long pid,
      String image, String ip) {

    boolean healthy() {
      return status.equals("running") && (health.equals("healthy") || health.equals("none"));
    }

    /** {@code catalog-1}: the same label under v1 and v2. */
    String label() {
      return service + "-" + number;
    }
  }

  private String token;
  private List<String> composeCommand;
  private Path spec;
  private volatile List<Container> containers = List.of();

  ComposeTarget(Options options, int round) {
    this(options, round, null);
  }

  ComposeTarget(Options options, int round, Cmd cmd) {
    super("compose", options, round, cmd);
  }

  private String project() {
    return options.text("compose-project");
  }

  private int edgePort() {
    return port(90);
  }

  @Override
  String baseUrl() {
    return "http://127.0.0.1:" + edgePort();
  }

  @Override
  String adminToken() {
    return token;
  }

  /** {@code docker compose} (v2) when the plugin answers, else {@code docker-compose} (v1, or v2's standalone binary). */
  private List<String> composeCommand() {
    if (composeCommand == null) {
      String chosen = options.text("compose-cmd");
      if (chosen.equals("auto")) {
        chosen = cmd.run(List.of("docker", "compose", "version", "--short"), Duration.ofSeconds(20)).ok() ? "docker compose" : "docker-compose";
      }
      composeCommand = List.of(chosen.trim().split("\\s+"));
    }
    return composeCommand;
  }

  List<String> compose(String... args) {
    List<String> command = new ArrayList<>(composeCommand());
    command.addAll(List.of("--project-directory", spec.toString(), "-p", project(), "-f", spec.resolve("docker-compose.yml").toString()));
    command.addAll(List.of(args));
    return command;
  }

  @Override
  Readiness start() {
    if (!cmd.run(List.of("docker", "info", "--format", "{{.ServerVersion}}"), Duration.ofSeconds(20)).ok()) {
      throw new Unavailable("no Docker daemon answers (docker info)");
    }
    spec = copySpec("compose");
    List<String> missing = missingImages();
    if (!missing.isEmpty() && options.yes("compose-build")) {
      Log.info("compose: building images (%s) with docker/build-images.sh %s", String.join(", ", missing), VERSION);
      Proc.Result built = cmd.run(List.of(root.resolve("docker/build-images.sh").toString(), VERSION), Duration.ofMinutes(40));
      write("logs/build-images.log", built.output());
      missing = missingImages();
    }
    if (!missing.isEmpty()) {
      throw new Unavailable("images missing: " + String.join(", ", missing) + " (docker/build-images.sh " + VERSION
          + ", or --compose-build yes)");
    }
    // The documented first step of compose/README: random credentials and the JWT key, here in the copy.
    Proc.Result env = cmd.run(List.of(spec.resolve("make-env.sh").toString()), Duration.ofMinutes(1));
    if (!env.ok()) {
      throw new Unavailable("compose/make-env.sh failed: " + env.output());
    }
    token = dotEnv("SHOP_ADMIN_TOKEN");
    // A previous harness run that died may have left the project up, with its volumes.
    cmd.run(withEnv(compose("down", "-v", "--remove-orphans", "--timeout", "30")), Duration.ofMinutes(3));

    long t0 = System.nanoTime();
    Proc.Result up = cmd.run(withEnv(compose("up", "-d")), Duration.ofMinutes(15));
    write("logs/compose-up.log", up.output());
    long upMillis = (System.nanoTime() - t0) / 1_000_000;
    if (!up.ok()) {
      throw new IllegalStateException("docker compose up failed:\n" + up.output());
    }
    Map<String, Long> parts = new LinkedHashMap<>();
    parts.put("`up -d` returned (infrastructure healthy first: depends_on)", upMillis);
    Readiness readiness = awaitReady(t0, Duration.ofMinutes(8), () -> true, this::refresh, parts,
        "from `up -d` (images present, volumes fresh) to GET /api/products 200 through the edge and every container's /health/ready 200");
    facts.put("processes", containers.size() + " containers (+ docker-proxy on the host)");
    facts.put("compose", String.join(" ", composeCommand()));
    return readiness;
  }

  /** The published port and bind address, for the compose file's ${SHOP_HTTP_PORT} and ${SHOP_HTTP_BIND}. */
  private List<String> withEnv(List<String> command) {
    List<String> full = new ArrayList<>(List.of("env", "SHOP_HTTP_PORT=" + edgePort(), "SHOP_HTTP_BIND=127.0.0.1"));
    full.addAll(command);
    return full;
  }

  private List<String> missingImages() {
    List<String> missing = new ArrayList<>();
    List<String> wanted = new ArrayList<>();
    IMAGES.forEach(image -> wanted.add("vertx-shop/" + image + ":" + VERSION));
    wanted.add("vertx-shop/haproxy-os:2.6");
    for (String image : wanted) {
      if (!cmd.run(List.of("docker", "image", "inspect", "--format", "{{.Id}}", image), Duration.ofSeconds(20)).ok()) {
        missing.add(image);
      }
    }
    return missing;
  }

  private String dotEnv(String key) {
    try {
      for (String line : Files.readAllLines(spec.resolve(".env"))) {
        if (line.startsWith(key + "=")) {
          return line.substring(key.length() + 1).trim();
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  /** Lists the project's containers by label, then inspects them (state, health, restarts, pid, address). */
  void refresh() {
    Proc.Result ps = cmd.run(List.of("docker", "ps", "-a", "--no-trunc", "--filter", "label=com.docker.compose.project=" + project(),
        "--format", PS_FORMAT), Duration.ofSeconds(30));
    List<Container> listed = parsePs(ps.output());
    if (listed.isEmpty()) {
      containers = List.of();
      return;
    }
    List<String> inspect = new ArrayList<>(List.of("docker", "inspect", "--format", INSPECT_FORMAT));
    listed.forEach(c -> inspect.add(c.id()));
    containers = withInspect(listed, cmd.run(inspect, Duration.ofSeconds(30)).output());
  }

  /** {@code docker ps --format PS_FORMAT} lines → containers (state still unknown), one-off ({@code run}) containers left out. */
  static List<Container> parsePs(String output) {
    List<Container> containers = new ArrayList<>();
    for (String line : output.split("\n")) {
      String[] f = line.split("\t", -1);
      if (f.length < 4 || f[2].isBlank() || (f.length > 4 && f[4].equalsIgnoreCase("true"))) {
        continue;
      }
      int number;
      try {
        number = Integer.parseInt(f[3].trim());
      } catch (NumberFormatException e) {
        number = 1;
      }
      containers.add(new Container(f[0].trim(), f[1].trim(), f[2].trim(), number, "unknown", "none", 0, 0, "", ""));
    }
    containers.sort(java.util.Comparator.comparing(Container::service).thenComparingInt(Container::number));
    return containers;
  }

  /** Adds what {@code docker inspect --format INSPECT_FORMAT} said to each container (matched by id). */
  static List<Container> withInspect(List<Container> listed, String inspectOutput) {
    Map<String, String[]> byId = new LinkedHashMap<>();
    for (String line : inspectOutput.split("\n")) {
      String[] f = line.split("\t", -1);
      if (f.length >= 7) {
        byId.put(f[0].trim(), f);
      }
    }
    List<Container> result = new ArrayList<>();
    for (Container c : listed) {
      String[] f = byId.get(c.id());
      if (f == null) {
        for (Map.Entry<String, String[]> entry : byId.entrySet()) {
          if (entry.getKey().startsWith(c.id()) || c.id().startsWith(entry.getKey())) {
            f = entry.getValue();
          }
        }
      }
      if (f == null) {
        result.add(c);
        continue;
      }
      String ip = f[6].trim().split("\\s+")[0];
      result.add(new Container(c.id(), c.name(), c.service(), c.number(), f[1].trim(), f[2].trim(), parseInt(f[3]), parseLong(f[4]),
          f[5].trim(), ip));
    }
    return result;
  }

  /**
   * The containers of {@code service}, running or not; fails, saying what was found, when there is none,
   * so that a renamed service or another Compose version never turns a fault run into a silent skip.
   */
  static List<Container> replicas(List<Container> containers, String service, String project) {
    List<Container> replicas = containers.stream().filter(c -> c.service().equals(service)).toList();
    if (replicas.isEmpty()) {
      throw new IllegalStateException("no container of service " + service + " in the Compose project " + project
          + " (found by label com.docker.compose.service: " + containers.stream().map(Container::name).toList() + ")");
    }
    return replicas;
  }

  @Override
  List<Endpoint> endpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Container c : containers) {
      boolean node = SERVICES.contains(c.service()) || c.service().equals("payment-provider");
      if (node && c.status().equals("running") && !c.ip().isEmpty()) {
        endpoints.add(new Endpoint(c.service(), c.label(), c.id(), "http://" + c.ip() + ":9000"));
      }
    }
    return endpoints;
  }

  @Override
  int expectedReplicas() {
    int count = 0;
    for (Limits.Service service : limits()) {
      if (SERVICES.contains(service.name()) || service.name().equals("payment-provider")) {
        count += Integer.parseInt(service.replicas());
      }
    }
    return count;
  }

  @Override
  boolean ready() {
    refresh();
    return !containers.isEmpty() && containers.stream().allMatch(Container::healthy) && super.ready();
  }

  @Override
  List<Sampler.Usage> hostUsage() {
    List<Sampler.Usage> usage = new ArrayList<>();
    Map<String, String> labels = new LinkedHashMap<>();
    containers.forEach(c -> labels.put(c.name(), c.label()));
    // Not through cmd: the sampler thread calls this, and docker stats is the host's view, not part of the story.
    Proc.Result stats = Proc.run(List.of("docker", "stats", "--no-stream", "--format", "{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}"),
        root, Map.of(), Duration.ofSeconds(30));
    for (String line : stats.output().lines().toList()) {
      String[] parts = line.split("\\|");
      if (parts.length != 3 || !labels.containsKey(parts[0].trim())) {
        continue;
      }
      usage.add(new Sampler.Usage(labels.get(parts[0].trim()), -1, percent(parts[1]), bytes(parts[2].split("/")[0])));
    }
    usage.sort(java.util.Comparator.comparing(Sampler.Usage::label));
    List<Long> proxies = Proc.find("docker-proxy", "-host-port " + edgePort() + " ");
    if (!proxies.isEmpty()) {
      usage.add(Sampler.Usage.ofPids("docker-proxy (host port " + edgePort() + ")", proxies));
    }
    return usage;
  }

  static double percent(String text) {
    try {
      return Double.parseDouble(text.trim().replace("%", ""));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** "123.4MiB" → bytes. */
  static long bytes(String text) {
    String value = text.trim();
    double factor = 1;
    String lower = value.toLowerCase(Locale.ROOT);
    String[][] units = {{"kib", "1024"}, {"mib", "1048576"}, {"gib", "1073741824"}, {"kb", "1000"}, {"mb", "1000000"}, {"gb", "1000000000"}, {"b", "1"}};
    for (String[] unit : units) {
      if (lower.endsWith(unit[0])) {
        factor = Double.parseDouble(unit[1]);
        value = value.substring(0, value.length() - unit[0].length());
        break;
      }
    }
    try {
      return (long) (Double.parseDouble(value.trim()) * factor);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  // ---------------------------------------------------------------- faults

  /**
   * A real crash of a container's process: SIGKILL sent from the host's PID namespace. {@code docker kill}
   * is not one: Docker counts it as a manual stop and its restart policy leaves the container down, and
   * inside the container the JVM is PID 1, which ignores a SIGKILL sent from its own namespace. So a
   * throwaway container of the same image, in the host's PID namespace with only CAP_KILL, sends it.
   */
  static List<String> killCommand(Container victim) {
    return List.of("docker", "run", "--rm", "--pid=host", "--network=none", "--user=0", "--cap-drop=ALL", "--cap-add=KILL",
        "--entrypoint=bash", victim.image(), "-c", "kill -9 " + victim.pid());
  }

  static List<String> stopCommand(Container victim) {
    return List.of("docker", "stop", "--time", "30", victim.id());
  }

  /** The rolled service's image under the new tag (the same image: a release that changes nothing but its tag). */
  static List<String> tagCommand(String service, String tag) {
    return List.of("docker", "tag", "vertx-shop/" + service + ":" + VERSION, "vertx-shop/" + service + ":" + tag);
  }

  /** An override file giving {@code service} the new tag; the spec itself stays as it is. */
  static String rollOverride(String service, String tag) {
    return "# Written by the load-test harness for a rolling update of " + service + ".\nservices:\n  " + service + ":\n"
        + "    image: vertx-shop/" + service + ":" + tag + "\n";
  }

  /**
   * One step of the one-by-one roll: one more container of {@code service}, with the new image, beside
   * the old ones ({@code --no-recreate} keeps them as they are), before one old container is removed.
   */
  static List<String> scaleUpCommand(List<String> compose, Path spec, String project, int edgePort, String service, int count, Path override) {
    List<String> command = new ArrayList<>(List.of("env", "SHOP_HTTP_PORT=" + edgePort, "SHOP_HTTP_BIND=127.0.0.1"));
    command.addAll(compose);
    command.addAll(List.of("--project-directory", spec.toString(), "-p", project, "-f", spec.resolve("docker-compose.yml").toString(),
        "-f", override.toString(), "up", "-d", "--no-deps", "--no-recreate", "--scale", service + "=" + count, service));
    return command;
  }

  private List<String> scaleUpCommand(String service, int count, Path override) {
    return scaleUpCommand(composeCommand(), spec, project(), edgePort(), service, count, override);
  }

  @Override
  Fault.Action fault(Fault fault, String service) {
    refresh();
    List<Container> replicas = replicas(containers, service, project());
    Container victim = replicas.get(0);
    String of = ", one of " + replicas.size() + " " + service + " containers";
    return switch (fault) {
      case KILL_9 -> new Replace(victim, "kill -9 of the JVM of " + victim.name() + " from the host's PID namespace (`"
          + Transcript.join(killCommand(victim)) + "`)" + of + "; Docker's restart policy (unless-stopped) restarts it", true);
      case GRACEFUL_STOP -> new Replace(victim, "`" + Transcript.join(stopCommand(victim)) + "` (SIGTERM, 30 s grace)" + of
          + "; Compose does not replace a stopped container: once it has exited the harness starts it again (`docker start`)", false);
      case ROLLING_UPDATE -> new Roll(service, replicas);
      case NODE_DRAIN -> throw new Fault.NotApplicable("one Docker host, no nodes");
    };
  }

  /** A kill (restarted by Docker) or a stop (started again by the harness), until the container is healthy. */
  private final class Replace implements Fault.Action {
    private final Container victim;
    private final String what;
    private final boolean kill;
    private final List<Fault.Milestone> milestones = new ArrayList<>();
    private boolean started;

    Replace(Container victim, String what, boolean kill) {
      this.victim = victim;
      this.what = what;
      this.kill = kill;
    }

    @Override
    public String what() {
      return what;
    }

    @Override
    public void begin() {
      Proc.Result result = cmd.run(kill ? killCommand(victim) : stopCommand(victim), Duration.ofMinutes(1));
      milestones.add(new Fault.Milestone(System.currentTimeMillis(), "harness",
          (kill ? "SIGKILL sent to pid " + victim.pid() : "docker stop returned") + (result.ok() ? "" : " (FAILED: " + result.output().trim() + ")")));
    }

    @Override
    public boolean finished() {
      Container now = current(victim.id());
      if (now == null) {
        return false;
      }
      if (!kill && !started && !now.status().equals("running")) {
        cmd.run(List.of("docker", "start", victim.id()), Duration.ofMinutes(1));
        started = true;
        milestones.add(new Fault.Milestone(System.currentTimeMillis(), "harness", "docker start " + victim.name()));
        return false;
      }
      return now.healthy() && (kill ? now.restarts() > victim.restarts() : started) && Http.ok("http://" + now.ip() + ":9000/health/ready");
    }

    @Override
    public List<Fault.Milestone> milestones() {
      return List.copyOf(milestones);
    }

    @Override
    public void end() {
      Container now = current(victim.id());
      if (now != null && !now.status().equals("running")) {
        cmd.run(List.of("docker", "start", victim.id()), Duration.ofMinutes(1));
      }
      poll(ComposeTarget.this::ready, Duration.ofMinutes(4));
    }
  }

  /** One container at a time: one new (new tag) beside the old ones, healthy, then one old stopped and removed. */
  private final class Roll implements Fault.Action {
    private final String service;
    private final List<Container> old;
    private final String tag;
    private final Path override;
    private final List<Fault.Milestone> milestones = new ArrayList<>();
    private int step;
    private boolean scaled;
    private boolean done;

    Roll(String service, List<Container> old) {
      this.service = service;
      this.old = new ArrayList<>(old);
      this.tag = options.has("roll-tag") ? options.text("roll-tag") : VERSION + "-roll";
      this.override = dir.resolve("spec/compose/docker-compose.roll-" + service + ".yml");
    }

    @Override
    public String what() {
      return "rolling update of " + service + " to the tag " + tag + " (`" + Transcript.join(tagCommand(service, tag))
          + "`: the same image under a new tag), one container at a time: `up -d --no-deps --no-recreate --scale " + service + "=N+1` "
          + "with an override file naming the new image, wait until the new one is healthy, then `docker stop --time 30` and "
          + "`docker rm` of one old one (Compose has no rolling update of its own)";
    }

    @Override
    public void begin() {
      cmd.run(tagCommand(service, tag), Duration.ofSeconds(30));
      try {
        Files.createDirectories(override.getParent());
        Files.writeString(override, rollOverride(service, tag));
      } catch (IOException e) {
        throw new IllegalStateException("cannot write " + override + ": " + e.getMessage());
      }
      next();
    }

    private void next() {
      cmd.run(scaleUpCommand(service, old.size() + 1, override), Duration.ofMinutes(3));
      milestones.add(new Fault.Milestone(System.currentTimeMillis(), "orchestrator", "a new " + service + " container started ("
          + (step + 1) + " of " + old.size() + ")"));
      scaled = true;
    }

    @Override
    public boolean finished() {
      if (done) {
        return true;
      }
      if (scaled) {
        List<Container> fresh = containers.stream().filter(c -> c.service().equals(service) && old.stream().noneMatch(o -> o.id().equals(c.id())))
            .toList();
        if (fresh.size() > step && fresh.stream().allMatch(Container::healthy)) {
          Container retired = old.get(step);
          cmd.run(List.of("docker", "stop", "--time", "30", retired.id()), Duration.ofMinutes(1));
          cmd.run(List.of("docker", "rm", retired.id()), Duration.ofMinutes(1));
          milestones.add(new Fault.Milestone(System.currentTimeMillis(), "harness", "old container " + retired.name() + " stopped and removed"));
          step++;
          scaled = false;
          if (step == old.size()) {
            done = true;
            return true;
          }
          // The next new container: as many as before plus one, with the one just removed gone.
          cmd.run(scaleUpCommand(service, old.size() + 1, override), Duration.ofMinutes(3));
          milestones.add(new Fault.Milestone(System.currentTimeMillis(), "orchestrator", "a new " + service + " container started ("
              + (step + 1) + " of " + old.size() + ")"));
          scaled = true;
        }
      }
      return false;
    }

    @Override
    public List<Fault.Milestone> milestones() {
      return List.copyOf(milestones);
    }

    @Override
    public void end() {
      poll(ComposeTarget.this::ready, Duration.ofMinutes(4));
    }
  }

  private Container current(String id) {
    return containers.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
  }

  @Override
  Map<String, String> observe(String service) {
    Map<String, String> facts = new LinkedHashMap<>();
    for (Container c : containers) {
      if (c.service().equals(service)) {
        facts.put(c.name(), c.status() + ", " + c.health() + ", restarts " + c.restarts() + ", image " + c.image());
      }
    }
    return facts;
  }

  @Override
  String logText(long fromMillis, long toMillis) {
    StringBuilder text = new StringBuilder();
    for (Container c : containers) {
      if (!SERVICES.contains(c.service())) {
        continue;
      }
      Proc.Result logs = cmd.run(List.of("docker", "logs", "--since", Instant.ofEpochMilli(fromMillis - 5000).toString(), c.id()),
          Duration.ofMinutes(1));
      logs.output().lines().forEach(line -> text.append(c.label()).append(' ').append(line).append('\n'));
    }
    return text.toString();
  }

  @Override
  List<Limits.Service> limits() {
    Path file = (spec != null ? spec : root.resolve("compose")).resolve("docker-compose.yml");
    try {
      return Limits.compose(Files.readString(file), imageJavaOpts());
    } catch (IOException | RuntimeException e) {
      notes.add("cannot read the limits of " + file + ": " + e.getMessage());
      return List.of();
    }
  }

  @Override
  void stop() {
    if (spec == null) {
      return;
    }
    Proc.Result logs = cmd.run(compose("logs", "--no-color", "--tail", "2000"), Duration.ofMinutes(2));
    write("logs/compose-logs.log", logs.output());
    cmd.run(withEnv(compose("down", "-v", "--remove-orphans", "--timeout", "30")), Duration.ofMinutes(5));
  }

  @Override
  String describe() {
    return "Docker Compose project `" + project() + "` from `compose/docker-compose.yml` (images `vertx-shop/*:" + VERSION
        + "`): PostgreSQL and Kafka containers, the replicas the file declares (gateway and catalog ×2), the payment "
        + "provider, and the HAProxy edge published on 127.0.0.1:" + edgePort() + " through docker-proxy. Containers found by "
        + "their Compose labels, their ops ports reached at their addresses on the project's network.";
  }

  private static int parseInt(String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
