import { lookup } from "node:dns/promises";
import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import { isIP, connect as netConnect, type Socket } from "node:net";

/** Resolves a host name to the IP address to connect to. */
export type ProxyResolver = (hostname: string) => Promise<string>;

export interface FilteringProxyOptions {
  /** Unix socket the proxy listens on (bound into the sandbox). */
  socketPath: string;
  /** "example.com" allows that host only; "*.example.com" allows its subdomains (not example.com itself). */
  allowDomains: readonly string[];
  /** Default: the system resolver (dns.lookup). */
  resolve?: ProxyResolver;
  /** Connect even when an allowed name resolves to a loopback address (tests); default false. */
  allowLoopback?: boolean;
  /** Called for every refused request (host, reason). */
  onDenied?: (host: string, reason: string) => void;
}

export interface FilteringProxy {
  close(): Promise<void>;
}

/** Whether host is on the allowlist; IP literals never are. */
export function isAllowedHost(host: string, allowDomains: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  if (!name || isIP(name.replace(/^\[|\]$/g, ""))) return false;
  return allowDomains.some((raw) => {
    const domain = raw.toLowerCase().replace(/\.$/, "");
    if (domain.startsWith("*.")) return name.endsWith(domain.slice(1)) && name.length > domain.length - 1;
    return name === domain;
  });
}

const isLoopback = (address: string) =>
  address.startsWith("127.") ||
  address === "::1" ||
  address.startsWith("::ffff:127.") ||
  address === "0.0.0.0";

/** Splits "host:port" (with [v6] brackets) from a CONNECT target. */
function splitTarget(target: string, defaultPort: number): { host: string; port: number } | undefined {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(target);
  if (!match) return undefined;
  const port = match[2] ? Number(match[2]) : defaultPort;
  if (!(port > 0 && port < 65536)) return undefined;
  return { host: (match[1] as string).replace(/^\[|\]$/g, ""), port };
}

/**
 * An HTTP proxy on a Unix socket that lets through only allowlisted domains: CONNECT for HTTPS (and any
 * TCP protocol tunnelled that way) and absolute-URL requests for plain HTTP. Everything else gets 403.
 * The sandbox has no other network: its own network namespace holds only loopback.
 */
export async function startFilteringProxy(options: FilteringProxyOptions): Promise<FilteringProxy> {
  const resolve = options.resolve ?? (async (host: string) => (await lookup(host)).address);
  const sockets = new Set<Socket>();

  const check = async (host: string): Promise<{ address: string } | { denied: string }> => {
    if (!isAllowedHost(host, options.allowDomains)) {
      return { denied: `${host} is not on the sandbox's network allowlist` };
    }
    let address: string;
    try {
      address = await resolve(host);
    } catch (error) {
      return { denied: `cannot resolve ${host}: ${(error as Error).message}` };
    }
    if (!options.allowLoopback && isLoopback(address)) {
      return { denied: `${host} resolves to a loopback address (${address})` };
    }
    return { address };
  };
  const deny = (host: string, reason: string) => {
    options.onDenied?.(host, reason);
    return reason;
  };

  const server = createServer(async (req: IncomingMessage, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? "");
    } catch {
      res.writeHead(400, { "content-type": "text/plain" }).end("The sandbox proxy needs an absolute URL.\n");
      return;
    }
    if (url.protocol !== "http:") {
      res.writeHead(400, { "content-type": "text/plain" }).end("Use CONNECT for HTTPS.\n");
      return;
    }
    const verdict = await check(url.hostname);
    if ("denied" in verdict) {
      res.writeHead(403, { "content-type": "text/plain" }).end(`${deny(url.hostname, verdict.denied)}\n`);
      return;
    }
    const headers = { ...req.headers };
    delete headers["proxy-connection"];
    delete headers["proxy-authorization"];
    const upstream = httpRequest(
      {
        host: verdict.address,
        port: url.port ? Number(url.port) : 80,
        method: req.method,
        path: `${url.pathname}${url.search}`,
        headers: { ...headers, host: url.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.once("error", (error) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`Upstream error: ${error.message}\n`);
    });
    req.pipe(upstream);
  });

  server.on("connect", async (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.once("close", () => sockets.delete(client));
    client.once("error", () => client.destroy());
    const target = splitTarget(req.url ?? "", 443);
    if (!target) {
      client.end("HTTP/1.1 400 Bad Request\r\n\r\n");
      return;
    }
    const verdict = await check(target.host);
    if ("denied" in verdict) {
      const reason = deny(target.host, verdict.denied);
      client.end(
        `HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(reason) + 1}\r\n\r\n${reason}\n`,
      );
      return;
    }
    const upstream = netConnect(target.port, verdict.address, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.once("close", () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.once("error", () => {
      if (!client.destroyed) client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
    });
    client.once("close", () => upstream.destroy());
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(options.socketPath, () => {
      server.off("error", fail);
      done();
    });
  });
  return {
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((done) => server.close(() => done()));
    },
  };
}
