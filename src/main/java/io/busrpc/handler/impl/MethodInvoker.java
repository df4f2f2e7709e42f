package io.busrpc.handler.impl;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busrpc.handler.Caller;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonMapper;
import io.busrpc.protocol.RpcException;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Calls one {@code @RpcMethod}: binds JSON params to the Java parameters with Jackson (positional
 * in order, named by parameter name), invokes the method and encodes its result as JSON.
 */
public final class MethodInvoker {

  private static final Logger log = LoggerFactory.getLogger(MethodInvoker.class);
  private static final ObjectMapper MAPPER = JsonMapper.mapper();

  private final String name;
  private final Object target;
  private final Method method;
  private final String[] names;
  private final JavaType[] types;
  private final int callerIndex;
  private final boolean varargs;
  private final PositionalParams positional;
  private final boolean async;
  private final Set<String> roles;

  /**
   * @param name   the JSON-RPC method name
   * @param target the object to invoke on
   * @param method a public method of the target
   * @param roles  roles of which a caller needs one; empty for none
   */
  public MethodInvoker(String name, Object target, Method method, Set<String> roles) {
    this.name = name;
    this.roles = Set.copyOf(roles);
    this.target = target;
    this.method = method;
    Parameter[] parameters = method.getParameters();
    int caller = -1;
    int bindable = 0;
    for (int i = 0; i < parameters.length; i++) {
      if (parameters[i].getType() == Caller.class) {
        caller = i;
      } else {
        bindable++;
      }
    }
    this.callerIndex = caller;
    this.names = new String[bindable];
    this.types = new JavaType[bindable];
    int j = 0;
    for (int i = 0; i < parameters.length; i++) {
      if (i != caller) {
        names[j] = parameters[i].getName();
        types[j] = MAPPER.getTypeFactory().constructType(parameters[i].getParameterizedType());
        j++;
      }
    }
    this.varargs = method.isVarArgs() && caller != parameters.length - 1;
    this.positional = new PositionalParams(MAPPER, name, names, types, varargs);
    this.async = Future.class.isAssignableFrom(method.getReturnType());
    method.setAccessible(true);
  }

  /** @return the JSON-RPC method name */
  public String name() {
    return name;
  }

  /**
   * Invokes the method.
   *
   * @param params the params as JSON text (array or object), or {@code null} when the call had none
   * @param caller who called
   * @return the result as JSON text; fails with an {@link RpcException}: -32602 when the params do
   *     not fit, the handler's own {@code RpcException}, or -32603 for any other exception
   */
  public Future<Buffer> invoke(Buffer params, Caller caller) {
    if (!roles.isEmpty() && (caller == null || caller.roles().stream().noneMatch(roles::contains))) {
      return Future.failedFuture(new RpcException(ErrorCode.FORBIDDEN, name + " needs one of the roles " + roles));
    }
    Object[] args;
    try {
      args = withCaller(bind(params), caller);
    } catch (RpcException e) {
      return Future.failedFuture(e);
    }
    try {
      Object result = method.invoke(target, args);
      if (async) {
        Future<?> future = (Future<?>) result;
        if (future == null) {
          return Future.succeededFuture(encode(null));
        }
        return future.transform(ar -> ar.succeeded() ? Future.succeededFuture(encode(ar.result()))
          : Future.failedFuture(handlerFailure(ar.cause())));
      }
      return Future.succeededFuture(encode(result));
    } catch (InvocationTargetException e) {
      return Future.failedFuture(handlerFailure(e.getCause()));
    } catch (IllegalAccessException | RuntimeException e) {
      return Future.failedFuture(handlerFailure(e));
    }
  }

  /** Positional params bind from the parser as they are read; named ones from their tree. */
  private Object[] bind(Buffer params) {
    if (params == null) {
      return positional.none();
    }
    var buf = ((BufferInternal) params).getByteBuf();
    byte[] bytes;
    int offset;
    if (buf.hasArray()) {
      bytes = buf.array();
      offset = buf.arrayOffset() + buf.readerIndex();
    } else {
      bytes = params.getBytes();
      offset = 0;
    }
    try (JsonParser parser = MAPPER.getFactory().createParser(bytes, offset, params.length())) {
      JsonToken first = parser.nextToken();
      if (first == JsonToken.START_ARRAY) {
        return positional.bind(parser);
      }
      if (first == JsonToken.START_OBJECT) {
        return bindNamed(MAPPER.readTree(parser));
      }
      throw new RpcException(ErrorCode.INVALID_PARAMS, "params must be an array or an object");
    } catch (IOException e) {
      throw new RpcException(ErrorCode.INVALID_PARAMS, "params are not valid JSON");
    }
  }

  private Object[] withCaller(Object[] bound, Caller caller) {
    if (callerIndex < 0) {
      return bound;
    }
    Object[] args = new Object[bound.length + 1];
    for (int i = 0, j = 0; i < args.length; i++) {
      args[i] = i == callerIndex ? caller : bound[j++];
    }
    return args;
  }

  private Object[] bindNamed(JsonNode tree) {
    if (!(tree instanceof ObjectNode params)) {
      throw new RpcException(ErrorCode.INVALID_PARAMS, "params are not valid JSON");
    }
    // One parameter that the object does not name: the whole object is that parameter (a POJO or map).
    if (types.length == 1 && !params.has(names[0]) && !types[0].isPrimitive()) {
      return new Object[]{convert(params, 0)};
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
      String key = it.next().getKey();
      if (indexOf(key) < 0) {
        throw new RpcException(ErrorCode.INVALID_PARAMS, name + " has no param named '" + key + "'");
      }
    }
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      JsonNode value = params.get(names[i]);
      if (value == null) {
        throw new RpcException(ErrorCode.INVALID_PARAMS, "missing param '" + names[i] + "'");
      }
      args[i] = convert(value, i);
    }
    return args;
  }

  private int indexOf(String key) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  private Object convert(JsonNode value, int index) {
    try {
      return MAPPER.treeToValue(value, types[index]);
    } catch (IOException | IllegalArgumentException e) {
      throw invalidValue(names[index], types[index]);
    }
  }

  /** @return the -32602 of a value that does not fit the parameter */
  static RpcException invalidValue(String param, JavaType type) {
    return new RpcException(ErrorCode.INVALID_PARAMS, "invalid value for param '" + param + "': expected "
      + describe(type.getRawClass()));
  }

  private static String describe(Type type) {
    return type instanceof Class<?> c ? (c.isArray() ? c.getComponentType().getSimpleName() + "[]" : c.getSimpleName())
      : type.getTypeName();
  }

  private static Buffer encode(Object result) {
    Buffer scalar = ScalarJson.write(result);
    if (scalar != null) {
      return scalar;
    }
    try {
      // Wrapped, not copied again.
      return BufferInternal.buffer(Unpooled.wrappedBuffer(MAPPER.writeValueAsBytes(result)));
    } catch (IOException e) {
      throw new RpcException(ErrorCode.INTERNAL_ERROR, "result could not be encoded as JSON");
    }
  }

  private RpcException handlerFailure(Throwable cause) {
    if (cause instanceof RpcException rpc) {
      // A subclass would cross the cluster with Vert.x's plain codec and lose its data.
      return rpc.getClass() == RpcException.class ? rpc : new RpcException(rpc.code(), rpc.getMessage(), rpc.data());
    }
    log.warn("Handler of '{}' failed", name, cause);
    return new RpcException(ErrorCode.INTERNAL_ERROR);
  }
}
