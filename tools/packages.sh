# SPDX-License-Identifier: Apache-2.0
#
# Sourced by the setup scripts: `install_missing TAG PACKAGE...` installs the
# Debian packages dpkg does not list as installed, with one apt-get update,
# and does nothing (fast) when all are present.
install_missing() {
  local tag=$1
  shift
  local missing=() p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if ((${#missing[@]})); then
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "$tag: installing ${missing[*]}"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}
