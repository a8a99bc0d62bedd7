#!/usr/bin/env bash
# Makes a development TLS directory for havend and its clients, with the
# openssl command line:
#
#   DIR/ca.crt, ca.key            a development CA (10 years)
#   DIR/server.crt, server.key    havend's certificate: localhost, 127.0.0.1, ::1
#   DIR/token-signing.key         the secret that signs bearer tokens
#   DIR/users/USER.crt, USER.key  a client certificate per user of
#                                 deploy/dev-users.txt (and of extra USER
#                                 arguments), SAN URI haven:user/USER
#
# Usage: deploy/make-dev-certs.sh [DIR [USER...]]     (DIR defaults to ./data/tls)
#
# Idempotent: what exists is kept, only what is missing is made (a new user
# certificate is signed by the existing CA).  Keys are mode 0600.  For
# development only: production uses its own CA or an existing PKI, and keeps
# the CA key off the server (docs/security.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:-./data/tls}"
shift || true
command -v openssl >/dev/null || { echo "make-dev-certs: needs the openssl command (apt-get install openssl)" >&2; exit 1; }

users=()
while read -r user _; do
  [[ -z "$user" || "$user" == \#* ]] && continue
  users+=("$user")
done <"$here/dev-users.txt"
users+=("$@")

umask 077
mkdir -p "$dir/users"
made=()
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
serial() { echo "0x$(openssl rand -hex 16)"; }

# sign NAME SUBJECT EXTENSIONS: makes NAME.key and NAME.crt (in $dir) signed by the CA.
sign() {
  local name="$1" subject="$2" extensions="$3"
  new_key "$dir/$name.key"
  openssl req -new -key "$dir/$name.key" -subj "$subject" -out "$tmp/req.csr"
  printf '%s\n' "$extensions" >"$tmp/ext.cnf"
  openssl x509 -req -in "$tmp/req.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
    -set_serial "$(serial)" -days 825 -sha256 -extfile "$tmp/ext.cnf" -out "$dir/$name.crt" 2>/dev/null
  chmod 644 "$dir/$name.crt"
  made+=("$name.crt")
}

if [[ ! -f "$dir/ca.crt" ]]; then
  new_key "$dir/ca.key"
  openssl req -x509 -new -key "$dir/ca.key" -sha256 -days 3650 \
    -subj "/O=Haven development/CN=Haven development CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$dir/ca.crt"
  chmod 644 "$dir/ca.crt"
  made+=(ca.crt)
fi
need_ca_key() {
  [[ -f "$dir/ca.key" ]] || { echo "make-dev-certs: $dir/ca.key is missing; cannot sign new certificates" >&2; exit 1; }
}

if [[ ! -f "$dir/server.crt" || ! -f "$dir/server.key" ]]; then
  need_ca_key
  sign server "/O=Haven development/CN=localhost" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"
fi

for user in "${users[@]}"; do
  [[ -f "$dir/users/$user.crt" && -f "$dir/users/$user.key" ]] && continue
  need_ca_key
  sign "users/$user" "/O=Haven development/CN=$user" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
subjectAltName=URI:haven:user/$user"
done

if [[ ! -f "$dir/token-signing.key" ]]; then
  openssl rand -hex 32 >"$dir/token-signing.key"
  made+=(token-signing.key)
fi

if ((${#made[@]})); then
  echo "make-dev-certs: made ${made[*]} in $dir"
else
  echo "make-dev-certs: $dir already complete"
fi
