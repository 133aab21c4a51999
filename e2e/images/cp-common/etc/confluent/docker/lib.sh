# kafka-env local image: helpers for the /etc/confluent/docker scripts (sourced).

# fail PARTS...: print an error and stop the container
fail() { echo "ERROR: $*" >&2; exit 1; }

# ensure VAR: the variable must be set and not empty
ensure() { [ -n "${!1-}" ] || fail "$1 is required."; }

# writable PATH
writable() { [ -w "$1" ] || fail "$1 is not writable (running as $(id -un), uid $(id -u))."; }

# env_to_props ENV_PREFIX PROP_PREFIX [EXCLUDED_VAR...]
# Prints PROP_PREFIX<name>=<value> for each exported variable ENV_PREFIX<NAME>, where
# <name> is NAME lower-cased with "___" -> "-", "__" -> "_" and any other "_" -> ".".
env_to_props() {
  local prefix=$1 pprefix=$2 name key e
  shift 2
  local -A skip=()
  for e in "$@"; do skip[$e]=1; done
  while IFS= read -r name; do
    [[ $name == "$prefix"?* ]] || continue
    [ -z "${skip[$name]-}" ] || continue
    key=${name#"$prefix"}
    key=${key,,}
    key=${key//___/$'\x01'}
    key=${key//__/$'\x02'}
    key=${key//_/.}
    key=${key//$'\x01'/-}
    key=${key//$'\x02'/_}
    printf '%s%s=%s\n' "$pprefix" "$key" "${!name}"
  done < <(compgen -e | LC_ALL=C sort)
}

# listeners_from ADVERTISED: same listeners with every host replaced by 0.0.0.0
listeners_from() { printf '%s' "$1" | sed -e 's|://[^:]*:|://0.0.0.0:|g'; }

# log4j_props ROOT_LEVEL LOGGERS_OVERRIDES [DEFAULT name=level ...]
# log4j 1.x (reload4j) configuration logging to stdout
log4j_props() {
  local root=$1 overrides=$2 kv
  shift 2
  local -A levels=()
  local -a order=()
  for kv in "$@" ${overrides//,/ }; do
    [[ $kv == *=* ]] || continue
    [ -n "${levels[${kv%%=*}]-}" ] || order+=("${kv%%=*}")
    levels[${kv%%=*}]=${kv#*=}
  done
  echo "log4j.rootLogger=$root, stdout"
  echo "log4j.appender.stdout=org.apache.log4j.ConsoleAppender"
  echo "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout"
  echo "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n"
  for kv in "${order[@]}"; do echo "log4j.logger.$kv=${levels[$kv]}"; done
}

# tools_log4j_props LEVEL: tools log to stderr
tools_log4j_props() {
  echo "log4j.rootLogger=$1, stderr"
  echo "log4j.appender.stderr=org.apache.log4j.ConsoleAppender"
  echo "log4j.appender.stderr.layout=org.apache.log4j.PatternLayout"
  echo "log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n"
  echo "log4j.appender.stderr.Target=System.err"
}

# jmx_launch_opts: JMX settings of the Confluent launch scripts (only with KAFKA_JMX_PORT)
jmx_launch_opts() {
  if [ -n "${KAFKA_JMX_PORT-}" ]; then
    local host=${KAFKA_JMX_HOSTNAME:-$(hostname -i | cut -d' ' -f1)}
    export JMX_PORT=$KAFKA_JMX_PORT
    export KAFKA_JMX_OPTS="${KAFKA_JMX_OPTS:--Dcom.sun.management.jmxremote=true -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false} -Djava.rmi.server.hostname=$host -Dcom.sun.management.jmxremote.local.only=false -Dcom.sun.management.jmxremote.rmi.port=$JMX_PORT"
  fi
}
