package dev.vertxshop.gateway.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.file.FileSystem;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.contract.SecurityRequirement;
import io.vertx.openapi.contract.SecurityScheme;
import io.vertx.openapi.contract.Server;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI contract, with one JSON-schema validator per schema of the document made once and reused.
 *
 * <p>vertx-openapi's request validator asks the contract's schema repository for a new validator for
 * every parameter of every request, and making one copies the repository's whole lookup table: profiled
 * on {@code GET /api/products/{id}}, that was over a third of the gateway's CPU. A validator holds no
 * per-validation state (every field is final; a validation's state lives in its arguments), so one per
 * schema serves every request on every event loop. The schemas are those of the document, fixed at start.
 */
public final class ReusedValidators implements OpenAPIContract {

  private final OpenAPIContract contract;
  private final Repository repository;

  public ReusedValidators(OpenAPIContract contract) {
    this.contract = contract;
    this.repository = new Repository(contract.getSchemaRepository());
  }

  /** Validators made so far (one per schema used). */
  public int validators() {
    return repository.validators.size();
  }

  @Override
  public Operation operation(String operationId) {
    return contract.operation(operationId);
  }

  @Override
  public List<Operation> operations() {
    return contract.operations();
  }

  @Override
  public List<Path> getPaths() {
    return contract.getPaths();
  }

  @Override
  public JsonObject getRawContract() {
    return contract.getRawContract();
  }

  @Override
  public OpenAPIVersion getVersion() {
    return contract.getVersion();
  }

  @Override
  public SchemaRepository getSchemaRepository() {
    return repository;
  }

  @Override
  public List<Server> getServers() {
    return contract.getServers();
  }

  @Override
  public Path findPath(String urlPath) {
    return contract.findPath(urlPath);
  }

  @Override
  public Operation findOperation(String urlPath, HttpMethod method) {
    return contract.findOperation(urlPath, method);
  }

  @Override
  public List<SecurityRequirement> getSecurityRequirements() {
    return contract.getSecurityRequirements();
  }

  @Override
  public SecurityScheme securityScheme(String name) {
    return contract.securityScheme(name);
  }

  /** Schemas compared by identity: hashing a schema's content on every request would cost what we save. */
  private record Identity(JsonSchema schema) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Identity that && that.schema == schema;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(schema);
    }
  }

  private static final class Repository implements SchemaRepository {

    private final SchemaRepository repository;
    private final Map<Identity, Validator> validators = new ConcurrentHashMap<>();

    Repository(SchemaRepository repository) {
      this.repository = repository;
    }

    @Override
    public Validator validator(JsonSchema schema) {
      return validators.computeIfAbsent(new Identity(schema), key -> repository.validator(key.schema()));
    }

    @Override
    public SchemaRepository dereference(JsonSchema schema) throws SchemaException {
      return repository.dereference(schema);
    }

    @Override
    public SchemaRepository dereference(String uri, JsonSchema schema) throws SchemaException {
      return repository.dereference(uri, schema);
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fs) {
      return repository.preloadMetaSchema(fs);
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fs, Draft draft) {
      return repository.preloadMetaSchema(fs, draft);
    }

    @Override
    public Validator validator(String ref) {
      return repository.validator(ref);
    }

    @Override
    public Validator validator(String ref, JsonSchemaOptions options) {
      return repository.validator(ref, options);
    }

    @Override
    public Validator validator(JsonSchema schema, JsonSchemaOptions options, boolean dereference) {
      return repository.validator(schema, options, dereference);
    }

    @Override
    public JsonObject resolve(JsonObject schema) {
      return repository.resolve(schema);
    }

    @Override
    public JsonSchema find(String pointer) {
      return repository.find(pointer);
    }
  }
}
