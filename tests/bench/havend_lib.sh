# Shared by the benchmark scripts (source it; they set `log` and `havend_pid`).

# stop_havend: SIGTERM the havend in $havend_pid, wait up to 30 s, then
# SIGKILL; returns its exit status (0 after a clean shutdown).
stop_havend() {
  [[ -n "$havend_pid" ]] || return 0
  local pid="$havend_pid" rc=0
  havend_pid=""
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "havend did not stop within 30 s of SIGTERM; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || rc=$?
  return "$rc"
}
