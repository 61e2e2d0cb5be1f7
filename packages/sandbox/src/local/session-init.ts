/**
 * The program that runs inside a session's bubblewrap sandbox (pid 2 of its pid namespace, under bwrap's
 * reaper). It is plain, dependency-free JavaScript for `bun -e` and `node -e`: `sessionInit.toString()` is what
 * gets executed, so it must not refer to anything outside its own body.
 *
 * Protocol: newline-delimited JSON. The host writes requests on stdin
 *   {op:"run", id, argv, cwd, env}   start a command in its own process group
 *   {op:"kill", id, signal}          signal the command's group and every process it started (by env marker)
 *   {op:"release", id}               stop forwarding its output (a background job may keep the pipes open)
 * and reads events on stdout: {ev:"ready"}, {id, ev:"start"|"out"|"exit"|"drained"|"error", ...}.
 * When stdin closes (the host is gone or disposed the session) the init exits, and with it the pid namespace.
 *
 * With `proxy` in the ML_INTERN_SANDBOX_INIT environment variable it also listens on 127.0.0.1:<port> inside
 * the sandbox's own network namespace and pipes each connection to the host's filtering proxy (a Unix socket
 * bound into the sandbox).
 */
export function sessionInit(): void {
  // process.getBuiltinModule (Bun, Node >= 20.16), else the CommonJS require of `node -e`; never a bare
  // `require`, which a bundler would rewrite.
  const host = process as unknown as { getBuiltinModule?: (id: string) => unknown };
  const load =
    typeof host.getBuiltinModule === "function"
      ? host.getBuiltinModule.bind(process)
      : (globalThis as unknown as { require: (id: string) => unknown }).require;
  const childProcess = load("node:child_process") as typeof import("node:child_process");
  const fs = load("node:fs") as typeof import("node:fs");
  const net = load("node:net") as typeof import("node:net");
  type Message = {
    op: string;
    id: string;
    argv?: string[];
    cwd?: string;
    env?: Record<string, string>;
    signal?: string;
  };
  type Call = {
    child: import("node:child_process").ChildProcess;
    marker: string;
    released: boolean;
  };
  const config = JSON.parse(process.env.ML_INTERN_SANDBOX_INIT ?? "{}") as {
    marker?: string;
    proxy?: { socket: string; port: number };
  };
  const markerName = config.marker ?? "ML_INTERN_SANDBOX_CALL";
  const calls = new Map<string, Call>();
  const out = process.stdout;
  const send = (message: Record<string, unknown>) => out.write(`${JSON.stringify(message)}\n`);

  /** Processes of this sandbox whose environment carries the call's marker (setsid children included). */
  const marked = (marker: string): number[] => {
    const pids: number[] = [];
    const needle = `\0${markerName}=${marker}\0`;
    for (const name of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(name) || Number(name) === process.pid || Number(name) === 1) continue;
      try {
        const environ = `\0${fs.readFileSync(`/proc/${name}/environ`, "latin1")}`;
        if (environ.includes(needle)) pids.push(Number(name));
      } catch {}
    }
    return pids;
  };

  const kill = (id: string, signal: string) => {
    const call = calls.get(id);
    if (!call) return;
    const pid = call.child.pid;
    try {
      if (pid) process.kill(-pid, signal as NodeJS.Signals);
    } catch {}
    for (const other of marked(call.marker)) {
      try {
        process.kill(other, signal as NodeJS.Signals);
      } catch {}
    }
  };

  const run = (message: Message) => {
    const { id } = message;
    const argv = message.argv ?? [];
    const marker = `${process.pid}-${id}`;
    let child: import("node:child_process").ChildProcess;
    try {
      child = childProcess.spawn(argv[0] as string, argv.slice(1), {
        cwd: message.cwd,
        env: { ...(message.env ?? {}), [markerName]: marker },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
    } catch (error) {
      send({ id, ev: "error", message: String((error as Error).message ?? error) });
      return;
    }
    const call: Call = { child, marker, released: false };
    calls.set(id, call);
    child.once("error", (error) => {
      send({ id, ev: "error", message: String(error.message) });
      calls.delete(id);
    });
    if (child.pid === undefined) return;
    send({ id, ev: "start", pid: child.pid });
    let open = 2;
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) {
        open -= 1;
        continue;
      }
      stream.setEncoding("utf8");
      stream.on("data", (data: string) => {
        if (call.released) return;
        // Backpressure: a command printing gigabytes waits for the host instead of filling this process.
        if (!send({ id, ev: "out", data })) {
          stream.pause();
          out.once("drain", () => stream.resume());
        }
      });
      stream.once("close", () => {
        open -= 1;
        if (open === 0) {
          if (!call.released) send({ id, ev: "drained" });
          if (child.exitCode !== null || child.signalCode !== null) calls.delete(id);
        }
      });
    }
    child.once("exit", (code, signal) => {
      send({ id, ev: "exit", code, signal });
      if (open === 0) calls.delete(id);
    });
  };

  const handle = (message: Message) => {
    if (message.op === "run") run(message);
    else if (message.op === "kill") kill(message.id, message.signal ?? "SIGKILL");
    else if (message.op === "release") {
      const call = calls.get(message.id);
      if (!call) return;
      call.released = true;
      call.child.stdout?.destroy();
      call.child.stderr?.destroy();
      calls.delete(message.id);
    }
  };

  if (config.proxy) {
    const { socket, port } = config.proxy;
    const server = net.createServer((client) => {
      const upstream = net.connect(socket);
      client.pipe(upstream).pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.once("error", close);
      upstream.once("error", close);
      client.once("close", close);
      upstream.once("close", close);
    });
    server.listen(port, "127.0.0.1");
  }

  let buffer = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (data: string) => {
    buffer += data;
    for (let at = buffer.indexOf("\n"); at >= 0; at = buffer.indexOf("\n")) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      if (line.trim()) handle(JSON.parse(line) as Message);
    }
  });
  process.stdin.once("end", () => process.exit(0));
  process.stdin.once("error", () => process.exit(0));
  send({ ev: "ready" });
}

/** Source for `bun -e` / `node -e`. */
export const SESSION_INIT_SOURCE = `(${sessionInit.toString()})();`;
