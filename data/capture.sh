#!/bin/sh
# brsec capture script: prints one brsec snapshot/1 document about the Bottlerocket host it runs on.
# It only reads: it never changes a setting, and never enables the admin container.
#
# Where it runs decides what it captures, because every capture must describe the host, never a container:
#   control container (SSM Run Command): the apiclient captures and what the container sees of the host
#       kernel (/proc/cmdline, /proc/modules, sysctls, lockdown, SELinux and FIPS mode), and on FIPS variants
#       bloodhound's FIPS report; the rest through the admin
#       container, only when that is already enabled and running.
#   admin container, sheltie, or a privileged pod with hostPID: everything, in the host's namespaces
#       (nsenter -t 1 -a).
#   a pod with the host's root mounted (--root /host): everything below that root, host commands by chroot.
# A command that is missing or fails is recorded with its exit code and stderr, never dropped.
#
# Usage: sh capture.sh [--root DIR] [--payload json|gzip-base64] [--run ID] [--chunk-size N]
#   --payload gzip-base64  print a compressed payload, split in chunks for SSM's 24,000-character output
#                          limit; the first chunk is printed, the rest are kept in /tmp/brsec-<run>.b64.
set -u

ROOT=""
KERNEL_ROOT=""
PAYLOAD=json
RUN=""
CHUNK=23000
while [ $# -gt 0 ]; do
  case "$1" in
    --root) ROOT=$2; shift 2 ;;
    --kernel-root) KERNEL_ROOT=$2; shift 2 ;;
    --payload) PAYLOAD=$2; shift 2 ;;
    --run) RUN=$2; shift 2 ;;
    --chunk-size) CHUNK=$2; shift 2 ;;
    *) echo "brsec capture: unknown argument: $1" >&2; exit 2 ;;
  esac
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/brsec.XXXXXX") || { echo "brsec capture: cannot make a temporary directory" >&2; exit 4; }
trap 'rm -rf "$WORK"' EXIT INT TERM

# How host commands run: in the host's namespaces, below a mounted host root, or (the control container)
# not at all except through the admin container.
if [ -n "$ROOT" ]; then
  if [ "${BRSEC_TEST_NO_CHROOT:-}" = 1 ]; then VIA=prefix; else VIA=chroot; fi
elif [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] && command -v nsenter >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  VIA=nsenter
elif [ -e /.bottlerocket/host-containers/current ] || [ -e /etc/bottlerocket-release ]; then
  VIA=control
else
  VIA=direct
fi

is_bottlerocket() {
  for f in "$ROOT/etc/os-release" /etc/bottlerocket-release; do
    if [ -f "$f" ] && grep -q '^ID=bottlerocket' "$f" 2>/dev/null; then return 0; fi
  done
  command -v apiclient >/dev/null 2>&1 && apiclient get os >/dev/null 2>&1
}
if ! is_bottlerocket; then
  echo "brsec capture: not a Bottlerocket host (no ID=bottlerocket in os-release, no apiclient)" >&2
  exit 3
fi

if command -v jq >/dev/null 2>&1; then ENCODING=json; elif command -v base64 >/dev/null 2>&1; then ENCODING=base64; else
  echo "brsec capture: needs jq or base64" >&2
  exit 4
fi

json_string() { # file -> JSON string on stdout
  jq -Rs . <"$1"
}

b64() { # file -> base64 on one line
  base64 <"$1" | tr -d '\n'
}

FIRST=1
emit() { # json-key out-file err-file exit-code
  if [ "$FIRST" = 1 ]; then FIRST=0; else printf ',\n' >>"$WORK/captures"; fi
  if [ "$ENCODING" = json ]; then
    printf '%s: {"stdout": %s, "stderr": %s, "exitCode": %s}' "$1" "$(json_string "$2")" "$(json_string "$3")" "$4" >>"$WORK/captures"
  else
    printf '%s: {"encoding": "base64", "stdout": "%s", "stderr": "%s", "exitCode": %s}' "$1" "$(b64 "$2")" "$(b64 "$3")" "$4" >>"$WORK/captures"
  fi
}

# Runs a command where it reads the host; records what it printed under the JSON key.
# Usage: capture <json-key> <where: api|kernel|host> <command...>
capture() {
  key=$1 where=$2
  shift 2
  out="$WORK/out" err="$WORK/err"
  : >"$out"
  : >"$err"
  if ! command -v "$1" >/dev/null 2>&1 && [ "$where" != host ]; then
    echo "$1: command not found" >"$err"
    emit "$key" "$out" "$err" 127
    return
  fi
  case "$where:$VIA" in
    api:* | kernel:*) "$@" >"$out" 2>"$err" ;;
    host:nsenter) nsenter -t 1 -a -- "$@" >"$out" 2>"$err" ;;
    host:chroot) chroot "$ROOT" "$@" >"$out" 2>"$err" ;;
    host:prefix | host:direct)
      if command -v "$1" >/dev/null 2>&1; then "$@" >"$out" 2>"$err"; else echo "$1: command not found" >"$err"; (exit 127); fi ;;
    host:control)
      if [ "$ADMIN" = 1 ]; then
        apiclient exec -T admin nsenter -t 1 -a -- "$@" >"$out" 2>"$err"
      else
        # Not recorded: from the control container this would describe the container, not the host.
        return
      fi ;;
  esac
  code=$?
  # find and stat print the paths they were given: below a mounted root, show the host's own paths.
  if [ "${PATHS_BELOW_ROOT:-0}" = 1 ]; then
    sed "s#^\([0-7]* [^ ]* [^ ]* \)$ROOT/#\1/#" "$out" >"$out.host" && mv "$out.host" "$out"
  fi
  emit "$key" "$out" "$err" "$code"
}

# A file of the host: below the mounted root, or through the host's namespaces.
capture_file() { # json-key path
  case "$VIA" in
    prefix | chroot | direct) capture "$1" api cat "$ROOT$2" ;;
    *) capture "$1" host cat "$2" ;;
  esac
}

ADMIN=0
PATHS_BELOW_ROOT=0
if [ "$VIA" = control ] && command -v apiclient >/dev/null 2>&1; then
  # Only an admin container that is already enabled, and running, is used; it is never enabled here.
  if apiclient get settings.host-containers.admin.enabled 2>/dev/null | grep -q 'true' &&
    apiclient exec -T admin true >/dev/null 2>&1; then
    ADMIN=1
  fi
fi

capture '"apiclient get"' api apiclient get
cp "$WORK/out" "$WORK/apiclient-get"
capture '"apiclient update check"' api apiclient update check
capture '"apiclient report cis -f json -l 2"' api apiclient report cis -f json -l 2
KUBERNETES=0
if grep -q '"variant_id": *"[^"]*k8s' "$WORK/apiclient-get" 2>/dev/null; then
  KUBERNETES=1
  capture '"apiclient report cis-k8s -f json -l 2"' api apiclient report cis-k8s -f json -l 2
fi
# bloodhound's FIPS checks are installed on FIPS variants only; elsewhere the report is an error.
if grep -q '"variant_id": *"[^"]*-fips"' "$WORK/apiclient-get" 2>/dev/null; then
  capture '"apiclient report fips -f json"' api apiclient report fips -f json
fi

# The host kernel, which every container on it shares.
capture '"cat /proc/cmdline"' kernel cat "$KERNEL_ROOT/proc/cmdline"
capture '"cat /sys/kernel/security/lockdown"' kernel cat "$KERNEL_ROOT/sys/kernel/security/lockdown"
capture '"cat /sys/fs/selinux/enforce"' kernel cat "$KERNEL_ROOT/sys/fs/selinux/enforce"
capture '"cat /proc/sys/crypto/fips_enabled"' kernel cat "$KERNEL_ROOT/proc/sys/crypto/fips_enabled"
capture '"cat /proc/modules"' kernel cat "$KERNEL_ROOT/proc/modules"
capture '"sysctl -a"' kernel sysctl -a

# The host's own files and tools.
capture '"sestatus"' host sestatus
capture '"modprobe -n -v udf"' host modprobe -n -v udf
capture '"modprobe -n -v sctp"' host modprobe -n -v sctp
capture '"iptables -L -v -n"' host iptables -L -v -n
capture '"ip6tables -L -v -n"' host ip6tables -L -v -n
capture '"systemctl show --property ActiveState chronyd"' host systemctl show --property ActiveState chronyd
# Kernel audit rules are global: any container with CAP_AUDIT_CONTROL and auditctl lists the host's.
capture '"auditctl -l"' api auditctl -l
capture_file '"cat /etc/chrony.conf"' /etc/chrony.conf
capture_file '"cat /usr/lib/systemd/journald.conf.d/journald.conf"' /usr/lib/systemd/journald.conf.d/journald.conf
JOURNAL_KEY='"find /var/log/journal -type f -printf '"'"'%m %u %g %p\\n'"'"'"'
if [ "$VIA" = prefix ]; then
  PATHS_BELOW_ROOT=1
  capture "$JOURNAL_KEY" api find "$ROOT/var/log/journal" -type f -printf '%m %u %g %p\n'
  PATHS_BELOW_ROOT=0
else
  capture "$JOURNAL_KEY" host find /var/log/journal -type f -printf '%m %u %g %p\n'
fi
if [ "$KUBERNETES" = 1 ]; then
  capture_file '"cat /etc/kubernetes/kubelet/config"' /etc/kubernetes/kubelet/config
  STAT_KEY='"stat -c '"'"'%a %u %g %n'"'"' /etc/systemd/system/kubelet.service.d/exec-start.conf /etc/kubernetes/kubelet/kubeconfig /etc/kubernetes/pki/ca.crt /etc/kubernetes/kubelet/config"'
  if [ "$VIA" = prefix ]; then
    PATHS_BELOW_ROOT=1
    capture "$STAT_KEY" api stat -c '%a %u %g %n' "$ROOT/etc/systemd/system/kubelet.service.d/exec-start.conf" \
      "$ROOT/etc/kubernetes/kubelet/kubeconfig" "$ROOT/etc/kubernetes/pki/ca.crt" "$ROOT/etc/kubernetes/kubelet/config"
    PATHS_BELOW_ROOT=0
  else
    capture "$STAT_KEY" host stat -c '%a %u %g %n' /etc/systemd/system/kubelet.service.d/exec-start.conf \
      /etc/kubernetes/kubelet/kubeconfig /etc/kubernetes/pki/ca.crt /etc/kubernetes/kubelet/config
  fi
  # kube-proxy from a file on the host (rare: it is usually a DaemonSet); "No such file" is recorded and means none.
  capture_file '"cat /etc/kubernetes/kube-proxy/kube-proxy.conf"' /etc/kubernetes/kube-proxy/kube-proxy.conf
  PROXY_STAT_KEY='"stat -c '"'"'%a %u %g %n'"'"' /etc/kubernetes/kube-proxy/kube-proxy.conf"'
  if [ "$VIA" = prefix ]; then
    PATHS_BELOW_ROOT=1
    capture "$PROXY_STAT_KEY" api stat -c '%a %u %g %n' "$ROOT/etc/kubernetes/kube-proxy/kube-proxy.conf"
    PATHS_BELOW_ROOT=0
  else
    capture "$PROXY_STAT_KEY" host stat -c '%a %u %g %n' /etc/kubernetes/kube-proxy/kube-proxy.conf
  fi
fi

HOSTNAME_NOW=$(cat /proc/sys/kernel/hostname 2>/dev/null || echo unknown)
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
{
  printf '{"brsec": "snapshot/1", "host": {"id": "%s"}, "collectedAt": "%s",\n' "$HOSTNAME_NOW" "$NOW"
  printf ' "collector": {"name": "brsec-capture", "via": "%s", "encoding": "%s"},\n "captures": {\n' "$VIA" "$ENCODING"
  cat "$WORK/captures"
  printf '\n}}\n'
} >"$WORK/snapshot.json"

if [ "$PAYLOAD" = json ]; then
  cat "$WORK/snapshot.json"
  exit 0
fi

# SSM: compress, and print the first chunk; the collector asks for the others by number.
[ -n "$RUN" ] || RUN=$$
KEEP="/tmp/brsec-$RUN.b64"
if command -v gzip >/dev/null 2>&1; then
  gzip -9 -c "$WORK/snapshot.json" | base64 | tr -d '\n' >"$KEEP"
  FORMAT=gzip+base64
else
  base64 <"$WORK/snapshot.json" | tr -d '\n' >"$KEEP"
  FORMAT=base64
fi
LENGTH=$(wc -c <"$KEEP" | tr -d ' ')
CHUNKS=$(((LENGTH + CHUNK - 1) / CHUNK))
printf 'brsec-payload/1 %s length=%s chunks=%s chunk-size=%s run=%s\n' "$FORMAT" "$LENGTH" "$CHUNKS" "$CHUNK" "$RUN"
cut -c "1-$CHUNK" "$KEEP"
if [ "$CHUNKS" -le 1 ]; then rm -f "$KEEP"; fi
