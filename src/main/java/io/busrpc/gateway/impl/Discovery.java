package io.busrpc.gateway.impl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busrpc.discovery.DiscoveryDocument;
import io.busrpc.discovery.MethodCatalog;
import io.busrpc.handler.Caller;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Answers {@code rpc.discover}: the OpenRPC document of the methods, served anywhere in the cluster,
 * that this caller may call now. Before login only the {@code publicMethods}; a method is left out
 * when the caller lacks a role that its {@code @RpcMethod} or the gateway's {@code methodRoles}
 * asks for.
 */
final class Discovery {

  private final GatewayServices services;
  private final MethodCatalog catalog;

  Discovery(GatewayServices services) {
    this.services = services;
    this.catalog = new MethodCatalog(services.vertx, services.options.getAddressPrefix());
  }

  /** @return the document as JSON text; fails only when the cluster-wide catalog cannot be read */
  Future<Buffer> document(Caller caller) {
    return catalog.methods().map(methods -> {
      List<MethodCatalog.Entry> visible = new ArrayList<>();
      for (MethodCatalog.Entry method : methods) {
        List<List<String>> requirements = requirements(method);
        if ((caller.loggedIn() || services.isPublic(method.name())) && satisfies(caller.roles(), requirements)) {
          visible.add(withRoles(method, requirements));
        }
      }
      return DiscoveryDocument.build(visible);
    });
  }

  /** @return each set of roles of which the caller needs one: the handler's, then the gateway's */
  private List<List<String>> requirements(MethodCatalog.Entry method) {
    List<List<String>> requirements = new ArrayList<>();
    if (!method.roles().isEmpty()) {
      requirements.add(method.roles());
    }
    requirements.addAll(services.requiredRoles(method.name()));
    return requirements;
  }

  private static boolean satisfies(Set<String> roles, List<List<String>> requirements) {
    return requirements.stream().allMatch(required -> required.stream().anyMatch(roles::contains));
  }

  /**
   * The method with {@code x-roles} set to the roles any one of which satisfies every requirement:
   * the handler's alone as it published them; with the gateway's too, the roles common to all.
   */
  private static MethodCatalog.Entry withRoles(MethodCatalog.Entry method, List<List<String>> requirements) {
    if (requirements.size() <= 1 && (requirements.isEmpty() || requirements.get(0).equals(method.roles()))) {
      return method;
    }
    Set<String> common = new LinkedHashSet<>(requirements.get(0));
    requirements.forEach(common::retainAll);
    ObjectNode object = method.method().deepCopy();
    ArrayNode roles = object.putArray("x-roles");
    common.stream().sorted().forEach(roles::add);
    return new MethodCatalog.Entry(object, method.schemas(), List.copyOf(common));
  }
}
