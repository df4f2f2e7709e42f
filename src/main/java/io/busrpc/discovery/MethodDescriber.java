package io.busrpc.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busrpc.handler.Caller;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.TreeSet;

/**
 * Describes one handler method as an OpenRPC 1.3 method object: its params with their names and
 * JSON Schemas (the {@link Caller} parameter left out), its result ({@code Future<T>} as {@code T},
 * {@code void} as {@code null}), {@code paramStructure}, and {@code x-roles}.
 *
 * <p>Params are always required (the binder needs every one). A varargs parameter is described as
 * the array it is when params come by name, with {@code "x-varargs": true}, and the method's
 * {@code paramStructure} is {@code by-name}: by position it takes the remaining params one by one,
 * which OpenRPC cannot express. Every other method takes {@code either}.
 */
public final class MethodDescriber {

  private static final Logger log = LoggerFactory.getLogger(MethodDescriber.class);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private MethodDescriber() {
  }

  /**
   * @param name        the JSON-RPC method name
   * @param method      the Java method that serves it
   * @param roles       roles of which a caller needs one; empty for none
   * @param summary     one line, or empty
   * @param description what it does, or empty
   * @return {@code {"method": <OpenRPC method object>, "schemas": <definitions it refers to>}};
   *     a type the generator cannot describe gets the schema {@code {}} (any value) and a warning
   */
  public static ObjectNode describe(String name, Method method, Collection<String> roles, String summary, String description) {
    try {
      return build(name, method, roles, summary, description, true);
    } catch (RuntimeException e) {
      log.warn("No JSON Schemas for {} ({}): {}", name, method, e.toString());
      return build(name, method, roles, summary, description, false);
    }
  }

  private static ObjectNode build(String name, Method method, Collection<String> roles, String summary, String description,
                                  boolean withSchemas) {
    JavaSchemas.Batch schemas = withSchemas ? JavaSchemas.batch() : null;
    ObjectNode object = JSON.objectNode().put("name", name);
    if (!summary.isEmpty()) {
      object.put("summary", summary);
    }
    if (!description.isEmpty()) {
      object.put("description", description);
    }
    ArrayNode params = object.putArray("params");
    Parameter[] parameters = method.getParameters();
    boolean varargs = false;
    for (int i = 0; i < parameters.length; i++) {
      Parameter parameter = parameters[i];
      if (parameter.getType() == Caller.class) {
        continue;
      }
      ObjectNode param = params.addObject().put("name", parameter.getName()).put("required", true);
      param.set("schema", schemas == null ? JSON.objectNode() : schemas.schema(parameter.getParameterizedType()));
      if (method.isVarArgs() && i == parameters.length - 1) {
        varargs = true;
        param.put("x-varargs", true);
      }
    }
    ObjectNode result = object.putObject("result").put("name", "result");
    Type returned = resultType(method);
    result.set("schema", returned == null ? JSON.objectNode().put("type", "null")
      : schemas == null ? JSON.objectNode() : schemas.schema(returned));
    object.put("paramStructure", varargs ? "by-name" : "either");
    if (!roles.isEmpty()) {
      ArrayNode xRoles = object.putArray("x-roles");
      new TreeSet<>(roles).forEach(xRoles::add);
    }
    ObjectNode described = JSON.objectNode();
    described.set("method", object);
    described.set("schemas", schemas == null ? JSON.objectNode() : schemas.definitions());
    return described;
  }

  /** @return what the method answers with: {@code T} of a {@code Future<T>}, or {@code null} for none */
  private static Type resultType(Method method) {
    Type type = method.getGenericReturnType();
    if (Future.class.isAssignableFrom(method.getReturnType())) {
      type = type instanceof ParameterizedType future ? future.getActualTypeArguments()[0] : Object.class;
    }
    if (type == void.class || type == Void.class) {
      return null;
    }
    // Future<?> or a type variable: nothing more is known than "some JSON value".
    return type instanceof Class<?> || type instanceof ParameterizedType || type instanceof GenericArrayType ? type : Object.class;
  }
}
