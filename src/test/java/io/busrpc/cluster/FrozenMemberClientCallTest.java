package io.busrpc.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.busrpc.bus.Addresses;
import io.busrpc.client.BusRpcClient;
import io.busrpc.client.ClientOptions;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.busrpc.testing.ClusterNodes;
import io.busrpc.testing.NodeProcess;
import io.busrpc.testing.Poll;
import io.busrpc.testing.TestNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.busrpc.testing.Rpc.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server→client calls made from event loops whose reply address is not yet known across the cluster,
 * while a member is frozen (SIGSTOP): writing that address into the cluster's subscription map waits
 * for its backup on the frozen member, until the cluster declares the member dead (4 s without
 * heartbeats here). Each call still ends within its own timeout instead of waiting for
 * the cluster: a caller gets its answer or -32000 in time, never a stall.
 */
class FrozenMemberClientCallTest {

  private static final int LOOPS = 16;
  private static final long CALL_TIMEOUT = 1_000;

  @Test
  void callsEndWithinTheirTimeoutWhileTheReplyAddressWaitsForAFrozenMember(@TempDir Path dir) throws Exception {
    try (ClusterNodes cluster = new ClusterNodes()) {
      Vertx a = cluster.start();
      int port = TestNode.start(a, TestNode.demoOptions());
      CompletableFuture<Long> frozenLeft = new CompletableFuture<>();
      try (NodeProcess c = NodeProcess.start(cluster, TestNode.demoOptions(), dir, "node C")) {
        BusRpcClient client = BusRpcClient.create(a, new ClientOptions().setPort(port));
        client.register("echo", params -> params);
        await(client.connect().compose(v -> client.login(new JsonObject().put("uid", "player"))));
        Clients clients = Clients.create(a, Addresses.DEFAULT, CALL_TIMEOUT);
        HazelcastInstance hazelcast = ((HazelcastClusterManager) ((VertxInternal) a).clusterManager()).getHazelcastInstance();
        // C holds the backups of A's partitions only once the partitions have settled.
        assertTrue(Poll.until(a, 30_000, () -> hazelcast.getPartitionService().isClusterSafe()), "the cluster settled");
        hazelcast.getCluster()
          .addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
              frozenLeft.complete(System.nanoTime());
            }
          });

        c.freeze();
        // Each call from an event loop of its own: a reply address of its own, registered now.
        List<Promise<Long>> ended = new ArrayList<>();
        List<Future<Object>> calls = new ArrayList<>();
        List<Context> loops = new ArrayList<>();
        for (int loop = 0; loop < LOOPS; loop++) {
          Promise<Long> end = Promise.promise();
          Promise<Future<Object>> made = Promise.promise();
          int n = loop;
          loops.add(((VertxInternal) a).createEventLoopContext());
          loops.get(n).runOnContext(v -> {
            Future<Object> call = echo(clients, n);
            call.onComplete(ar -> end.complete(System.nanoTime()));
            made.complete(call);
          });
          calls.add(made.future().await());
          ended.add(end);
        }
        long left = frozenLeft.get(60, TimeUnit.SECONDS);
        int timedOut = 0;
        for (int n = 0; n < LOOPS; n++) {
          long end = ended.get(n).future().await(30, TimeUnit.SECONDS);
          Future<Object> call = calls.get(n);
          assertTrue(end < left, "call " + n + " ended only after the cluster gave the frozen member up: " + call);
          if (call.failed()) {
            assertEquals(ErrorCode.TIMEOUT.code(), ((RpcException) call.cause()).code(), call.cause().toString());
            timedOut++;
          } else {
            assertEquals(Map.of("n", n), call.result());
          }
        }
        System.out.printf("FIGURE %d of %d calls to a client timed out while their reply address waited for a frozen member%n",
          timedOut, LOOPS);
        assertTrue(timedOut > 0, "no reply address waited for the frozen member: the test checked nothing");
        // The frozen member is gone from the cluster now: every loop's calls go through again, once the
        // registrations that waited for it have been retried on the partitions' new owners.
        Clients patient = Clients.create(a, Addresses.DEFAULT, 30_000);
        for (int n = 0; n < LOOPS; n++) {
          int k = n;
          Promise<Object> again = Promise.promise();
          loops.get(n).runOnContext(v -> echo(patient, k).onComplete(again));
          assertEquals(Map.of("n", k), again.future().await(40, TimeUnit.SECONDS));
        }
        client.close().await();
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Future<Object> echo(Clients clients, int n) {
    return (Future) clients.call("player", "echo", Map.of("n", n), Map.class);
  }
}
