/** Output budget for one command result shown to the model. */
export const MAX_OUTPUT_CHARS = 25_000;
/** Share of the budget kept from the start of the output; the rest comes from the end. */
export const OUTPUT_HEAD_RATIO = 0.25;
export const DEFAULT_TIMEOUT_SECONDS = 120;
/** Ten hours: long training runs. */
export const MAX_TIMEOUT_SECONDS = 36_000;
export const DEFAULT_READ_LINES = 2_000;
export const MAX_LINE_CHARS = 4_000;
/** Time given to a killed process group between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 2_000;
/** After the shell exits, how long to keep reading output that is still buffered in the pipe. */
export const EXIT_DRAIN_MS = 50;
/** Cap of one command's spill file (its full output). */
export const MAX_SPILL_BYTES = 32 * 1024 * 1024;
/** Largest file the file tools read whole (read, edit, write's freshness check). */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;
/** Above this size edit matches exactly only: the whitespace/unicode-tolerant passes are skipped. */
export const MAX_FUZZY_EDIT_CHARS = 1_000_000;
/** Default size cap of a session's private /tmp (a tmpfs, so it counts as memory). */
export const DEFAULT_TMP_SIZE_BYTES = 2 * 1024 * 1024 * 1024;
/** Default most processes per session (cgroup pids.max, else RLIMIT_NPROC for an unprivileged uid). */
export const DEFAULT_PIDS_MAX = 4_096;
