#!/usr/bin/env bash
# One-time set-up on a fresh Debian machine that has only Node.js 20 and npm.
#   bash scripts/setup.sh          -> bubblewrap (the agent's shell sandbox), Bun, workspace dependencies, and an
#                                     `ml-intern` command in ~/.local/bin (or $ML_INTERN_BIN_DIR), put on PATH
#   bash scripts/setup.sh --test   -> also what the test suite needs (tmux, procps, git); no `ml-intern` command
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: need root (or sudo) to run: $*" >&2; return 1; fi
}

missing=()
command -v bwrap >/dev/null || missing+=(bubblewrap)
if [ "${1:-}" = "--test" ]; then
  command -v tmux >/dev/null || missing+=(tmux)
  command -v ps >/dev/null || missing+=(procps)
  command -v git >/dev/null || missing+=(git)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    echo "setup: installing ${missing[*]} from Debian" >&2
    as_root apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >&2
  else
    echo "setup: please install ${missing[*]} with your package manager" >&2
  fi
fi

if ! command -v bun >/dev/null; then
  echo "setup: installing Bun from npm" >&2
  if ! npm install -g bun@1.4.5 >&2 2>/dev/null; then
    # No write access to the global prefix: install under ~/.local instead.
    npm install -g --prefix "$HOME/.local" bun@1.4.5 >&2
    echo "setup: Bun installed in $HOME/.local/bin; add it to PATH" >&2
    export PATH="$HOME/.local/bin:$PATH"
  fi
fi

bun install --frozen-lockfile >&2

# The `ml-intern` command: a two-line launcher that runs this checkout's CLI with this Bun, in whatever folder
# it is started from (that folder is the agent's workspace). --no-env-file: the CLI reads that folder's .env
# itself, so it can refuse endpoint variables there that would receive credentials from elsewhere.
if [ "${1:-}" != "--test" ]; then
  bin_dir="${ML_INTERN_BIN_DIR:-$HOME/.local/bin}"
  mkdir -p "$bin_dir"
  launcher="$bin_dir/ml-intern"
  printf '#!/bin/sh\n# written by %s/scripts/setup.sh\nexec "%s" --no-env-file "%s/apps/cli/src/main.ts" "$@"\n' \
    "$PWD" "$(command -v bun)" "$PWD" >"$launcher"
  chmod 755 "$launcher"
  echo "setup: wrote $launcher (runs $PWD/apps/cli/src/main.ts)" >&2
  case ":$PATH:" in
    *":$bin_dir:"*) echo "setup: $bin_dir is on PATH; run \`ml-intern\` in the folder you want to work in" >&2 ;;
    *)
      line="export PATH=\"$bin_dir:\$PATH\""
      for rc in "$HOME/.profile" "$HOME/.bashrc"; do
        if ! grep -qsF "$line" "$rc"; then
          printf '\n# added by ml-intern scripts/setup.sh\n%s\n' "$line" >>"$rc"
          echo "setup: added $bin_dir to PATH in $rc" >&2
        fi
      done
      echo "setup: open a new terminal (or run: $line), then run \`ml-intern\` in the folder you want to work in" >&2
      ;;
  esac
fi
