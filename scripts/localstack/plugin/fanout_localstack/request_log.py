"""A log of the AWS requests made with a recorded access key, for the tests' IAM policy check.

LocalStack does not enforce IAM (that is a Pro feature), so the tests prove the stack's policies another way:
they give the CLI and the worker access keys starting with "fanoutrec", read here every request made with
them (service, operation, region, account and the parameters that name a resource), and check each against
the deployed policies. A response handler in LocalStack's gateway chain sees every request after it was
parsed and served; other keys are not recorded.

Routes (on the gateway, like LocalStack's own /_aws/... endpoints):
  GET    /_fanout/plugin          {"version", "executor"}: the plugin is loaded, and what runs functions
  GET    /_fanout/requests/<key>  {"requests": [...]}: what was recorded for that key, oldest first
  DELETE /_fanout/requests/<key>  forgets them
"""

import threading

from localstack import config
from localstack.aws.handlers import run_custom_response_handlers
from localstack.runtime import hooks
from localstack.services.edge import ROUTER
from localstack.utils.aws.request_context import extract_access_key_id_from_auth_header

from . import VERSION

RECORDED_KEY_PREFIX = "fanoutrec"

# Parameters that name the resource a request acts on (kept as they are), and those whose keys alone matter
# (a CreateQueue's Attributes and tags: a Policy attribute or a tag asks for more than sqs:CreateQueue).
NAMING_PARAMETERS = (
    "QueueUrl",
    "QueueName",
    "QueueNamePrefix",
    "UUID",
    "FunctionName",
    "EventSourceArn",
    "StackName",
    "RoleName",
    "PolicyArn",
)
KEYED_PARAMETERS = ("Attributes", "tags", "Tags")

_lock = threading.Lock()
_requests: dict[str, list[dict]] = {}


def _record(chain, context, response):
    if not context.service or not context.operation:
        return
    key = extract_access_key_id_from_auth_header(context.request.headers) or ""
    if not key.startswith(RECORDED_KEY_PREFIX):
        return
    request = context.service_request or {}
    parameters = {name: request[name] for name in NAMING_PARAMETERS if isinstance(request.get(name), str)}
    for name in KEYED_PARAMETERS:
        if isinstance(request.get(name), dict):
            parameters[name] = sorted(request[name].keys())
    entry = {
        "service": context.service.service_name,
        "operation": context.operation.name,
        "region": context.region,
        "account": context.account_id,
        "status": response.status_code,
        "parameters": parameters,
    }
    with _lock:
        _requests.setdefault(key, []).append(entry)


def _plugin(request):
    return {"version": VERSION, "executor": config.LAMBDA_RUNTIME_EXECUTOR or "docker"}


def _read(request, key):
    with _lock:
        if request.method == "DELETE":
            return {"requests": _requests.pop(key, [])}
        return {"requests": list(_requests.get(key, []))}


@hooks.on_infra_start()
def fanout_request_log():
    run_custom_response_handlers.append(_record)
    ROUTER.add(path="/_fanout/plugin", endpoint=_plugin, methods=["GET"])
    ROUTER.add(path="/_fanout/requests/<key>", endpoint=_read, methods=["GET", "DELETE"])
