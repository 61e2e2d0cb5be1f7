/** Environment variables as hosts pass them (injected, never read from `process.env` inside a tool). */
export type Env = Readonly<Record<string, string | undefined>>;
