#!/usr/bin/env bash
# Installs the external programs the tests drive (kubectl; etcd and promtool when those suites run).
# Safe to run twice; does nothing for what is already there.
set -euo pipefail
need=()
command -v kubectl >/dev/null 2>&1 || need+=(kubernetes-client)
if [ "${TMC_NEED_ETCD:-0}" = 1 ]; then command -v etcd >/dev/null 2>&1 || need+=(etcd-server); fi
if [ "${TMC_NEED_PROMTOOL:-0}" = 1 ]; then command -v promtool >/dev/null 2>&1 || need+=(prometheus); fi
if [ ${#need[@]} -gt 0 ]; then
  echo "hack/install-deps.sh: installing ${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
kubectl version --client 2>/dev/null | head -1 || true
