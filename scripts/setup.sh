# Shared set-up steps for scripts/run.sh and scripts/test.sh (sourced, not run).

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Whether a Debian package is installed, or provided by an installed one (NodeSource's nodejs provides npm and
# conflicts with Debian's npm package: asking apt for npm there would fail).
debian_package_present() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" && return 0
  dpkg-query -W -f='${Status}|${Provides}\n' 2>/dev/null | grep '^install ok installed|' | cut -d'|' -f2 \
    | tr ',' '\n' | sed -e 's/([^)]*)//' -e 's/^ *//' -e 's/ *$//' | grep -x -- "$1" >/dev/null  # no -q: an early exit would break the pipe (pipefail)
}

# Install the Debian packages named as arguments that are not installed yet.
install_debian_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    debian_package_present "$pkg" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> 安装系统软件包：${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Create .venv and install the project (again only when pyproject.toml changed).
install_python_packages() {
  [ -x .venv/bin/python ] || python3 -m venv .venv
  local stamp=.venv/.budget_eval-installed want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "==> 安装 Python 依赖"
    if ! .venv/bin/pip install -q --disable-pip-version-check -e ".[test]" >.venv/pip.log 2>&1; then
      cat .venv/pip.log
      return 1
    fi
    echo "$want" >"$stamp"
  fi
}
