#!/usr/bin/env bash
# Creates or reuses the venv that runs LocalStack in host mode: localstack-core==4.14.0 with the pins
# of constraints.txt beside it. lifecycle.ts runs it; so can you:  bash scripts/localstack/install.sh
#
# Settings (environment):
#   LOCALSTACK_DIR        state dir, holds pip.log (default: <repo>/.localstack)
#   LOCALSTACK_VENV       the venv (default: $LOCALSTACK_DIR/venv); point it outside the checkout
#                         to share one venv between clones (saves the install: 20-80 s)
#   LOCALSTACK_SERVICES   plain "sqs" (default) needs only the base-runtime extra; anything else
#                         installs the larger runtime extra (moto etc., e.g. for sts/cloudformation)
#   LOCALSTACK_PIP_EXTRA  force the extra: base-runtime | runtime
#   LOCALSTACK_PYTHON     interpreter to try first (>= 3.12; else one on PATH or under ~/.pyenv)
# Prints the venv's python as the last stdout line, progress on stderr. Exit codes: 0 ok,
# 1 failure, 3 no usable Python here (lifecycle.ts: "LocalStack unavailable").
set -euo pipefail

LS_VERSION="4.14.0"
EXIT_NO_PYTHON=3
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CONSTRAINTS="${SCRIPT_DIR}/constraints.txt"
LS_DIR="${LOCALSTACK_DIR:-$(cd "${SCRIPT_DIR}/../.." && pwd)/.localstack}"
VENV_DIR="${LOCALSTACK_VENV:-${LS_DIR}/venv}"
PIP_LOG="${LS_DIR}/pip.log"

log() { printf 'localstack install: %s\n' "$*" >&2; }
fail() {
	[ -f "${PIP_LOG}" ] && { log "last 40 lines of ${PIP_LOG}:"; tail -n 40 "${PIP_LOG}" >&2; }
	log "ERROR: $*"
	exit 1
}

# version_ok PY: PY runs and is >= 3.12. localstack-core 4.14.0 declares Requires-Python >=3.10 but
# uses PEP 695 syntax (`class InterruptibleQueue[T](Queue)` in services/sqs/queue.py), so on 3.11
# every SQS call fails with "invalid syntax (queue.py, line 5)".
version_ok() {
	local version
	version="$("$1" --version 2>&1)" || return 1
	[[ "${version}" =~ ^Python\ 3\.([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -ge 12 ]
}

# python_ok PY: also has venv and ensurepip (Debian ships them apart, in python3-venv).
python_ok() {
	version_ok "$1" && "$1" -m venv --help >/dev/null 2>&1 && "$1" -m ensurepip --version >/dev/null 2>&1
}

# find_python: prints a usable Python, 3.13 first (the pins were resolved for it). Non-active pyenv
# versions are tried by path because their shims refuse to run.
find_python() {
	local pyenv="${PYENV_ROOT:-${HOME:-/root}/.pyenv}" candidate
	if [ -n "${LOCALSTACK_PYTHON:-}" ] && ! python_ok "${LOCALSTACK_PYTHON}"; then
		log "LOCALSTACK_PYTHON=${LOCALSTACK_PYTHON} is not a Python >= 3.12 with venv; looking further"
	fi
	for candidate in ${LOCALSTACK_PYTHON:-} python3.13 python3.12 python3 python \
		"${pyenv}"/versions/3.13*/bin/python3 "${pyenv}"/versions/3.12*/bin/python3 \
		/usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
		if command -v "${candidate}" >/dev/null 2>&1 && python_ok "${candidate}"; then
			command -v "${candidate}"
			return 0
		fi
	done
	return 1
}

if [ -n "${LOCALSTACK_PIP_EXTRA:-}" ]; then
	extra="${LOCALSTACK_PIP_EXTRA}"
elif [ "${LOCALSTACK_SERVICES:-sqs}" = "sqs" ]; then
	extra="base-runtime"
else
	extra="runtime"
fi
# The marker names the extra and the pins it was installed with (runtime covers base-runtime).
sum="$(grep -Ev '^[[:space:]]*(#|$)' "${CONSTRAINTS}" | cksum | cut -d' ' -f1)"
marker="${VENV_DIR}/.fanout-${extra}-${sum}"
if version_ok "${VENV_DIR}/bin/python" &&
	{ [ -f "${marker}" ] || { [ "${extra}" = "base-runtime" ] && [ -f "${VENV_DIR}/.fanout-runtime-${sum}" ]; }; }; then
	echo "${VENV_DIR}/bin/python"
	exit 0
fi

mkdir -p "${LS_DIR}"
# A broken venv, or one from a too-old Python, is rebuilt from scratch.
if [ -d "${VENV_DIR}" ] && ! version_ok "${VENV_DIR}/bin/python"; then
	log "removing unusable venv ${VENV_DIR}"
	rm -rf "${VENV_DIR}"
fi
if [ ! -x "${VENV_DIR}/bin/python" ]; then
	python="$(find_python)" || { log "no Python >= 3.12 with venv and ensurepip on PATH or under ~/.pyenv/versions"; exit "${EXIT_NO_PYTHON}"; }
	log "creating venv ${VENV_DIR} ($("${python}" --version 2>&1))"
	"${python}" -m venv "${VENV_DIR}" >>"${PIP_LOG}" 2>&1 || { rm -rf "${VENV_DIR}"; fail "could not create the venv with ${python}"; }
fi
log "installing localstack-core[${extra}]==${LS_VERSION} into ${VENV_DIR} (log: ${PIP_LOG})"
"${VENV_DIR}/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
	-c "${CONSTRAINTS}" "localstack-core[${extra}]==${LS_VERSION}" >>"${PIP_LOG}" 2>&1 ||
	fail "pip install of localstack-core[${extra}]==${LS_VERSION} failed: fix the cause above, or delete ${VENV_DIR} to start over"
"${VENV_DIR}/bin/python" -m pip show --quiet localstack-core >/dev/null 2>&1 || fail "localstack-core is missing from ${VENV_DIR} after the install"
rm -f "${VENV_DIR}"/.fanout-*
touch "${marker}"
echo "${VENV_DIR}/bin/python"
