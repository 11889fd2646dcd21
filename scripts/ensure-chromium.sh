#!/usr/bin/env bash
# Debian's Chromium and a CJK font for the console's end-to-end tests (playwright-core drives
# /usr/bin/chromium; no browser is downloaded). Quick and silent when both are there; installs them with
# apt-get otherwise (root, as on the development machines and CI).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
if ! fc-list 2>/dev/null | grep -qiE 'wenquanyi|wqy|noto sans cjk|droid sans fallback'; then
  need+=(fonts-wqy-microhei)
fi
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "installing ${need[*]}…"
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null
/usr/bin/chromium --version
