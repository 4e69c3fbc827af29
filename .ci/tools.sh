#!/usr/bin/env bash
# The engines that run beside the JVM in the tests and in ./sla-local, installed when missing (issue 28):
#   ensure_ses_emulator  the SES v2 emulator (npm aws-ses-v2-local, pinned in package-lock.json): npm ci
#                        when node_modules lacks it
#   ensure_moto          a python with moto 5.2.1 (the DynamoDB/Kinesis/EventBridge emulator): the first of
#                        $SLA_MOTO_PYTHON, python3, the checkout's .venv, pyenv's python3s that has it;
#                        none: a virtual environment .venv in the checkout and `pip install` into it;
#                        exports SLA_MOTO_PYTHON
# Each prints one line when it installs something (what, and how long it took), nothing otherwise.
#
# Sourced by ./sla-local; run by the build (`bash .ci/tools.sh [ses] [moto]`, the root pom's
# validate phase), so the README's test command needs nothing installed by hand but a JDK, Node.js
# and Python 3. SLA_PIP replaces `<venv>/bin/python3 -m pip` (a stand-in for pip where PyPI is not
# reachable: FreshMachineIT).

sla_tools_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SLA_MOTO_REQUIREMENT='moto[server]==5.2.1'

_sla_has_moto() { # $1 a python: moto and werkzeug importable (found without importing them: fast)
  "$1" -c 'import importlib.util as u, sys; sys.exit(0 if u.find_spec("moto") and u.find_spec("werkzeug") else 1)' \
    >/dev/null 2>&1
}

_sla_step() { # $1 what: prints "what..." and remembers the start; _sla_done prints the time
  printf '%s... ' "$1" >&2
  _sla_t0=$SECONDS
}
_sla_done() { echo "${1:-done} ($((SECONDS - _sla_t0)) s)" >&2; }

ensure_ses_emulator() { # $1: "required" (the tests) or "optional" (sla-local: a file outbox without it)
  local mode=${1:-required}
  if [ -x "$sla_tools_root/node_modules/.bin/aws-ses-v2-local" ]; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$mode" = required ]; then
      echo "The SES emulator needs Node.js >= 20 with npm (the notifier's tests start it): install Node.js" \
        "(Debian: apt-get install nodejs npm), then run the command again." >&2
      return 1
    fi
    echo "Node.js/npm not found: notices go to a file outbox instead of the SES emulator." >&2
    return 0
  fi
  _sla_step "Installing the SES emulator (npm ci, aws-ses-v2-local from package-lock.json)"
  local log
  log=$(mktemp)
  if (cd "$sla_tools_root" && npm ci --no-audit --no-fund >"$log" 2>&1); then
    _sla_done
    rm -f "$log"
    return 0
  fi
  _sla_done failed
  tail -n 5 "$log" | sed 's/^/  npm: /' >&2
  rm -f "$log"
  if [ "$mode" = required ]; then
    echo "npm ci failed (above): the SES emulator is needed by the notifier's tests." >&2
    return 1
  fi
  echo "Notices go to a file outbox instead of the SES emulator." >&2
  return 0
}

_sla_pythons() { # the candidates, in order, one a line
  [ -n "${SLA_MOTO_PYTHON:-}" ] && echo "$SLA_MOTO_PYTHON"
  command -v python3 2>/dev/null
  echo "$sla_tools_root/.venv/bin/python3"
  ls -d "${PYENV_ROOT:-${HOME:-/root}/.pyenv}"/versions/*/bin/python3 2>/dev/null | sort -rV
}

ensure_moto() {
  local candidate
  while IFS= read -r candidate; do
    if [ -n "$candidate" ] && _sla_has_moto "$candidate"; then
      SLA_MOTO_PYTHON=$(command -v "$candidate" || echo "$candidate")
      export SLA_MOTO_PYTHON
      return 0
    fi
  done < <(_sla_pythons)

  local venv="$sla_tools_root/.venv" base="" log
  for candidate in python3 $(ls -d "${PYENV_ROOT:-${HOME:-/root}/.pyenv}"/versions/3.*/bin/python3 2>/dev/null | sort -rV); do
    if "$candidate" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 9) else 1)' >/dev/null 2>&1; then
      base=$candidate
      break
    fi
  done
  if [ -z "$base" ]; then
    echo "moto needs Python >= 3.9 with venv (Debian: apt-get install python3 python3-venv); none found." >&2
    return 1
  fi
  _sla_step "Installing moto 5.2.1 (no python here has it) into $venv with pip"
  log=$(mktemp)
  # with a stand-in for pip (SLA_PIP) the environment needs no pip of its own
  if "$base" -m venv ${SLA_PIP:+--without-pip} "$venv" >"$log" 2>&1 \
      && VIRTUAL_ENV=$venv ${SLA_PIP:-"$venv/bin/python3" -m pip} install -q --disable-pip-version-check \
        "$SLA_MOTO_REQUIREMENT" >>"$log" 2>&1 \
      && _sla_has_moto "$venv/bin/python3"; then
    _sla_done
    rm -f "$log"
    SLA_MOTO_PYTHON=$venv/bin/python3
    export SLA_MOTO_PYTHON
    return 0
  fi
  _sla_done failed
  tail -n 5 "$log" | sed 's/^/  pip: /' >&2
  rm -f "$log"
  echo "moto could not be installed into $venv (above; pip needs PyPI or a mirror in PIP_INDEX_URL)." \
    "A python that already has moto 5.2.1 can be named in SLA_MOTO_PYTHON." >&2
  return 1
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then # run, not sourced: `bash .ci/tools.sh [ses] [moto]`
  set -euo pipefail
  for tool in "${@:-ses moto}"; do
    for t in $tool; do
      case "$t" in
        ses) ensure_ses_emulator required ;;
        moto) ensure_moto ;;
        *) echo "usage: bash .ci/tools.sh [ses] [moto]" >&2; exit 2 ;;
      esac
    done
  done
fi
