package dev.vertxshop.deploy.nomad;

import dev.vertxshop.deploy.Repo;
import dev.vertxshop.deploy.Tools;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HCL files read by HashiCorp's own parser: the npm package {@code @cdktf/hcl2json} (hashicorp/hcl
 * compiled to WebAssembly), run with the machine's node. The package is installed once into
 * {@code deploy-tests/target/hcl2json} with {@code npm install --prefix}; nothing is committed.
 */
public final class Hcl {

  private static final String VERSION = System.getProperty("shop.hcl2json.version", "0.21.0");

  private Hcl() {
  }

  /** Each file as the parser returns it, or {@code {"__error": message}} when it does not parse. */
  public static Map<Path, JsonObject> parse(List<Path> files) {
    Path node = Tools.requireOnCi("node", "SHOP_NODE", "Debian: apt-get install nodejs npm");
    Path dir = install();
    Path script = dir.resolve("hcl2json.js");
    List<String> command = new ArrayList<>(List.of(node.toString(), script.toString()));
    files.forEach(f -> command.add(f.toAbsolutePath().toString()));
    Tools.Result result = Tools.run(dir, Duration.ofSeconds(60), command,
        Map.of("NODE_PATH", dir.resolve("node_modules").toString()));
    if (!result.ok()) {
      throw new AssertionError("hcl2json failed: " + result.both());
    }
    JsonObject all = new JsonObject(result.out());
    Map<Path, JsonObject> parsed = new LinkedHashMap<>();
    for (Path f : files) {
      parsed.put(f, all.getJsonObject(f.toAbsolutePath().toString()));
    }
    return parsed;
  }

  public static JsonObject parse(Path file) {
    return parse(List.of(file)).get(file);
  }

  /** The parser package, installed on first use (a few seconds, from the npm registry). */
  static synchronized Path install() {
    Path dir = Repo.root().resolve("deploy-tests/target/hcl2json");
    Path installed = dir.resolve("node_modules/@cdktf/hcl2json/package.json");
    try {
      Files.createDirectories(dir);
      try (InputStream script = Hcl.class.getResourceAsStream("/hcl2json.js")) {
        Files.write(dir.resolve("hcl2json.js"), script.readAllBytes());
      }
      if (!Files.exists(installed) || !new JsonObject(Files.readString(installed)).getString("version").equals(VERSION)) {
        Path npm = Tools.requireOnCi("npm", "SHOP_NPM", "Debian: apt-get install npm");
        Tools.Result result = Tools.run(dir, Duration.ofMinutes(5), List.of(npm.toString(), "install",
            "--prefix", dir.toString(), "--no-audit", "--no-fund", "--loglevel=error", "@cdktf/hcl2json@" + VERSION));
        if (!result.ok() || !Files.exists(installed)) {
          throw new AssertionError("npm install @cdktf/hcl2json@" + VERSION + " failed: " + result.both());
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
