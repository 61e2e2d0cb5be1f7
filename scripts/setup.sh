#!/usr/bin/env bash
# One-time set-up on a fresh Debian machine that has only Node.js 20 and npm.
#   bash scripts/setup.sh          -> bubblewrap (the agent's shell sandbox), Bun, workspace dependencies
#   bash scripts/setup.sh --test   -> also what the test suite needs (tmux, procps, git)
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
