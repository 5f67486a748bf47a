# Shared by the daemon's script tests: start the daemon on a free port and wait until it listens.
# Needs $bin, $work (with jk.toml); sets $pid and $port.
start() {
  "$bin" serve --config "$work/jk.toml" > "$work/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    port=$(grep -oE 'luistert op http://127.0.0.1:[0-9]+' "$work/serve.log" | grep -oE '[0-9]+$' | head -1)
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  echo "FAIL: daemon did not start"; cat "$work/serve.log"; exit 1
}
