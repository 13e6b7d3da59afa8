#!/usr/bin/env bash
# Set up everything Trappen needs on a Debian machine, skipping whatever is already there.
#
#   scripts/bootstrap.sh            runtime: system libraries, .venv, Python packages, npm assets
#   scripts/bootstrap.sh --dev      also the `dev` extra (pytest, ruff, playwright, ...)
#   scripts/bootstrap.sh --browser  also Debian's Chromium and fonts (browser tests)
#
# As root, missing Debian packages are installed with apt-get (one `apt-get update` first).
# Otherwise the script says what is missing and how to install it.
# Repeated runs are quick: pip runs only when pyproject.toml changed (a stamp in .venv), npm only
# when node_modules is missing or package-lock.json changed.
set -euo pipefail

cd "$(dirname "$0")/.."
DEV=0
BROWSER=0
for arg in "$@"; do
  case "$arg" in
    --dev) DEV=1 ;;
    --browser) BROWSER=1 ;;
    *) echo "bootstrap: unknown option $arg" >&2; exit 2 ;;
  esac
done

VENV=.venv
say() { printf '==> %s\n' "$*"; }
die() { printf 'bootstrap: %s\n' "$*" >&2; exit 1; }

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# A Python 3.11 or newer: $PYTHON if given, else the first python3* on PATH that is new enough.
find_python() {
  local candidate
  for candidate in ${PYTHON:-} python3 python3.13 python3.12 python3.11; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

# pyproject.toml without the tool tables that do not affect installing (pytest, ruff, mypy), so
# changing test or lint settings does not trigger a pip run.
install_inputs_hash() {
  awk '/^\[/ { skip = ($0 ~ /^\[tool\.(pytest|ruff|mypy|coverage|django-stubs)/) } !skip' \
    pyproject.toml | sha256sum | cut -d' ' -f1
}

venv_ok() {
  [ -x "$VENV/bin/python" ] &&
    "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}

# --- Debian packages ------------------------------------------------------------------------
system_packages() {
  local wanted=(fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
  local missing=() pkg python
  [ "$BROWSER" = 1 ] && wanted+=(chromium fonts-liberation)
  command -v npm >/dev/null 2>&1 || wanted+=(nodejs npm)
  if ! venv_ok; then
    python=$(find_python || true)
    if [ -z "$python" ]; then
      wanted+=(python3 python3-venv)
    elif ! "$python" -c 'import ensurepip' 2>/dev/null; then
      wanted+=(python3-venv)  # Debian ships `python3 -m venv` separately
    fi
  fi
  if ! command -v dpkg-query >/dev/null 2>&1; then
    say "not a Debian system: make sure these are installed: ${wanted[*]}"
    return 0
  fi
  for pkg in "${wanted[@]}"; do
    installed "$pkg" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "missing Debian packages: ${missing[*]}"
    say "install them with: sudo apt-get install ${missing[*]}"
    say "(or run this command as root, which installs them itself)"
  fi
}

# --- the virtual environment and Python packages ---------------------------------------------
python_env() {
  if ! venv_ok; then
    local python
    python=$(find_python) || die "Python 3.11 or newer is needed (found: $(python3 --version 2>&1 || echo none)). On Debian: apt-get install python3 python3-venv"
    say "creating $VENV with $python ($("$python" --version))"
    rm -rf "$VENV"
    "$python" -m venv "$VENV" ||
      die "could not create $VENV; on Debian install python3-venv (apt-get install python3-venv)"
  fi
  local want have stamp="$VENV/.trappen-installed"
  want=$(install_inputs_hash)
  have=$(cat "$stamp" 2>/dev/null || true)
  # A dev install also serves the demo; a runtime install does not serve the tests.
  if [ "$have" = "$want dev" ] || { [ "$DEV" = 0 ] && [ "$have" = "$want runtime" ]; }; then
    return 0
  fi
  local target=. kind=runtime
  [ "$DEV" = 1 ] && target='.[dev]' && kind=dev
  say "installing Python packages ($kind) into $VENV"
  "$VENV/bin/python" -m pip install -qq -e "$target"  # -qq: errors only
  echo "$want $kind" >"$stamp"
}

# --- front-end assets from npm ---------------------------------------------------------------
npm_assets() {
  [ -f package.json ] || return 0
  local lock=package-lock.json stamp=node_modules/.trappen-lock want have
  [ -f "$lock" ] || die "package.json has no package-lock.json beside it"
  want=$(sha256sum "$lock" | cut -d' ' -f1)
  have=$(cat "$stamp" 2>/dev/null || true)
  [ -d node_modules ] && [ "$have" = "$want" ] && return 0
  command -v npm >/dev/null 2>&1 ||
    die "npm is needed for the front-end assets: apt-get install nodejs npm"
  say "installing front-end assets (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
}

system_packages
python_env
npm_assets
if [ "$BROWSER" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  say "warning: chromium is not installed, so the browser tests will fail"
fi
