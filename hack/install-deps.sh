#!/usr/bin/env bash
# Installs the external programs the tests drive: kubectl 1.32 must already be /usr/bin/kubectl
# (or on PATH); Debian's kubectl 1.20 is unpacked into a cache dir beside it, never onto PATH; the
# Python client (python3-kubernetes, for /usr/bin/python3); etcd, promtool and chromium when those suites run.
# Safe to run twice; does nothing for what is already there.
set -euo pipefail
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
# Where kubectl 1.20 lands: test/helpers/kubectl-versions.ts looks here (and in $TMC_KUBECTL_120).
KUBECTL_120_DIR="${TMC_KUBECTL_120_DIR:-/var/cache/tmc/kubectl-1.20}"

need=()
if ! command -v kubectl >/dev/null 2>&1; then
  # Debian's kubernetes-client package is kubectl 1.20: installing it would put the wrong client on
  # PATH, so say so plainly instead.
  echo "hack/install-deps.sh: kubectl (1.32) is not on PATH; install it (the tests need 1.32 as 'kubectl')" >&2
fi
/usr/bin/python3 -c 'import kubernetes' >/dev/null 2>&1 || need+=(python3-kubernetes)
if [ "${TMC_NEED_ETCD:-0}" = 1 ]; then command -v etcd >/dev/null 2>&1 || need+=(etcd-server); fi
if [ "${TMC_NEED_PROMTOOL:-0}" = 1 ]; then command -v promtool >/dev/null 2>&1 || need+=(prometheus); fi
# the console's browser tests drive Debian's Chromium (playwright-core downloads no browser);
# with --no-install-recommends it brings no font, and a page needs one to render text
if [ "${TMC_NEED_CHROMIUM:-0}" = 1 ]; then [ -x /usr/bin/chromium ] || need+=(chromium fonts-dejavu-core); fi
updated=0
apt_update() { [ $updated = 1 ] || { $SUDO apt-get update -qq; updated=1; }; }
if [ ${#need[@]} -gt 0 ]; then
  echo "hack/install-deps.sh: installing ${need[*]}"
  apt_update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# kubectl 1.20 (Debian bookworm's kubernetes-client): download the .deb and unpack it privately.
if [ ! -x "$KUBECTL_120_DIR/usr/bin/kubectl" ]; then
  echo "hack/install-deps.sh: unpacking Debian's kubernetes-client (kubectl 1.20) into $KUBECTL_120_DIR"
  apt_update
  work=$(mktemp -d); chmod 755 "$work"  # apt-get download runs as _apt
  ( cd "$work" && apt-get download -qq kubernetes-client )
  $SUDO mkdir -p "$KUBECTL_120_DIR"
  $SUDO dpkg -x "$work"/kubernetes-client_*.deb "$KUBECTL_120_DIR"
  rm -rf "$work"
fi
kubectl version --client 2>/dev/null | head -1 || true
"$KUBECTL_120_DIR/usr/bin/kubectl" version --client --short 2>/dev/null || true
