package io.busrpc.handler;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method of an {@link RpcVerticle} as callable by clients, like the {@code route}
 * decorator of busrpc's original design. Its name, roles, description and summary, with JSON Schemas
 * of its params and result, are published to the cluster for {@code rpc.discover}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RpcMethod {

  /** @return the JSON-RPC method name; empty (the default) means the Java method's name */
  String value() default "";

  /**
   * @return roles of which a caller needs at least one; empty (the default) lets any caller in.
   *     A caller without one gets the forbidden error (-32002).
   */
  String[] roles() default {};

  /**
   * @return what the method does, for people reading the {@code rpc.discover} document (OpenRPC
   *     {@code description}, Markdown allowed); empty (the default) leaves it out
   */
  String description() default "";

  /** @return a one-line summary for the {@code rpc.discover} document; empty (the default) leaves it out */
  String summary() default "";
}
