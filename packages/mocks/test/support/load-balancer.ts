/**
 * Starts a real load balancer for tests: nginx from PATH (Debian: `nginx-light`), as the current
 * user, in the foreground, on a free loopback port, with a generated config in a temporary
 * directory (pid, error log and temp paths in there too: nothing under /etc, /var or /run).
 * Round robin over the given upstreams, HTTP/1.1 keep-alive to them, Host and every header passed
 * through unchanged, a GET retried on the next replica when one is down, a POST never sent twice,
 * no response buffering (ImageRouter streams heartbeats, rout.my holds its connection open).
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis-server.js';

/** The nginx binary: on PATH, or where Debian puts it (`/usr/sbin` is not on every PATH), if any. */
export const nginxBinary: string | undefined = ['nginx', '/usr/sbin/nginx'].find(
  (candidate) => spawnSync(candidate, ['-v']).status === 0,
);

/** Why load-balanced tests cannot run here, or undefined when nginx is installed. */
export const loadBalancerMissing: string | undefined =
  nginxBinary === undefined
    ? 'nginx is not installed (Debian: apt-get install nginx-light; .ci/run installs it)'
    : undefined;

/** Response header naming the replica (`127.0.0.1:<port>`) that answered, for tests to count. */
export const UPSTREAM_HEADER = 'x-fleet-upstream';

/** A running balancer. */
export interface LoadBalancer {
  /** `http://127.0.0.1:<port>`, the fleet's one origin. */
  readonly url: string;
  readonly port: number;
  /** The nginx.conf it runs (what the README shows). */
  readonly config: string;
  /** nginx's error log so far (for failure messages). */
  readonly log: () => string;
  stop(): Promise<void>;
}

/** Where the balancer keeps its files. */
interface ConfigPaths {
  readonly dir: string;
  readonly port: number;
  readonly upstreams: readonly string[];
}

/**
 * The nginx.conf of a fleet: what the tests run and what the README shows.
 *
 * @example
 * renderNginxConfig({ dir: '/tmp/lb', port: 4600, upstreams: ['127.0.0.1:4601', '127.0.0.1:4602'] });
 */
export function renderNginxConfig({ dir, port, upstreams }: ConfigPaths): string {
  return `# A reelkit fleet behind nginx: round robin over the replicas, which share one Redis.
daemon off;                  # stay in the foreground (the test harness owns the process)
master_process off;          # one process: enough for a test fleet, and easy to stop
pid ${dir}/nginx.pid;
error_log stderr warn;

events { worker_connections 4096; }

http {
  access_log off;
  server_tokens off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;

  upstream reelkit {
    # max_fails=0: a dead replica is skipped request by request (the next one answers), never benched
${upstreams.map((u) => `    server ${u} max_fails=0;`).join('\n')}
    keepalive 64;            # HTTP/1.1 connections kept open to the replicas
  }

  server {
    listen 127.0.0.1:${port};
    client_max_body_size 0;      # each mock enforces its own limits, in its router's envelope
    underscores_in_headers on;   # pass every header through, as sent

    location / {
      proxy_pass http://reelkit;
      proxy_http_version 1.1;
      proxy_set_header Connection "";     # keep-alive upstream
      proxy_set_header Host $http_host;   # URLs in answers name the balancer, as the client sent it
      proxy_buffering off;                # heartbeats and held connections reach the client as sent
      proxy_read_timeout 20m;             # rout.my holds a request up to ~15 min
      proxy_send_timeout 20m;
      # A refused or reset connection moves the request to the next replica. nginx never resends a
      # POST once it reached a replica (that needs "non_idempotent"), so a submit runs at most once.
      proxy_next_upstream error timeout;
      add_header X-Fleet-Upstream $upstream_addr always;   # which replica answered (tests count it)
    }
  }
}
`;
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port`. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** How long nginx may take to listen (real ms; it takes a few). */
const START_TIMEOUT_MS = 10_000;
/** Attempts at a free port: another process may take the one the kernel offered. */
const PORT_ATTEMPTS = 3;

/**
 * Starts nginx balancing over `upstreams` (`127.0.0.1:<port>` each) and resolves once it listens.
 *
 * @example
 * const balancer = await startLoadBalancer(['127.0.0.1:4601', '127.0.0.1:4602']);
 * await fetch(`${balancer.url}/__reelkit/health`);
 * await balancer.stop();
 */
export async function startLoadBalancer(upstreams: readonly string[]): Promise<LoadBalancer> {
  if (nginxBinary === undefined) throw new Error(loadBalancerMissing);
  if (upstreams.length === 0) throw new Error('a load balancer needs at least one upstream');
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    try {
      return await startOnce(nginxBinary, upstreams);
    } catch (error) {
      lastError = error;
      if (!String(error).includes('Address already in use')) break;
    }
  }
  throw lastError;
}

async function startOnce(nginx: string, upstreams: readonly string[]): Promise<LoadBalancer> {
  const dir = await mkdtemp(join(tmpdir(), 'reelkit-nginx-'));
  const port = await freePort();
  const config = renderNginxConfig({ dir, port, upstreams });
  const configFile = join(dir, 'nginx.conf');
  await writeFile(configFile, config);
  // -e: the error log before the config is read (else nginx tries /var/log/nginx as root would).
  const child = spawn(nginx, ['-p', `${dir}/`, '-c', configFile, '-e', 'stderr'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cleanUp = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  const started = Date.now();
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() - started > START_TIMEOUT_MS) {
      await cleanUp();
      throw new Error(`nginx did not start on port ${port}:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { url: `http://127.0.0.1:${port}`, port, config, log: () => log, stop: cleanUp };
}
