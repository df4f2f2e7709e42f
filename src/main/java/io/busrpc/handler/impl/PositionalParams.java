package io.busrpc.handler.impl;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;

import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds a params array to a method's parameters straight from Jackson's streaming parser, each
 * element read by its parameter's reader: no tree of the params is built and converted again
 * (reading the tree and binding from it was about a fifth of a handler's work in profiles).
 * Named params (an object) keep binding from the tree, in {@link MethodInvoker}.
 */
final class PositionalParams {

  private final String method;
  private final String[] names;
  private final JavaType[] types;
  private final ObjectReader[] readers;
  private final boolean varargs;
  private final int fixed;
  private final ObjectReader restReader;
  private final Class<?> restType;

  /**
   * @param method  the JSON-RPC method name, for error messages
   * @param names   the names of the bindable parameters, in order
   * @param types   their types; with {@code varargs} the last is an array type
   * @param varargs true when the last parameter takes the remaining params
   */
  PositionalParams(ObjectMapper mapper, String method, String[] names, JavaType[] types, boolean varargs) {
    this.method = method;
    this.names = names;
    this.types = types;
    this.varargs = varargs;
    this.fixed = varargs ? types.length - 1 : types.length;
    this.readers = new ObjectReader[fixed];
    for (int i = 0; i < fixed; i++) {
      readers[i] = mapper.readerFor(types[i]);
    }
    JavaType rest = varargs ? types[fixed].getContentType() : null;
    this.restReader = rest == null ? null : mapper.readerFor(rest);
    this.restType = rest == null ? null : rest.getRawClass();
  }

  /**
   * Binds the array the parser is at (its current token is {@code START_ARRAY}).
   *
   * @return the arguments, one per bindable parameter
   * @throws RpcException -32602 naming the parameter whose value does not fit, or saying how many
   *                      params were expected; -32602 when the params are not valid JSON
   */
  Object[] bind(JsonParser parser) {
    Object[] args = new Object[types.length];
    List<Object> rest = varargs ? new ArrayList<>() : null;
    int count = 0;
    try {
      for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
        if (token == null) {
          throw new RpcException(ErrorCode.INVALID_PARAMS, "params are not valid JSON");
        }
        if (count < fixed) {
          args[count] = read(readers[count], parser, count);
        } else if (varargs) {
          rest.add(read(restReader, parser, fixed));
        } else {
          parser.skipChildren(); // counted for the error below
        }
        count++;
      }
    } catch (JsonParseException e) {
      throw new RpcException(ErrorCode.INVALID_PARAMS, "params are not valid JSON");
    } catch (IOException e) {
      throw new RpcException(ErrorCode.INVALID_PARAMS, "params could not be read");
    }
    if (count < fixed || (!varargs && count > fixed)) {
      throw wrongCount(count);
    }
    if (varargs) {
      args[fixed] = toArray(rest);
    }
    return args;
  }

  /** @return the arguments of a call without params */
  Object[] none() {
    if (fixed > 0) {
      throw wrongCount(0);
    }
    Object[] args = new Object[types.length];
    if (varargs) {
      args[fixed] = Array.newInstance(restType, 0);
    }
    return args;
  }

  private RpcException wrongCount(int count) {
    return new RpcException(ErrorCode.INVALID_PARAMS, method + " expects " + (varargs ? "at least " : "")
      + fixed + " param" + (fixed == 1 ? "" : "s") + ", got " + count);
  }

  private Object read(ObjectReader reader, JsonParser parser, int index) throws IOException {
    try {
      return reader.readValue(parser);
    } catch (JsonParseException e) {
      throw e;
    } catch (IOException | IllegalArgumentException e) {
      throw MethodInvoker.invalidValue(names[index], types[index]);
    }
  }

  private Object toArray(List<Object> values) {
    Object array = Array.newInstance(restType, values.size());
    for (int i = 0; i < values.size(); i++) {
      Object value = values.get(i);
      if (value == null && restType.isPrimitive()) {
        throw MethodInvoker.invalidValue(names[fixed], types[fixed]);
      }
      Array.set(array, i, value);
    }
    return array;
  }
}
