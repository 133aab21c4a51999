#!/usr/bin/env bash
# Usage: e2e/images/build.sh [--force] [IMAGE...]
#   IMAGE: cp-zookeeper | cp-kafka | cp-kafka-7.8 | kafka | kafka-4.0 | kafka-ui-standin   (default: all)
#
# Builds local stand-ins for the official images, without any registry:
#   localhost/kafka-env/cp-zookeeper:7.9-local   (confluentinc/cp-zookeeper 7.9 contract)
#   localhost/kafka-env/cp-kafka:7.9-local       (confluentinc/cp-kafka 7.9, Kafka 3.9.x)
#   localhost/kafka-env/cp-kafka:7.8-local       (confluentinc/cp-kafka 7.8, Kafka 3.8.x: the ZooKeeper-mode upgrade test's start)
#   localhost/kafka-env/kafka:4.1-local          (apache/kafka 4.1, KRaft only)
#   localhost/kafka-env/kafka:4.0-local          (apache/kafka 4.0: the upgrade test's starting point)
# from a Debian bookworm root file system (mmdebstrap) plus Apache Kafka / ZooKeeper jars
# from Maven Central. See README.md beside this file for the contracts implemented.
#
# Idempotent: an image whose tag exists and whose inputs (scripts, versions, root file
# system) are unchanged is skipped (label io.kafka-env.inputs); --force rebuilds.
# Slow inputs are cached outside the repository under
# ${KAFKA_ENV_CACHE:-$HOME/.cache/kafka-env}/images/ (rootfs tarball, Maven jars).
# Uses podman directly, with the same storage and configuration as e2e/engine/start.sh, so
# the images are visible through its Docker API.
# Needs root and the packages of e2e/engine/install.sh.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${KAFKA_ENV_CACHE:-$HOME/.cache/kafka-env}/images
CP_KAFKA_VERSION=${KAFKA_ENV_CP_KAFKA_VERSION:-3.9.2}       # Kafka inside Confluent 7.9.x
APACHE_KAFKA_VERSION=${KAFKA_ENV_APACHE_KAFKA_VERSION:-4.1.2}
export CONTAINERS_CONF="$here/../engine/containers.conf"

REPO=localhost/kafka-env
IMG_ZK=$REPO/cp-zookeeper:7.9-local
IMG_CP=$REPO/cp-kafka:7.9-local
IMG_CPBASE=$REPO/cp-base:7.9-local
IMG_AK=$REPO/kafka:4.1-local
IMG_AK_PREVIOUS=$REPO/kafka:4.0-local
IMG_CP_PREVIOUS=$REPO/cp-kafka:7.8-local
IMG_CPBASE_PREVIOUS=$REPO/cp-base:7.8-local
PREVIOUS_CP_KAFKA_VERSION=${KAFKA_ENV_PREVIOUS_CP_KAFKA_VERSION:-3.8.1}
PREVIOUS_APACHE_KAFKA_VERSION=${KAFKA_ENV_PREVIOUS_APACHE_KAFKA_VERSION:-4.0.0}
LOG4J2_VERSION=2.24.3   # what the Apache Kafka 4.0 distribution ships (libs/log4j-core-2.24.3.jar)
IMG_UI=$REPO/kafka-ui-standin:1

log() { printf 'e2e/images/build: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
pm() { podman --cgroup-manager=cgroupfs --runtime runc "$@"; }

force=""
targets=()
for a in "$@"; do
  case "$a" in
    --force) force=1 ;;
    cp-zookeeper|cp-kafka|cp-kafka-7.8|kafka|kafka-4.0|kafka-ui-standin) targets+=("$a") ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) die "unknown argument: $a" ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(cp-zookeeper cp-kafka cp-kafka-7.8 kafka kafka-4.0 kafka-ui-standin)

[ "$(id -u)" -eq 0 ] || die "must run as root (mmdebstrap, rootful podman)"
for c in podman mmdebstrap mvn unzip sha256sum; do
  command -v "$c" >/dev/null 2>&1 || die "$c is missing (run e2e/engine/install.sh)"
done
mkdir -p "$CACHE"

# run_logged NAME CMD...: run quietly into $CACHE/logs/NAME.log, show its tail on failure
run_logged() {
  local name=$1; shift
  mkdir -p "$CACHE/logs"
  if ! "$@" >"$CACHE/logs/$name.log" 2>&1; then
    tail -n 40 "$CACHE/logs/$name.log" >&2
    die "$name failed (full log: $CACHE/logs/$name.log)"
  fi
}
timed() { local t0=$SECONDS; "$@"; log "  done in $((SECONDS - t0)) s"; }

# ---------------------------------------------------------------- root file system
MIRRORS=(
  "deb http://deb.debian.org/debian bookworm main"
  "deb http://deb.debian.org/debian bookworm-updates main"
  "deb http://deb.debian.org/debian-security bookworm-security main"
)
# shellcheck disable=SC2054  # the commas belong to --include
MMDEBSTRAP_ARGS=(
  --variant=essential
  --include=openjdk-17-jre-headless,bash,procps,netcat-openbsd,coreutils,tini
  # openjdk's postinst registers man pages with update-alternatives: keep the directory
  --setup-hook='mkdir -p "$1/usr/share/man/man1"'
  --dpkgopt='path-exclude=/usr/share/man/*'
  --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-exclude=/usr/share/info/*'
  --format=tar
)
ROOTFS_KEY=$(printf '%s\n' "${MMDEBSTRAP_ARGS[@]}" "${MIRRORS[@]}" | sha256sum | cut -c1-12)
ROOTFS_TAR=$CACHE/rootfs-bookworm-$ROOTFS_KEY.tar
IMG_BASE=$REPO/bookworm-jre17:$ROOTFS_KEY

ensure_rootfs() {
  [ -s "$ROOTFS_TAR" ] && return 0
  log "root file system: mmdebstrap bookworm -> $ROOTFS_TAR"
  rm -f "$ROOTFS_TAR.part"
  timed run_logged mmdebstrap mmdebstrap "${MMDEBSTRAP_ARGS[@]}" bookworm "$ROOTFS_TAR.part" "${MIRRORS[@]}" </dev/null
  mv "$ROOTFS_TAR.part" "$ROOTFS_TAR"
}

ensure_base() {
  if pm image exists "$IMG_BASE"; then return 0; fi
  ensure_rootfs
  log "base image: podman import -> $IMG_BASE"
  timed run_logged import pm import --change 'CMD ["/bin/bash"]' "$ROOTFS_TAR" "$IMG_BASE"
}

# ---------------------------------------------------------------- Maven jars
# ensure_jars VERSION: $CACHE/jars/kafka-VERSION/libs holds the runtime classpath of the
# broker and of the tools (common/pom.xml), plus a logging binding to stdout. Its .complete
# holds a hash of the pom and the log4j2 version: a change of either fetches them again.
ensure_jars() {
  local v=$1 dir=$CACHE/jars/kafka-$1 key
  key=$({ cat "$here/common/pom.xml"; echo "log4j2=$LOG4J2_VERSION"; } | sha256sum | cut -c1-16)
  [ "$(cat "$dir/.complete" 2>/dev/null)" = "$key" ] && return 0
  log "jars: Kafka $v from Maven Central -> $dir"
  local t0=$SECONDS
  rm -rf "$dir"; mkdir -p "$dir"
  cp "$here/common/pom.xml" "$dir/pom.xml"
  local mvn=(mvn -B -q -f "$dir/pom.xml" -Drevision="$v" -Dmaven.repo.local="$CACHE/m2")
  run_logged "mvn-$v" "${mvn[@]}" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$dir/libs"
  # Logging binding: Kafka 3.9 depends on slf4j-reload4j already; Kafka 4.x logs with
  # log4j2 but its POMs carry no SLF4J binding (the distribution adds log4j-slf4j-impl), and
  # 4.0's carry no log4j2 at all: then the log4j2 release the 4.0 distribution ships.
  if ! compgen -G "$dir/libs/slf4j-reload4j-*.jar" >/dev/null; then
    local core artifacts=(log4j-slf4j-impl) a
    core=$(ls "$dir/libs" | sed -n 's/^log4j-core-\(.*\)\.jar$/\1/p')
    if [ -z "$core" ]; then core=$LOG4J2_VERSION; artifacts=(log4j-api log4j-core log4j-slf4j-impl); fi
    for a in "${artifacts[@]}"; do
      run_logged "mvn-$v-$a" "${mvn[@]}" dependency:copy \
        -Dartifact="org.apache.logging.log4j:$a:$core" -DoutputDirectory="$dir/libs"
    done
  fi
  for j in "$dir"/libs/*.jar; do unzip -Z1 "$j"; done | grep '\.class$' | LC_ALL=C sort -u >"$dir/classes.txt"
  echo "$key" >"$dir/.complete"
  log "  done in $((SECONDS - t0)) s ($(ls "$dir/libs" | wc -l) jars, $(du -sh "$dir/libs" | cut -f1))"
}

# ---------------------------------------------------------------- build contexts
# write_tools DIR IMAGES SUFFIX RUNNER CLASSES_TXT: in DIR, a wrapper script NAME+SUFFIX
# (common/kafka-tool.in) for each tool of common/tools that IMAGES (cp or apache) has,
# running the first of its main classes that the jars (CLASSES_TXT) hold.
write_tools() {
  local dir=$1 images=$2 suffix=$3 runner=$4 classes=$5 name where candidates class c
  while read -r name where candidates; do
    case $name in '' | '#'*) continue ;; esac
    [[ ",$where," == *",$images,"* ]] || continue
    class=""
    for c in $candidates; do
      if grep -qx "${c//.//}.class" "$classes"; then class=$c; break; fi
    done
    [ -n "$class" ] || die "no main class of $name ($candidates) in the jars"
    sed -e "s|@NAME@|$name$suffix|" -e "s|@RUNNER@|$runner|" -e "s|@CLASS@|$class|" \
      "$here/common/kafka-tool.in" >"$dir/$name$suffix"
    chmod 755 "$dir/$name$suffix"
  done <"$here/common/tools"
}

# render_run_class OUT LIBS TOOLS_LOG4J_OPTS
render_run_class() {
  sed -e "s|@LIBS@|$2|g" -e "s|@TOOLS_LOG4J_OPTS@|$3|g" "$here/common/kafka-run-class.in" >"$1"
  chmod 755 "$1"
}

# inputs_hash DIR...: hash of the files (names + contents) of the given dirs and of $*
inputs_hash() {
  local extra=$1; shift
  { printf '%s\n' "$extra"
    find "$here/build.sh" "$@" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sed "s|$here/||"
  } | sha256sum | cut -c1-16
}

# build_image TAG CONTEXT INPUTS_HASH FROM_IMAGE
build_image() {
  local tag=$1 ctx=$2 hash=$3 from=$4 t0=$SECONDS old
  log "image: $tag"
  old=$(pm image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
  run_logged "build-$(basename "$ctx")" pm build --layers --pull=never \
    --label "io.kafka-env.inputs=$hash" --build-arg "BASE=$from" -t "$tag" "$ctx"
  # drop the image this tag named before (kept while a container still uses it)
  if [ -n "$old" ] && [ "$old" != "$(pm image inspect --format '{{.Id}}' "$tag")" ]; then
    pm rmi "$old" >/dev/null 2>&1 || true
  fi
  log "  done in $((SECONDS - t0)) s"
}

# up_to_date TAG HASH
up_to_date() {
  [ -z "$force" ] || return 1
  pm image exists "$1" || return 1
  [ "$(pm image inspect --format '{{index .Labels "io.kafka-env.inputs"}}' "$1" 2>/dev/null)" = "$2" ]
}

ctx_root=$CACHE/contexts
fresh_ctx() { rm -rf "${ctx_root:?}/${1:?}"; mkdir -p "$ctx_root/$1"; echo "$ctx_root/$1"; }
link_libs() { cp -al "$1" "$2" 2>/dev/null || cp -a "$1" "$2"; }

# cp-base: Confluent-style layout shared by cp-kafka and cp-zookeeper
# (/usr/share/java/kafka, commands in /usr/bin, configuration in /etc/kafka, appuser 1000)
cp_base_hash() { inputs_hash "base=$IMG_BASE kafka=$CP_KAFKA_VERSION" "$here/common" "$here/cp-base"; }
ensure_cp_base() {
  local hash; hash=$(cp_base_hash)
  up_to_date "$IMG_CPBASE" "$hash" && return 0
  ensure_base; ensure_jars "$CP_KAFKA_VERSION"
  local jars=$CACHE/jars/kafka-$CP_KAFKA_VERSION ctx
  ctx=$(fresh_ctx cp-base)
  cp -a "$here/cp-base/." "$ctx/"
  link_libs "$jars/libs" "$ctx/libs"
  render_run_class "$ctx/bin/kafka-run-class" /usr/share/java/kafka \
    "-Dlog4j.configuration=file:/etc/kafka/tools-log4j.properties"
  write_tools "$ctx/bin" cp "" kafka-run-class "$jars/classes.txt"
  chmod 755 "$ctx/bin/"*
  grep -qx 'kafka/Kafka.class' "$jars/classes.txt" || die "kafka.Kafka not in the jars"
  grep -qx 'org/apache/zookeeper/server/quorum/QuorumPeerMain.class' "$jars/classes.txt" ||
    die "ZooKeeper (QuorumPeerMain) not in the jars"
  build_image "$IMG_CPBASE" "$ctx" "$hash" "$IMG_BASE"
}

build_cp() {   # cp-kafka | cp-zookeeper
  local name=$1 tag hash ctx
  case $name in cp-kafka) tag=$IMG_CP ;; cp-zookeeper) tag=$IMG_ZK ;; esac
  hash=$(inputs_hash "cpbase=$(cp_base_hash)" "$here/cp-common" "$here/$name")
  if up_to_date "$tag" "$hash"; then log "image: $tag is up to date"; return 0; fi
  ensure_cp_base
  ctx=$(fresh_ctx "$name")
  cp -a "$here/cp-common/." "$here/$name/." "$ctx/"
  build_image "$tag" "$ctx" "$hash" "$IMG_CPBASE"
}

build_apache() {
  local hash ctx jars
  hash=$(inputs_hash "base=$IMG_BASE kafka=$APACHE_KAFKA_VERSION" "$here/common" "$here/kafka")
  if up_to_date "$IMG_AK" "$hash"; then log "image: $IMG_AK is up to date"; return 0; fi
  ensure_base; ensure_jars "$APACHE_KAFKA_VERSION"
  jars=$CACHE/jars/kafka-$APACHE_KAFKA_VERSION
  ctx=$(fresh_ctx kafka)
  cp -a "$here/kafka/." "$ctx/"
  link_libs "$jars/libs" "$ctx/libs"
  render_run_class "$ctx/bin/kafka-run-class.sh" /opt/kafka/libs \
    "-Dlog4j2.configurationFile=/opt/kafka/config/tools-log4j2.yaml"
  write_tools "$ctx/bin" apache .sh /opt/kafka/bin/kafka-run-class.sh "$jars/classes.txt"
  chmod 755 "$ctx/bin/"*
  grep -qx 'kafka/docker/KafkaDockerWrapper.class' "$jars/classes.txt" || die "kafka.docker.KafkaDockerWrapper not in the jars"
  build_image "$IMG_AK" "$ctx" "$hash" "$IMG_BASE"
}

build_ui_standin() {   # a container that answers its health endpoint, on the root file system already built
  local hash ctx
  ensure_base
  hash=$(inputs_hash "base=$IMG_BASE" "$here/kafka-ui-standin")
  if up_to_date "$IMG_UI" "$hash"; then log "image: $IMG_UI is up to date"; return 0; fi
  ctx=$(fresh_ctx kafka-ui-standin)
  cp -a "$here/kafka-ui-standin/." "$ctx/"
  build_image "$IMG_UI" "$ctx" "$hash" "$IMG_BASE"
}

t_all=$SECONDS
for t in "${targets[@]}"; do
  case $t in
    cp-kafka|cp-zookeeper) build_cp "$t" ;;
    cp-kafka-7.8) CP_KAFKA_VERSION=$PREVIOUS_CP_KAFKA_VERSION IMG_CPBASE=$IMG_CPBASE_PREVIOUS IMG_CP=$IMG_CP_PREVIOUS build_cp cp-kafka ;;
    kafka) build_apache ;;
    # The release before, for the day-2 upgrade test (e2e/day2/steps.ts): same recipe, older jars.
    kafka-4.0) APACHE_KAFKA_VERSION=$PREVIOUS_APACHE_KAFKA_VERSION IMG_AK=$IMG_AK_PREVIOUS build_apache ;;
    kafka-ui-standin) build_ui_standin ;;
  esac
done
log "all requested images ready ($((SECONDS - t_all)) s)"
