#!/usr/bin/env bash
# Start/stop a LocalStack instance for the fanout test suite and CI.
#
# Usage: bash scripts/localstack.sh start|stop|status|env
#
#   start   Make LocalStack available and print its endpoint URL as the last
#           stdout line (e.g. http://127.0.0.1:4566). Idempotent: if the
#           instance started earlier from this checkout is healthy, it is reused.
#             1. LOCALSTACK_ENDPOINT set  -> only wait for health there.
#             2. a Docker engine answers  -> run localstack/localstack:4.14.0,
#                                            published on 127.0.0.1:PORT.
#             3. Python >= 3.12           -> "host mode": a venv in
#                .localstack/venv with localstack-core==4.14.0 (pinned,
#                reused between runs), run in the background.
#           Neither Docker nor Python: loud message on stderr, exit 3
#           (exit 1 instead when REQUIRE_LOCALSTACK=1).
#   stop    Stop exactly what `start` started (pid file / container name).
#           Idempotent.
#   status  Print the endpoint and exit 0 if it is up; exit 1 otherwise.
#   env     Print `export ...` lines for the AWS SDK (endpoint, region, dummy
#           credentials):  eval "$(bash scripts/localstack.sh env)"
#
# Settings (environment):
#   LOCALSTACK_ENDPOINT       use an already running LocalStack at this URL
#   LOCALSTACK_SERVICES       SERVICES to enable (default: sqs). Anything other
#                             than plain "sqs" installs the larger `runtime`
#                             extra (moto etc., needed e.g. by sts/cloudformation)
#   LOCALSTACK_PORT           preferred port (default 4566; another free port is
#                             picked if it is taken)
#   LOCALSTACK_MODE           auto (default) | host | docker
#   LOCALSTACK_PYTHON         Python interpreter for host mode (>= 3.12; found
#                             automatically incl. non-active pyenv versions)
#   LOCALSTACK_DIR            state dir (default: <repo>/.localstack)
#   LOCALSTACK_VENV           venv for host mode (default: $LOCALSTACK_DIR/venv);
#                             point it outside the checkout to share one venv
#                             between clones (saves the ~20 s install)
#   LOCALSTACK_START_TIMEOUT  seconds to wait for health (default 120)
#   LOCALSTACK_STOP_TIMEOUT   grace period before SIGKILL (default 15)
#   REQUIRE_LOCALSTACK=1      turn "unavailable" (exit 3) into a failure (exit 1)
#
# Exit codes: 0 ok, 1 failure, 2 usage, 3 LocalStack unavailable here (skip).

set -euo pipefail

LS_VERSION="4.14.0"
LS_IMAGE="localstack/localstack:${LS_VERSION}"
EXIT_UNAVAILABLE=3

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "${SCRIPT_DIR}/.." && pwd)"
LS_DIR="${LOCALSTACK_DIR:-${REPO_ROOT}/.localstack}"
STATE_DIR="${LS_DIR}/state"
VENV_DIR="${LOCALSTACK_VENV:-${LS_DIR}/venv}"
LOG_FILE="${LS_DIR}/localstack.log"
PIP_LOG="${LS_DIR}/pip.log"

SERVICES_WANTED="${LOCALSTACK_SERVICES:-sqs}"
PREFERRED_PORT="${LOCALSTACK_PORT:-4566}"
MODE="${LOCALSTACK_MODE:-auto}"
START_TIMEOUT="${LOCALSTACK_START_TIMEOUT:-120}"
STOP_TIMEOUT="${LOCALSTACK_STOP_TIMEOUT:-15}"

# One container name per checkout, so two clones on one machine do not collide.
CONTAINER_NAME="fanout-localstack-$(printf '%s' "${REPO_ROOT}" | cksum | cut -d' ' -f1)"

log() { printf 'localstack.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Versions resolved for localstack-core[runtime]==4.14.0 with only releases
# available on its release day (2026-02-26); same result for Python 3.11-3.13. Used as pip
# constraints: the unpinned upstream ranges pick up newer releases that break
# 4.14.0 (e.g. cbor2 6.x removed cbor2._decoder -> "No component plugins found
# in namespace localstack.runtime.components"). A superset of base-runtime.
constraints() {
	cat <<'EOF'
airspeed-ext==0.6.9
annotated-types==0.7.0
antlr4-python3-runtime==4.13.2
apispec==6.9.0
argparse==1.4.0
asn1crypto==1.5.1
attrs==25.4.0
aws-sam-translator==1.107.0
aws-xray-sdk==2.15.0
awscli==1.44.44
awscrt==0.31.2
boto3==1.42.54
botocore==1.42.54
cachetools==7.0.1
cbor2==5.8.0
certifi==2026.2.25
cffi==2.0.0
cfn-lint==1.45.0
charset-normalizer==3.4.4
click==8.3.1
colorama==0.4.6
constantly==23.10.4
crontab==1.0.5
cryptography==46.0.5
decorator==5.2.1
dill==0.3.6
dnslib==0.9.26
dnspython==2.8.0
docker==7.1.0
docutils==0.19
events==0.5
graphql-core==3.2.7
grpcio==1.78.0
h11==0.16.0
h2==4.3.0
hpack==4.1.0
hypercorn==0.18.0
hyperframe==6.1.0
hyperlink==21.0.0
idna==3.11
incremental==24.11.0
isodate==0.7.2
jinja2==3.1.6
jmespath==1.1.0
joserfc==1.6.3
jpype1==1.6.0
jsonpatch==1.33
jsonpath-ng==1.8.0
jsonpath-rw==1.4.0
jsonpointer==3.0.0
jsonschema==4.26.0
jsonschema-path==0.3.4
jsonschema-specifications==2025.9.1
kclpy-ext==3.0.5
lazy-object-proxy==1.12.0
localstack-core==4.14.0
localstack-twisted==25.5.0
markdown-it-py==4.0.0
markupsafe==3.0.3
mdurl==0.1.2
more-itertools==10.8.0
moto-ext==5.1.24
mpmath==1.3.0
multipart==1.3.0
networkx==3.6.1
openapi-core==0.22.0
openapi-schema-validator==0.6.3
openapi-spec-validator==0.7.2
opensearch-protobufs==0.19.0
opensearch-py==3.1.0
packaging==26.0
pathable==0.4.4
plux==1.14.0
ply==3.11
priority==1.3.0
protobuf==6.33.5
psutil==7.2.2
py-partiql-parser==0.6.3
pyasn1==0.6.2
pycparser==3.0
pydantic==2.12.5
pydantic-core==2.41.5
pygments==2.19.2
pymongo==4.16.0
pyopenssl==25.3.0
pyparsing==3.3.2
python-dateutil==2.9.0.post0
python-dotenv==1.2.1
pyyaml==6.0.3
readerwriterlock==1.0.9
referencing==0.36.2
regex==2026.2.19
requests==2.32.5
requests-aws4auth==1.3.1
responses==0.26.0
rfc3339-validator==0.1.4
rich==14.3.3
rolo==0.8.1
rpds-py==0.30.0
rsa==4.7.2
s3transfer==0.16.0
semver==3.0.4
setuptools==82.0.0
six==1.17.0
sympy==1.14.0
typing-extensions==4.15.0
typing-inspection==0.4.2
urllib3==2.6.3
werkzeug==3.1.6
wrapt==2.1.1
wsproto==1.3.2
xmltodict==1.0.4
zope-interface==8.2
EOF
}

usage() {
	sed -n '2,/^$/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

unavailable() {
	{
		echo "##########################################################################"
		echo "# LocalStack is NOT available on this machine:"
		echo "#   $*"
		echo "# Needs a Docker engine, or Python >= 3.12 with the venv module"
		echo "# (Debian: apt-get install python3-venv), or LOCALSTACK_ENDPOINT=<url>."
		echo "##########################################################################"
	} >&2
	if [ "${REQUIRE_LOCALSTACK:-}" = "1" ]; then
		log "REQUIRE_LOCALSTACK=1: failing"
		exit 1
	fi
	exit "${EXIT_UNAVAILABLE}"
}

ensure_dirs() {
	mkdir -p "${STATE_DIR}"
	# Keep the whole directory out of git even without a root .gitignore entry.
	[ -f "${LS_DIR}/.gitignore" ] || printf '*\n' >"${LS_DIR}/.gitignore"
}

# ---------------------------------------------------------------- helpers ---

# http_get URL: body on stdout; non-zero if unreachable.
http_get() {
	if command -v curl >/dev/null 2>&1; then
		curl -fsS --max-time 3 "$1" 2>/dev/null
	elif command -v wget >/dev/null 2>&1; then
		wget -q -T 3 -O - "$1" 2>/dev/null
	elif [ -n "${PYTHON_BIN:-}" ]; then
		"${PYTHON_BIN}" - "$1" <<'EOF' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=3) as r:
    sys.stdout.write(r.read().decode())
EOF
	else
		return 1
	fi
}

# healthy ENDPOINT: 0 if every wanted service is "available" or "running",
# 2 if one reports "error" (only seen with eager loading), else 1.
healthy() {
	local body svc
	body="$(http_get "$1/_localstack/health")" || return 1
	for svc in ${SERVICES_WANTED//,/ }; do
		if grep -Eq "\"${svc}\": *\"error\"" <<<"${body}"; then
			log "service ${svc} reports \"error\" in ${1}/_localstack/health"
			return 2
		fi
		grep -Eq "\"${svc}\": *\"(available|running)\"" <<<"${body}" || return 1
	done
	return 0
}

# port_free PORT: nothing listens on 127.0.0.1:PORT.
port_free() {
	if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
		return 1
	fi
	if [ -n "${PYTHON_BIN:-}" ]; then
		# A bind test also catches listeners the connect test cannot see
		# (e.g. one bound to 0.0.0.0 that refuses loopback connections).
		"${PYTHON_BIN}" - "$1" <<'EOF' 2>/dev/null || return 1
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
EOF
	fi
	return 0
}

pick_port() {
	local p
	if port_free "${PREFERRED_PORT}"; then
		echo "${PREFERRED_PORT}"
		return
	fi
	if [ -n "${PYTHON_BIN:-}" ]; then
		"${PYTHON_BIN}" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
		return
	fi
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20000))
		if port_free "${p}"; then
			echo "${p}"
			return
		fi
	done
	die "no free port found"
}

# pid_alive PID: running and not a zombie.
pid_alive() {
	local state
	kill -0 "$1" 2>/dev/null || return 1
	if [ -r "/proc/$1/stat" ]; then
		state="$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)"
		[ "${state}" != "Z" ] || return 1
	fi
	return 0
}

# is_our_pid PID: alive and really the LocalStack we started (guards against
# pid reuse after a reboot or a crash).
is_our_pid() {
	pid_alive "$1" || return 1
	if [ -r "/proc/$1/cmdline" ]; then
		tr '\0' ' ' <"/proc/$1/cmdline" | grep -q "localstack.runtime.main" || return 1
	fi
	return 0
}

# signal_tree SIG PID: signal PID, and its process group when it leads one
# (start runs it under setsid, so the group is exactly what start launched).
signal_tree() {
	local pgrp=""
	[ -r "/proc/$2/stat" ] && pgrp="$(sed 's/^.*) //' "/proc/$2/stat" 2>/dev/null | cut -d' ' -f3)"
	if [ "${pgrp}" = "$2" ]; then
		kill "-$1" -- "-$2" 2>/dev/null || true
	else
		kill "-$1" "$2" 2>/dev/null || true
	fi
}

state_get() { cat "${STATE_DIR}/$1" 2>/dev/null || true; }
state_clear() { rm -f "${STATE_DIR}/pid" "${STATE_DIR}/endpoint" "${STATE_DIR}/mode" "${STATE_DIR}/container"; }

docker_ok() {
	command -v docker >/dev/null 2>&1 || return 1
	if command -v timeout >/dev/null 2>&1; then
		timeout 15 docker info >/dev/null 2>&1
	else
		docker info >/dev/null 2>&1
	fi
}

# python_ok PY: PY runs, is >= 3.12 and has venv + ensurepip.
# localstack-core 4.14.0 declares Requires-Python >=3.10 but uses PEP 695
# syntax (`class InterruptibleQueue[T](Queue)` in services/sqs/queue.py), so
# on 3.10/3.11 every SQS call fails with "invalid syntax (queue.py, line 5)".
python_ok() {
	"$1" -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

# find_python: sets PYTHON_BIN to a usable Python (3.13 preferred: the
# versions in constraints() are resolved for it). pyenv installs that are not
# the active version are found too (their shims refuse to run).
find_python() {
	local c
	PYTHON_BIN=""
	for c in ${LOCALSTACK_PYTHON:-} python3.13 python3.12 python3 python \
		"${PYENV_ROOT:-${HOME:-/root}/.pyenv}"/versions/3.13*/bin/python3 \
		"${PYENV_ROOT:-${HOME:-/root}/.pyenv}"/versions/3.12*/bin/python3 \
		/usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
		command -v "${c}" >/dev/null 2>&1 || continue
		if python_ok "${c}"; then
			PYTHON_BIN="$(command -v "${c}")"
			return 0
		fi
	done
	return 1
}

print_log_tail() {
	if [ -f "$1" ]; then
		log "last 40 lines of $1:"
		tail -n 40 "$1" >&2 || true
	fi
}

# wait_healthy ENDPOINT [PID|CONTAINER]: poll health until START_TIMEOUT.
wait_healthy() {
	local endpoint="$1" watch="${2:-}" deadline
	deadline=$((SECONDS + START_TIMEOUT))
	local rc
	while [ "${SECONDS}" -lt "${deadline}" ]; do
		rc=0
		healthy "${endpoint}" || rc=$?
		[ "${rc}" -eq 0 ] && return 0
		[ "${rc}" -eq 2 ] && return 1
		case "${watch}" in
		pid:*)
			pid_alive "${watch#pid:}" || { log "LocalStack process exited during startup"; return 1; }
			;;
		container:*)
			[ "$(docker inspect -f '{{.State.Running}}' "${watch#container:}" 2>/dev/null || true)" = "true" ] ||
				{ log "LocalStack container stopped during startup"; return 1; }
			;;
		esac
		sleep 0.5
	done
	log "timed out after ${START_TIMEOUT}s waiting for ${endpoint}/_localstack/health (services: ${SERVICES_WANTED})"
	return 1
}

# ------------------------------------------------------------- host mode ---

pip_extra() {
	if [ -n "${LOCALSTACK_PIP_EXTRA:-}" ]; then
		echo "${LOCALSTACK_PIP_EXTRA}"
	elif [ "${SERVICES_WANTED}" = "sqs" ]; then
		echo "base-runtime"
	else
		echo "runtime"
	fi
}

ensure_venv() {
	local extra marker_base marker_rt marker sum
	extra="$(pip_extra)"
	sum="$(constraints | cksum | cut -d' ' -f1)"
	marker_base="${VENV_DIR}/.fanout-base-runtime-${sum}"
	marker_rt="${VENV_DIR}/.fanout-runtime-${sum}"
	marker="${VENV_DIR}/.fanout-${extra}-${sum}"

	if python_ok "${VENV_DIR}/bin/python" && "${VENV_DIR}/bin/python" -c 'import localstack' 2>/dev/null; then
		if [ -f "${marker}" ] || { [ "${extra}" = "base-runtime" ] && [ -f "${marker_rt}" ]; }; then
			return 0
		fi
	fi
	# A broken venv, or one from a too-old Python, is rebuilt from scratch.
	if [ -d "${VENV_DIR}" ] && ! python_ok "${VENV_DIR}/bin/python"; then
		log "removing unusable venv ${VENV_DIR}"
		rm -rf "${VENV_DIR}"
	fi
	if [ ! -x "${VENV_DIR}/bin/python" ]; then
		log "creating venv ${VENV_DIR} ($("${PYTHON_BIN}" --version 2>&1))"
		"${PYTHON_BIN}" -m venv "${VENV_DIR}" >>"${PIP_LOG}" 2>&1 ||
			{ print_log_tail "${PIP_LOG}"; rm -rf "${VENV_DIR}"; die "could not create venv"; }
	fi
	constraints >"${LS_DIR}/constraints.txt"
	log "installing localstack-core[${extra}]==${LS_VERSION} into ${VENV_DIR} (log: ${PIP_LOG})"
	if ! "${VENV_DIR}/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
		-c "${LS_DIR}/constraints.txt" "localstack-core[${extra}]==${LS_VERSION}" >>"${PIP_LOG}" 2>&1; then
		print_log_tail "${PIP_LOG}"
		die "pip install of localstack-core[${extra}]==${LS_VERSION} failed"
	fi
	"${VENV_DIR}/bin/python" -c 'import localstack' || die "localstack not importable after install"
	rm -f "${marker_base}" "${marker_rt}"
	touch "${marker}"
}

start_host() {
	local port endpoint pid
	ensure_venv
	port="$(pick_port)"
	endpoint="http://127.0.0.1:${port}"
	[ "${port}" = "${PREFERRED_PORT}" ] || log "port ${PREFERRED_PORT} is taken, using ${port}"

	[ -f "${LOG_FILE}" ] && mv -f "${LOG_FILE}" "${LOG_FILE}.1"
	mkdir -p "${LS_DIR}/filesystem" "${LS_DIR}/cache"

	# DNS_ADDRESS=0: no DNS server (would bind port 53).
	# OVERRIDE_IN_DOCKER=0: /.dockerenv may exist; in-docker mode would rewrite
	#   /etc/resolv.conf and use /var/lib/localstack.
	# LOCALSTACK_HOST: host:port written into queue URLs (default would be
	#   localhost.localstack.cloud, which needs public DNS).
	# FILESYSTEM_ROOT / XDG_CACHE_HOME: keep LocalStack's dirs and plux's
	#   entry-point cache inside .localstack/.
	# SKIP_SSL_CERT_DOWNLOAD / DISABLE_EVENTS: no network calls (self-signed
	#   cert, no analytics).
	# EAGER_SERVICE_LOADING=1: load the providers at startup, so a broken one
	#   shows as "error" in the health check instead of "available" followed
	#   by HTTP 500 on the first call.
	local launcher=()
	command -v setsid >/dev/null 2>&1 && launcher=(setsid)
	(
		cd "${LS_DIR}"
		# Close inherited descriptors (our lock, callers' pipes) so the
		# long-lived server holds nothing of the caller open.
		for fd in /proc/self/fd/*; do
			fd="${fd##*/}"
			if [ "${fd}" -gt 2 ] 2>/dev/null; then
				eval "exec ${fd}>&-" 2>/dev/null || true
			fi
		done
		exec env \
			SERVICES="${SERVICES_WANTED}" \
			GATEWAY_LISTEN="127.0.0.1:${port}" \
			LOCALSTACK_HOST="127.0.0.1:${port}" \
			DNS_ADDRESS=0 \
			OVERRIDE_IN_DOCKER=0 \
			SQS_ENDPOINT_STRATEGY=path \
			SKIP_SSL_CERT_DOWNLOAD=1 \
			DISABLE_EVENTS=1 \
			EAGER_SERVICE_LOADING=1 \
			PERSISTENCE=0 \
			FILESYSTEM_ROOT="${LS_DIR}/filesystem" \
			XDG_CACHE_HOME="${LS_DIR}/cache" \
			PYTHONUNBUFFERED=1 \
			${launcher[@]+"${launcher[@]}"} "${VENV_DIR}/bin/python" -m localstack.runtime.main
	) </dev/null >"${LOG_FILE}" 2>&1 &
	pid=$!
	echo "${pid}" >"${STATE_DIR}/pid"
	echo "${endpoint}" >"${STATE_DIR}/endpoint"
	echo host >"${STATE_DIR}/mode"

	if ! wait_healthy "${endpoint}" "pid:${pid}"; then
		print_log_tail "${LOG_FILE}"
		do_stop >/dev/null 2>&1 || true
		exit 1
	fi
	log "LocalStack ${LS_VERSION} (host mode, pid ${pid}, services ${SERVICES_WANTED}) ready at ${endpoint}; log: ${LOG_FILE}"
	echo "${endpoint}"
}

# ----------------------------------------------------------- docker mode ---

start_docker() {
	local port endpoint
	port="$(pick_port)"
	endpoint="http://127.0.0.1:${port}"
	docker rm -f "${CONTAINER_NAME}" >/dev/null 2>&1 || true
	log "starting container ${CONTAINER_NAME} from ${LS_IMAGE}"
	docker run -d --rm --name "${CONTAINER_NAME}" \
		-p "127.0.0.1:${port}:4566" \
		-e SERVICES="${SERVICES_WANTED}" \
		-e LOCALSTACK_HOST="127.0.0.1:${port}" \
		-e SQS_ENDPOINT_STRATEGY=path \
		-e SKIP_SSL_CERT_DOWNLOAD=1 \
		-e DISABLE_EVENTS=1 \
		-e EAGER_SERVICE_LOADING=1 \
		"${LS_IMAGE}" >/dev/null 9>&- || die "docker run ${LS_IMAGE} failed"
	echo "${endpoint}" >"${STATE_DIR}/endpoint"
	echo "${CONTAINER_NAME}" >"${STATE_DIR}/container"
	echo docker >"${STATE_DIR}/mode"
	if ! wait_healthy "${endpoint}" "container:${CONTAINER_NAME}"; then
		docker logs --tail 40 "${CONTAINER_NAME}" >&2 2>&1 || true
		do_stop >/dev/null 2>&1 || true
		exit 1
	fi
	log "LocalStack ${LS_VERSION} (container ${CONTAINER_NAME}) ready at ${endpoint}"
	echo "${endpoint}"
}

# --------------------------------------------------------------- commands ---

# take_lock: serialise start/stop of this checkout (parallel test workers).
# The server never inherits fd 9 (start_host closes it, docker gets 9>&-).
take_lock() {
	exec 9>"${LS_DIR}/lock"
	if command -v flock >/dev/null 2>&1; then
		flock -w $((START_TIMEOUT + 600)) 9 || die "could not take ${LS_DIR}/lock"
	fi
}

# running_endpoint: endpoint of the instance this checkout started, if healthy.
running_endpoint() {
	local mode endpoint pid
	mode="$(state_get mode)"
	endpoint="$(state_get endpoint)"
	[ -n "${mode}" ] && [ -n "${endpoint}" ] || return 1
	case "${mode}" in
	host)
		pid="$(state_get pid)"
		[ -n "${pid}" ] && is_our_pid "${pid}" || return 1
		;;
	docker)
		[ "$(docker inspect -f '{{.State.Running}}' "$(state_get container)" 2>/dev/null || true)" = "true" ] || return 1
		;;
	*) return 1 ;;
	esac
	healthy "${endpoint}" || return 1
	echo "${endpoint}"
}

do_start() {
	local endpoint
	if [ -n "${LOCALSTACK_ENDPOINT:-}" ]; then
		endpoint="${LOCALSTACK_ENDPOINT%/}"
		log "LOCALSTACK_ENDPOINT set: waiting for ${endpoint}"
		find_python || true
		wait_healthy "${endpoint}" || exit 1
		echo "${endpoint}"
		return
	fi

	ensure_dirs
	take_lock

	find_python || true
	if endpoint="$(running_endpoint)"; then
		log "reusing running LocalStack at ${endpoint}"
		echo "${endpoint}"
		return
	fi
	# Whatever is left from an earlier start is stale (crashed/unhealthy).
	do_stop >/dev/null 2>&1 || true
	ensure_dirs

	case "${MODE}" in
	docker)
		docker_ok || unavailable "LOCALSTACK_MODE=docker but no Docker engine answers (docker info failed)"
		start_docker
		;;
	host)
		[ -n "${PYTHON_BIN}" ] || unavailable "LOCALSTACK_MODE=host but no Python >= 3.12 with venv found"
		start_host
		;;
	auto)
		if docker_ok; then
			start_docker
		elif [ -n "${PYTHON_BIN}" ]; then
			start_host
		else
			unavailable "no Docker engine (docker info failed) and no Python >= 3.12 with venv"
		fi
		;;
	*) die "LOCALSTACK_MODE must be auto, host or docker (got '${MODE}')" ;;
	esac
}

do_stop() {
	local mode pid container deadline
	[ -d "${STATE_DIR}" ] || return 0
	mode="$(state_get mode)"
	case "${mode}" in
	host)
		pid="$(state_get pid)"
		if [ -n "${pid}" ] && is_our_pid "${pid}"; then
			log "stopping LocalStack (pid ${pid})"
			signal_tree TERM "${pid}"
			deadline=$((SECONDS + STOP_TIMEOUT))
			while pid_alive "${pid}" && [ "${SECONDS}" -lt "${deadline}" ]; do
				sleep 0.2
			done
			if pid_alive "${pid}"; then
				log "pid ${pid} still alive after ${STOP_TIMEOUT}s, sending SIGKILL"
				signal_tree KILL "${pid}"
				deadline=$((SECONDS + 5))
				while pid_alive "${pid}" && [ "${SECONDS}" -lt "${deadline}" ]; do
					sleep 0.1
				done
			fi
			if pid_alive "${pid}"; then
				log "ERROR: could not stop pid ${pid}"
				return 1
			fi
		fi
		;;
	docker)
		container="$(state_get container)"
		if [ -n "${container}" ] && command -v docker >/dev/null 2>&1; then
			log "stopping container ${container}"
			docker logs "${container}" >"${LOG_FILE}" 2>&1 || true
			docker stop -t "${STOP_TIMEOUT}" "${container}" >/dev/null 2>&1 || true
			docker rm -f "${container}" >/dev/null 2>&1 || true
		fi
		;;
	esac
	state_clear
}

do_status() {
	local endpoint
	if [ -n "${LOCALSTACK_ENDPOINT:-}" ]; then
		endpoint="${LOCALSTACK_ENDPOINT%/}"
		healthy "${endpoint}" || { log "not healthy: ${endpoint}"; return 1; }
		echo "${endpoint}"
		return
	fi
	find_python || true
	if endpoint="$(running_endpoint)"; then
		echo "${endpoint}"
		return
	fi
	log "not running"
	return 1
}

do_env() {
	local endpoint
	endpoint="$(do_status)" || return 1
	cat <<EOF
export AWS_ENDPOINT_URL=${endpoint}
export AWS_REGION=us-east-1
export AWS_DEFAULT_REGION=us-east-1
export AWS_ACCESS_KEY_ID=test
export AWS_SECRET_ACCESS_KEY=test
EOF
}

case "${1:-}" in
start) do_start ;;
stop)
	if [ -d "${STATE_DIR}" ]; then
		take_lock
		do_stop
	fi
	;;
status) do_status ;;
env) do_env ;;
-h | --help | help) usage ;;
*) usage ;;
esac
