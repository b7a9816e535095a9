#!/usr/bin/env bash
# Chromium for the browser test tier (test/browser): the Debian package, since playwright-core
# cannot download a browser here. Idempotent: does nothing when /usr/bin/chromium (or
# CHROMIUM_PATH) is already there. Needs root to install; otherwise says what to run.
set -euo pipefail

if [[ -n "${CHROMIUM_PATH:-}" && -x "${CHROMIUM_PATH}" ]]; then
  echo "install-chromium: using CHROMIUM_PATH=${CHROMIUM_PATH}"
  exit 0
fi
if [[ -x /usr/bin/chromium ]]; then
  echo "install-chromium: /usr/bin/chromium is installed ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi
if [[ "$(id -u)" -ne 0 ]]; then
  echo "install-chromium: /usr/bin/chromium is missing and this is not root: run 'sudo apt-get install -y chromium', or set CHROMIUM_PATH to a Chromium" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "install-chromium: /usr/bin/chromium is missing and there is no apt-get: install Chromium and set CHROMIUM_PATH" >&2
  exit 1
fi
echo "install-chromium: installing the Debian package chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "install-chromium: installed $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
