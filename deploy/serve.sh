#!/usr/bin/env bash
# One step from a fresh Debian 12 machine to a running havend: installs what
# is missing, builds, makes development TLS certificates on first start
# (./data/tls, deploy/make-dev-certs.sh), and serves on 127.0.0.1:7070 with
# its embedded RocksDB log in ./data.  Extra flags go to havend, e.g.
# --listen=0.0.0.0:7070, --tls-dir=/etc/haven/tls (production material,
# docs/security.md) or --insecure-plaintext (no TLS, tests only).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/deploy/build.sh" havend havenctl
build="${HAVEN_BUILD_DIR:-$root/build}"

data_dir="$root/data" tls_dir="" plaintext=false bootstrap=()
for arg in "$@"; do
  case "$arg" in
    --bootstrap-admin=*) bootstrap=(--bootstrap-admin=) ;;
    --data-dir=*) data_dir="${arg#*=}" ;;
    --tls-dir=*) tls_dir="${arg#*=}" ;;
    --insecure-plaintext | --insecure-plaintext=true) plaintext=true ;;
    --insecure-plaintext=false) plaintext=false ;;
  esac
done
tls_dir="${tls_dir:-$data_dir/tls}"
if [[ "$plaintext" == false && ! -f "$tls_dir/ca.crt" && ! -f "$tls_dir/server.crt" ]]; then
  echo "serve.sh: no TLS material in $tls_dir yet: making development certificates" >&2
  "$root/deploy/make-dev-certs.sh" "$tls_dir" >&2
  echo "serve.sh: havenctl finds them by default (as dev-operator; --as=dev-admin etc.), see docs/security.md" >&2
fi
# With development certificates, dev-admin is the first admin of a new data
# directory (ignored once anyone is registered).
if [[ "$plaintext" == false && ${#bootstrap[@]} -eq 0 && -f "$tls_dir/users/dev-admin.crt" ]]; then
  bootstrap=(--bootstrap-admin=dev-admin)
else
  bootstrap=()
fi
exec "$build/services/server/havend" --data-dir="$root/data" "${bootstrap[@]}" "$@"
