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
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
  done
}

setup_chromium() {
  if command -v chromium >/dev/null 2>&1; then return; fi
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
}
