#!/usr/bin/env bash
# A fresh Debian has python3 but not always its venv module: install it when we can (root).
set -euo pipefail
py="${1:-python3}"
if ! command -v "$py" >/dev/null; then
  echo "需要 Python 3.11 或更高版本 ($py not found)" >&2; exit 1
fi
"$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "需要 Python ≥ 3.11" >&2; exit 1; }
if ! "$py" -c 'import ensurepip, venv' 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    ver=$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python${ver}-venv" || apt-get install -y -qq python3-venv
  else
    echo "缺少 python3-venv:请以 root 运行 apt-get install python3-venv" >&2; exit 1
  fi
fi
