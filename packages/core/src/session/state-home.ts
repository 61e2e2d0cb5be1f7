import { join } from "node:path";
import type { Env } from "@ml-intern/tool";

export interface StateHomeInputs {
  /** Environment to read (`ML_INTERN_HOME`, `XDG_DATA_HOME`). */
  env: Env;
  /** The user's home directory (os.homedir()). */
  homeDir: string;
}

/** `ML_INTERN_HOME`, else `$XDG_DATA_HOME/ml-intern`, else `~/.local/share/ml-intern`. */
export function resolveStateHome({ env, homeDir }: StateHomeInputs): string {
  const explicit = env.ML_INTERN_HOME?.trim();
  if (explicit) return explicit;
  const xdg = env.XDG_DATA_HOME?.trim();
  if (xdg) return join(xdg, "ml-intern");
  return join(homeDir, ".local", "share", "ml-intern");
}
