#!/usr/bin/env bash
# Builds the real Kubernetes components the e2e tests run, from the Go module proxy, cached by version
# outside the repo: a second run costs nothing. Prints the bin directory on stdout.
#   kube-apiserver, kube-controller-manager, kube-scheduler  k8s.io/kubernetes (wrapper module)
#   etcd                                                    go.etcd.io/etcd/server/v3
#   kwok                                                    sigs.k8s.io/kwok/cmd/kwok
#   karmadactl (the Go reference, for parity and benchmarks) github.com/karmada-io/karmada/cmd/karmadactl
#   karmada-aggregated-apiserver, karmada-search, karmada-controller-manager, karmada-scheduler,
#   karmada-webhook, karmada-agent, karmada-descheduler, karmada-scheduler-estimator,
#   karmada-metrics-adapter                                 github.com/karmada-io/karmada/cmd/...
#   krew (the kubectl plugin manager, for the krew route test) sigs.k8s.io/krew/cmd/krew
#   metrics-server (each member's metrics.k8s.io, for top)  sigs.k8s.io/metrics-server/cmd/metrics-server
set -euo pipefail
# Resolved before any `cd`: every path of this repository is taken from here.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
K8S_VERSION="${K8S_VERSION:-1.35.4}"
ETCD_VERSION="${ETCD_VERSION:-3.6.5}"
KWOK_VERSION="${KWOK_VERSION:-0.7.0}"
KARMADA_VERSION="${KARMADA_VERSION:-1.18.2}"
# v0.4.4 and v0.4.5 are not served by proxy.golang.org ("This module version is not available")
KREW_VERSION="${KREW_VERSION:-0.4.3}"
METRICS_SERVER_VERSION="${METRICS_SERVER_VERSION:-0.8.0}"
CACHE="${KARMADACTL_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/karmadactl-e2e}"
BIN="$CACHE/bin"
mkdir -p "$BIN"
export GOFLAGS="${GOFLAGS:--trimpath}" CGO_ENABLED=0 GOTOOLCHAIN=local
log() { echo "[e2e-build] $*" >&2; }

want() { # want NAME VERSION: true when NAME@VERSION is not built yet
  [[ -x "$BIN/$1" && "$(cat "$BIN/$1.version" 2>/dev/null)" == "$2" ]] && return 1 || return 0
}
done_() { echo "$2" > "$BIN/$1.version"; }

if want kube-apiserver "$K8S_VERSION" || want kube-controller-manager "$K8S_VERSION" || want kube-scheduler "$K8S_VERSION"; then
  W="$CACHE/src/kubernetes-$K8S_VERSION"
  mkdir -p "$W"
  cd "$W"
  if [[ ! -f go.mod ]]; then
    log "k8s.io/kubernetes v$K8S_VERSION: wrapper module in $W"
    gomod="$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
    {
      echo "module karmadactl.e2e/kube"
      echo "go $(sed -n 's/^go //p' "$gomod")"
      echo "require k8s.io/kubernetes v$K8S_VERSION"
      # every staging module k8s.io/kubernetes replaces with ./staging/... comes from the proxy at v0.Y.Z
      sed -n 's#^[[:space:]]*\(k8s.io/[^ ]*\) => ./staging/.*#replace \1 => \1 v0.'"${K8S_VERSION#*.}"'#p' "$gomod"
    } > go.mod.tmp
    mv go.mod.tmp go.mod
  fi
  go get "k8s.io/kubernetes/cmd/kube-apiserver@v$K8S_VERSION" "k8s.io/kubernetes/cmd/kube-controller-manager@v$K8S_VERSION" "k8s.io/kubernetes/cmd/kube-scheduler@v$K8S_VERSION" >&2
  for c in kube-apiserver kube-controller-manager kube-scheduler; do
    if want "$c" "$K8S_VERSION"; then
      log "building $c v$K8S_VERSION"
      go build -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${K8S_VERSION#1.}" -o "$BIN/$c" "k8s.io/kubernetes/cmd/$c" >&2
      done_ "$c" "$K8S_VERSION"
    fi
  done
fi

if want etcd "$ETCD_VERSION"; then
  # etcd's server module replaces its sibling modules with relative paths, so it cannot be
  # `go install`ed: a wrapper module takes each sibling from the proxy at the same version.
  W="$CACHE/src/etcd-$ETCD_VERSION"
  mkdir -p "$W"
  cd "$W"
  if [[ ! -f go.mod ]]; then
    log "go.etcd.io/etcd/server/v3 v$ETCD_VERSION: wrapper module in $W"
    gomod="$(go mod download -json "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
    {
      echo "module karmadactl.e2e/etcd"
      echo "go $(sed -n 's/^go //p' "$gomod")"
      echo "require go.etcd.io/etcd/server/v3 v$ETCD_VERSION"
      sed -n 's#^[[:space:]]*\(go.etcd.io/etcd/[^ ]*\) => \.\./.*#replace \1 => \1 v'"$ETCD_VERSION"'#p' "$gomod"
    } > go.mod.tmp
    mv go.mod.tmp go.mod
  fi
  go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" >&2
  log "building etcd v$ETCD_VERSION"
  go build -ldflags "-s -w" -o "$BIN/etcd" "go.etcd.io/etcd/server/v3" >&2
  done_ etcd "$ETCD_VERSION"
fi

if want kwok "$KWOK_VERSION"; then
  log "building kwok v$KWOK_VERSION"
  GOBIN="$BIN" go install -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION" >&2
  done_ kwok "$KWOK_VERSION"
fi

if want krew "$KREW_VERSION"; then
  log "building krew v$KREW_VERSION"
  GOFLAGS="$GOFLAGS -mod=mod" GOBIN="$BIN" go install -ldflags "-s -w" "sigs.k8s.io/krew/cmd/krew@v$KREW_VERSION" >&2
  done_ krew "$KREW_VERSION"
fi

if want metrics-server "$METRICS_SERVER_VERSION"; then
  # a wrapper module requiring the exact version (go install @version reads the version list)
  W="$CACHE/src/metrics-server-$METRICS_SERVER_VERSION"
  mkdir -p "$W"
  cd "$W"
  if [[ ! -f go.mod ]]; then
    gomod="$(go mod download -json "sigs.k8s.io/metrics-server@v$METRICS_SERVER_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
    printf 'module karmadactl.e2e/metrics-server\ngo %s\nrequire sigs.k8s.io/metrics-server v%s\n' "$(sed -n 's/^go \([0-9.]*\).*/\1/p' "$gomod")" "$METRICS_SERVER_VERSION" > go.mod
  fi
  go get "sigs.k8s.io/metrics-server/cmd/metrics-server@v$METRICS_SERVER_VERSION" >&2
  log "building metrics-server v$METRICS_SERVER_VERSION"
  go build -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v$METRICS_SERVER_VERSION" -o "$BIN/metrics-server" "sigs.k8s.io/metrics-server/cmd/metrics-server" >&2
  done_ metrics-server "$METRICS_SERVER_VERSION"
fi

# Karmada's components, built as Karmada's release build does: with
# -tags kubernetes_protomessage_one_more_release (without it karmada-scheduler and karmada-descheduler
# panic on their first estimator call). The cache key carries the tag, so older untagged builds rebuild.
KARMADA_TAGS="kubernetes_protomessage_one_more_release"
KARMADA_KEY="$KARMADA_VERSION+$KARMADA_TAGS"
KARMADA_CMDS=(
  karmadactl:karmadactl
  aggregated-apiserver:karmada-aggregated-apiserver
  karmada-search:karmada-search
  controller-manager:karmada-controller-manager
  scheduler:karmada-scheduler
  webhook:karmada-webhook
  agent:karmada-agent
  descheduler:karmada-descheduler
  scheduler-estimator:karmada-scheduler-estimator
  metrics-adapter:karmada-metrics-adapter
)
karmada_missing=()
for c in "${KARMADA_CMDS[@]}"; do want "${c#*:}" "$KARMADA_KEY" && karmada_missing+=("$c"); done
if (( ${#karmada_missing[@]} )); then
  # `go install ...@v1.18.2` fails here (the proxy refuses the module's version list, which go install
  # reads for its deprecation check); a wrapper module that requires the exact version builds it.
  W="$CACHE/src/karmada-$KARMADA_VERSION"
  mkdir -p "$W"
  cd "$W"
  if [[ ! -f go.mod ]]; then
    gomod="$(go mod download -json "github.com/karmada-io/karmada@v$KARMADA_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
    printf 'module karmadactl.e2e/karmada\ngo %s\nrequire github.com/karmada-io/karmada v%s\n' "$(sed -n 's/^go \([0-9.]*\).*/\1/p' "$gomod")" "$KARMADA_VERSION" > go.mod
  fi
  # go.sum needs every cmd package's dependencies before go build
  pkgs=()
  for c in "${KARMADA_CMDS[@]}"; do pkgs+=("github.com/karmada-io/karmada/cmd/${c%%:*}@v$KARMADA_VERSION"); done
  go get "${pkgs[@]}" >&2
  ldflags="-s -w -X github.com/karmada-io/karmada/pkg/version.gitVersion=v$KARMADA_VERSION"
  for c in "${karmada_missing[@]}"; do
    log "building ${c#*:} v$KARMADA_VERSION"
    go build -tags "$KARMADA_TAGS" -ldflags "$ldflags" -o "$BIN/${c#*:}" "github.com/karmada-io/karmada/cmd/${c%%:*}" >&2
    done_ "${c#*:}" "$KARMADA_KEY"
  done
fi

# The Go reference's own PKI generation, timed by the benchmarks (bench/go/pkigen).
PKIGEN_SRC="$REPO/bench/go/pkigen/main.go"
PKIGEN_SUM="$KARMADA_VERSION-$(sha256sum "$PKIGEN_SRC" | cut -c1-12)"
if want karmada-pkigen "$PKIGEN_SUM"; then
  W="$CACHE/src/karmada-$KARMADA_VERSION"
  mkdir -p "$W/pkigen" && cp "$PKIGEN_SRC" "$W/pkigen/main.go"
  cd "$W"
  log "building karmada-pkigen (bench)"
  go build -o "$BIN/karmada-pkigen" ./pkigen >&2
  done_ karmada-pkigen "$PKIGEN_SUM"
fi

echo "$BIN"
