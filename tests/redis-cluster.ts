// A throwaway Redis Cluster for a test: masters and replicas as redis-server processes on free
// loopback ports in a temp folder (no persistence), joined with `redis-cli --cluster create`.
// Only the processes started here are ever signalled; `stop` ends them and removes the folder.
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { freePort } from "../scripts/lib/free-port.ts";
import { until } from "./until.ts";

const run = promisify(execFile);

export type ClusterNode = { port: number; busPort: number; child: ChildProcess; address: string };

export type TestCluster = {
  nodes: ClusterNode[];
  /** REDIS_CLUSTER_NODES for these servers. */
  seeds: string;
  /** The node that serves `key`'s slot now, as the live nodes see it. */
  masterOf(key: string): Promise<ClusterNode>;
  /** SIGKILL one node (a crash: no shutdown, no handover). */
  crash(node: ClusterNode): Promise<void>;
  /** Waits until every live node reports cluster_state:ok and `key`'s slot is served by another node than `old`. */
  untilFailedOver(key: string, old: ClusterNode, timeoutMs: number): Promise<ClusterNode>;
  /** Starts a crashed node again on its ports and cluster config: it rejoins (as a replica if its slots moved). */
  restart(node: ClusterNode): Promise<void>;
  /** A replica of `master` that is online and in sync, once there is one. */
  replicaOf(master: ClusterNode): Promise<ClusterNode>;
  /** SIGSTOP / SIGCONT: a node that stops answering without its connections closing. */
  pause(node: ClusterNode): void;
  resume(node: ClusterNode): void;
  stop(): Promise<void>;
};

/** Ports for the cluster, known before it starts (so REDIS_CLUSTER_NODES can be set before imports). */
export async function clusterPorts(count: number): Promise<{ port: number; busPort: number }[]> {
  const out: { port: number; busPort: number }[] = [];
  const taken = new Set<number>();
  while (out.length < count) {
    const [port, busPort] = [await freePort(), await freePort()];
    if (port === busPort || taken.has(port) || taken.has(busPort)) continue;
    taken.add(port).add(busPort);
    out.push({ port, busPort });
  }
  return out;
}

const connect = (port: number) =>
  new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });

async function ask<T>(port: number, f: (r: Redis) => Promise<T>): Promise<T | undefined> {
  const r = connect(port);
  r.on("error", () => {});
  try {
    await r.connect();
    return await f(r);
  } catch {
    return undefined;
  } finally {
    r.disconnect();
  }
}

/**
 * Starts `masters` masters with `replicas` replicas each on the given ports (masters × (1 + replicas)
 * of them). `nodeTimeoutMs` is cluster-node-timeout: how long a silent master is waited for before
 * its replica takes over.
 */
export async function startCluster(
  ports: { port: number; busPort: number }[],
  opts: { replicas: number; nodeTimeoutMs: number },
): Promise<TestCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), "veil-cluster-"));
  const spawnNode = (port: number, busPort: number) => {
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--cluster-enabled",
        "yes",
        "--cluster-port",
        String(busPort),
        "--cluster-config-file",
        path.join(dir, `nodes-${port}.conf`),
        "--cluster-node-timeout",
        String(opts.nodeTimeoutMs),
        // A replica may take over however long it was cut off (the test's crash is sudden).
        "--cluster-replica-validity-factor",
        "0",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        dir,
      ],
      { stdio: "ignore" },
    );
    child.on("error", () => {});
    return child;
  };
  const nodes: ClusterNode[] = ports.map(({ port, busPort }) => ({
    port,
    busPort,
    child: spawnNode(port, busPort),
    address: `127.0.0.1:${port}`,
  }));
  // Should the test process end without its teardown (a hook timeout, a crash), the servers go with it.
  const killAll = () => nodes.forEach((n) => n.child.kill("SIGKILL"));
  process.once("exit", killAll);
  const live = () => nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
  const stop = async () => {
    for (const n of live()) n.child.kill("SIGCONT");
    await Promise.all(
      live().map(
        (n) =>
          new Promise<void>((resolve) => {
            n.child.once("exit", () => resolve());
            n.child.kill("SIGKILL");
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
    process.off("exit", killAll);
  };
  try {
    for (const n of nodes) await until(`redis-server on ${n.port}`, () => ask(n.port, (r) => r.ping()), 15_000, 100);
    await run(
      "redis-cli",
      [
        "--cluster",
        "create",
        ...nodes.map((n) => n.address),
        "--cluster-replicas",
        String(opts.replicas),
        "--cluster-yes",
      ],
      { timeout: 60_000 },
    );
    await until(
      "every node to report cluster_state:ok",
      async () =>
        (await Promise.all(nodes.map((n) => ask(n.port, (r) => r.cluster("INFO"))))).every((i) =>
          String(i).includes("cluster_state:ok"),
        ),
      60_000,
      200,
    );
    await until(
      "every replica to be in sync with its master",
      async () =>
        (await Promise.all(nodes.map((n) => ask(n.port, (r) => r.info("replication"))))).every(
          (i) => !!i && (i.includes("role:master") || i.includes("master_link_status:up")),
        ),
      60_000,
      200,
    );
  } catch (e) {
    await stop();
    throw e;
  }

  const masterOf = async (key: string): Promise<ClusterNode> => {
    const asker = live()[0]!;
    const slot = (await ask(asker.port, (r) => r.cluster("KEYSLOT", key))) as number;
    const table = (await ask(asker.port, (r) => r.cluster("SLOTS"))) ?? [];
    const range = table.find(([from, to]) => slot >= from && slot <= to);
    const port = range?.[2]?.[1];
    const node = nodes.find((n) => n.port === port);
    if (!node) throw new Error(`no node serves slot ${slot} as ${asker.address} sees it`);
    return node;
  };

  return {
    nodes,
    seeds: nodes.map((n) => n.address).join(","),
    masterOf,
    async crash(node) {
      await new Promise<void>((resolve) => {
        node.child.once("exit", () => resolve());
        node.child.kill("SIGKILL");
      });
    },
    async untilFailedOver(key, old, timeoutMs) {
      return until(
        `another node to serve ${key}'s slot after ${old.address} went down`,
        async () => {
          const infos = await Promise.all(live().map((n) => ask(n.port, (r) => r.cluster("INFO"))));
          if (!infos.every((i) => String(i).includes("cluster_state:ok"))) return undefined;
          const now = await masterOf(key).catch(() => undefined);
          return now && now !== old ? now : undefined;
        },
        timeoutMs,
        100,
      );
    },
    async restart(node) {
      node.child = spawnNode(node.port, node.busPort);
      await until(`redis-server on ${node.port} to come back`, () => ask(node.port, (r) => r.ping()), 15_000, 100);
    },
    async replicaOf(master) {
      return until(
        `a replica of ${master.address} in sync`,
        async () => {
          const info = (await ask(master.port, (r) => r.info("replication"))) ?? "";
          const port = Number(/slave\d+:ip=[^,]+,port=(\d+),state=online/.exec(info)?.[1]);
          return nodes.find((n) => n.port === port);
        },
        60_000,
        200,
      );
    },
    pause: (node) => void node.child.kill("SIGSTOP"),
    resume: (node) => void node.child.kill("SIGCONT"),
    stop,
  };
}
