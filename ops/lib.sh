# Shared by ops/serve and ops/test: make sure the toolchain, PostgreSQL and NATS are there,
# installing them from Debian packages when missing (as root), or say exactly what is missing.
# shellcheck shell=bash

say() { printf '[ops] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        die "need root to run: $*"; fi
}

apt_install() {
    say "installing $* from Debian packages"
    as_root apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

ensure_rust() {
    command -v cargo >/dev/null || die "cargo not found: install Rust (rustup) first"
    # The pinned toolchain (rust-toolchain.toml) when this machine has it; otherwise the
    # installed stable one, since no other toolchain can be downloaded here.
    local pinned
    pinned=$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
    if ! rustup run "$pinned" rustc --version >/dev/null 2>&1; then
        say "toolchain $pinned not installed; using the default toolchain instead"
        export RUSTUP_TOOLCHAIN=stable
    fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
    for _ in $(seq 1 50); do port_open "$1" && return 0; sleep 0.2; done
    return 1
}

ensure_postgres() {
    port_open 5432 && return 0
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
        apt_install postgresql
        local hba
        hba=$(ls /etc/postgresql/*/main/pg_hba.conf | head -n1)
        # Development machine: trust local TCP connections, as the machines here are set up.
        as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    fi
    say "starting PostgreSQL"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    wait_port 5432 || die "PostgreSQL does not listen on 127.0.0.1:5432"
}

# True when NATS on 127.0.0.1:4222 answers a JetStream API request within 3 s. Seen here:
# after the disk had filled, NATS still accepted connections but JetStream never answered.
jetstream_answers() {
    command -v python3 >/dev/null || return 0
    python3 - <<'PY'
import socket, sys, time
try:
    s = socket.create_connection(("127.0.0.1", 4222), timeout=3)
    s.recv(4096)
    s.sendall(b'CONNECT {"verbose":false}\r\nSUB _INBOX.ops 1\r\nPUB $JS.API.INFO _INBOX.ops 0\r\n\r\n')
    end, buf = time.time() + 3, b""
    while time.time() < end and b"MSG _INBOX.ops" not in buf:
        buf += s.recv(65536)
    sys.exit(0 if b"MSG _INBOX.ops" in buf else 1)
except OSError:
    sys.exit(1)
PY
}

ensure_nats() {
    if port_open 4222; then
        jetstream_answers && return 0
        # Not ours to stop: another project's NATS, or one started without -js.
        die "a server listens on 127.0.0.1:4222 but JetStream does not answer: start NATS with -js (e.g. nats-server -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server); this script does not stop a server it did not start"
    fi
    command -v nats-server >/dev/null || [ -x /usr/sbin/nats-server ] || apt_install nats-server
    say "starting NATS with JetStream"
    as_root mkdir -p /var/lib/nats-server
    as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
        -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server
    wait_port 4222 || die "NATS does not listen on 127.0.0.1:4222"
}

# Headless Chromium for the browser tests of the pages we serve (GraphiQL).
ensure_chromium() {
    # The browser tests: chromium for pages rendered headless, its driver for pages that
    # are clicked through (WebDriver).
    if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
        apt_install chromium chromium-driver
    fi
}
