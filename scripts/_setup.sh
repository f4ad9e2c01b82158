# Shared, idempotent install steps for scripts/test, scripts/demo and bench/run.
setup_python() {
  local extras=${1:-}
  if [ ! -x .venv/bin/python ]; then
    "${PYTHON:-python3}" -m venv .venv
  fi
  if [ -n "$extras" ]; then
    .venv/bin/pip install -q --disable-pip-version-check -e ".[$extras]"
  else
    .venv/bin/pip install -q --disable-pip-version-check -e .
  fi
}

setup_node() {
  local dir
  for dir in tests/interop/node bench/node; do
    if [ -f "$dir/package-lock.json" ] && [ ! -d "$dir/node_modules" ]; then
      npm_ci "$dir"
    fi
  done
}

# npm_ci DIR: `npm ci` from the lockfile with install scripts off (no package but
# better-sqlite3 has one), then better-sqlite3's native addon.
npm_ci() {
  (cd "$1" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) || return
  better_sqlite3 "$1"
}

# better_sqlite3 DIR: put DIR/node_modules/better-sqlite3/build/Release/better_sqlite3.node in
# place. Its prebuilt binaries come from GitHub, so it is compiled from source (with the
# headers of the running Node when they are installed, e.g. Debian's /usr/include/node), once
# per better-sqlite3 version, Node version and platform, into a cache outside the repository
# (${XDG_CACHE_HOME:-~/.cache}/authcore/better-sqlite3/); later installs, fresh clones
# included, copy it from there. The compile (mostly SQLite's amalgamation) takes minutes.
better_sqlite3() {
  local dir=$1 pkg=$1/node_modules/better-sqlite3
  [ -f "$pkg/package.json" ] || return 0
  local key cache target
  key=$(cd "$pkg" && node -p 'require("./package.json").version + "-node" + process.version +
    "-abi" + process.versions.modules + "-" + process.platform + "-" + process.arch') || return
  cache=${AUTHCORE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/authcore}/better-sqlite3/$key
  target=$pkg/build/Release/better_sqlite3.node
  mkdir -p "$cache" "$pkg/build/Release" || return
  (
    flock 9  # one build at a time; the others wait and copy
    if [ -f "$cache/better_sqlite3.node" ] && cp "$cache/better_sqlite3.node" "$target" &&
      _better_sqlite3_loads "$dir"; then
      exit 0
    fi
    echo "building better-sqlite3 $key from source (cached in $cache)" >&2
    local nodedir
    nodedir=$(node -p 'require("path").resolve(process.execPath, "../..")')
    if [ -z "${npm_config_nodedir:-}" ] && [ -f "$nodedir/include/node/node.h" ]; then
      export npm_config_nodedir=$nodedir
    fi
    (cd "$dir" && npm_config_build_from_source=true JOBS=max \
      npm rebuild better-sqlite3 --no-audit --no-fund --loglevel=error) || exit 1
    _better_sqlite3_loads "$dir" || exit 1
    cp "$target" "$cache/better_sqlite3.node.$$" && mv "$cache/better_sqlite3.node.$$" "$cache/better_sqlite3.node"
  ) 9>"$cache/.lock"
}

_better_sqlite3_loads() {
  (cd "$1" && node -e 'const D = require("better-sqlite3"); new D(":memory:").prepare("select 1").get()') 2>/dev/null
}

setup_chromium() {
  if command -v chromium >/dev/null 2>&1; then return; fi
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
}
