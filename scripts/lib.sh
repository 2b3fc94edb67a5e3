# Shared by scripts/start.sh and scripts/test.sh; sourced, not run.

# Installs Debian packages, running `apt-get update` at most once per script run.
apt_install() {
  if [ -z "${_apt_updated:-}" ]; then
    echo "==> apt-get update"
    apt-get update -qq
    _apt_updated=1
  fi
  echo "==> apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

is_root() {
  [ "$(id -u)" -eq 0 ]
}

# Creates .venv when missing and installs the given requirements file into it.
ensure_venv() {
  local requirements=$1 python=${PYTHON:-python3}
  if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv with $python"
    # Debian ships venv's pip bootstrap separately, in python3-venv.
    if ! "$python" -m venv .venv 2>/dev/null; then
      rm -rf .venv
      if is_root; then
        apt_install python3-venv
        "$python" -m venv .venv
      else
        echo "error: '$python -m venv' failed; install python3-venv and run again" >&2
        exit 1
      fi
    fi
  fi
  echo "==> installing $requirements"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --progress-bar off \
    -r "$requirements"
  # The core, editable, so `python -m readiness` works from any folder.
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --progress-bar off \
    --no-deps --no-build-isolation -e . 2>/dev/null ||
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --progress-bar off \
      --no-deps -e .
}
